"""Pages render cleanly in a real browser, with no script errors, whatever shape the study has."""

import pytest

from tests.dashboard.conftest import add_trials, make_chart_study, make_study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_welcome_page_offers_a_demo(logged_in):
    logged_in.goto("/")

    assert logged_in.get_by_role("button", name="Try a demo").is_visible()
    screenshot(logged_in, "studies-welcome")


def test_study_with_no_trials_renders(logged_in, user):
    study = make_study(user, name="Nothing yet")

    logged_in.goto(f"/studies/{study.pk}/")

    logged_in.wait_for_selector("#trial-table tbody td")
    assert "No trials yet" in logged_in.inner_text("#trial-table")
    assert logged_in.is_visible("#empty-history")
    screenshot(logged_in, "study-no-trials")


def test_study_with_only_failed_trials_renders(logged_in, user):
    study = make_study(user, name="Everything failed", state="completed")
    add_trials(study, [("failed", None, {"lr": 0.01, "depth": 3, "kernel": "rbf"})] * 4)

    logged_in.goto(f"/studies/{study.pk}/")

    logged_in.wait_for_selector("#trial-table tbody tr[data-href]")
    assert logged_in.locator("#trial-table tbody tr[data-href]").count() == 4
    screenshot(logged_in, "study-failed-only")
    logged_in.click("#trial-table tbody tr[data-href] >> nth=0")
    logged_in.wait_for_selector("pre.error-text")
    assert "boom" in logged_in.inner_text("pre.error-text")
    screenshot(logged_in, "trial-failed")


def test_busy_study_draws_every_chart(logged_in, user):
    study = make_chart_study(user)

    logged_in.goto(f"/studies/{study.pk}/")

    for name in ("history", "parallel", "slices", "contour", "curves", "edf", "timeline"):
        logged_in.wait_for_selector(f"#chart-{name} .main-svg")
    screenshot(logged_in, "study-busy")


def test_try_these_parameters_adds_a_trial_that_appears_live(logged_in, user):
    study = make_study(user, name="Manual tuning", state="running")
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.click("#try summary")
    logged_in.select_option("#try-kernel", label="poly")
    logged_in.fill("#try-degree", "9")
    logged_in.fill("#try-value", "0.25")

    logged_in.click("#try-form button[type=submit]")
    error = logged_in.locator('[data-error-for="params.degree"]')
    error.wait_for()
    assert "above high" in error.inner_text()
    logged_in.fill("#try-degree", "3")
    logged_in.click("#try-form button[type=submit]")

    logged_in.wait_for_function("document.getElementById('try-status').textContent.includes('Trial #0 added')")
    logged_in.wait_for_function("document.querySelector('[data-field=best_value]').textContent === '0.25'")
    screenshot(logged_in, "study-manual-trial")


def test_studies_list_shows_progress_and_filters_by_name(logged_in, user):
    for name, state, n_done in [("Churn model", "running", 12), ("Fraud model", "completed", 20), ("Fresh idea", "created", 0)]:
        study = make_study(user, name=name, state=state)
        add_trials(study, [("complete", float(i % 7), {"lr": 0.01, "depth": 3, "kernel": "rbf"}) for i in range(n_done)])

    logged_in.goto("/")
    assert logged_in.locator("#studies tbody tr").count() == 3
    screenshot(logged_in, "studies-list")
    logged_in.fill("#q", "churn")
    logged_in.press("#q", "Enter")

    logged_in.wait_for_url("**/?q=churn*")
    assert logged_in.locator("#studies tbody tr").all_inner_texts()[0].startswith("Churn model")
    assert logged_in.locator("#studies tbody tr").count() == 1


def test_running_trial_page_updates_when_the_trial_finishes(logged_in, user):
    from studies import services

    study = make_study(user, name="Live trial", state="running")
    trial = add_trials(study, [("running", None, {"lr": 0.01, "depth": 3, "kernel": "rbf"})])[0]
    logged_in.goto(f"/studies/{study.pk}/trials/0/")
    logged_in.wait_for_selector("[data-field=state].badge-running")

    services.tell_trial(trial.pk, value=0.125)

    logged_in.wait_for_selector("[data-field=state].badge-complete", timeout=5_000)
    assert logged_in.inner_text("[data-field=value]") == "0.125"


def test_study_page_fits_a_tablet(logged_in, user):
    study = make_study(user, name="On a tablet")
    add_trials(study, [("complete", float(i % 5), {"lr": 0.01 * (i + 1), "depth": 2 + i % 5, "kernel": "rbf"})
                       for i in range(12)])
    logged_in.set_viewport_size({"width": 820, "height": 1180})

    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#chart-slices .main-svg")

    overflow = logged_in.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "nothing sticks out sideways"
    screenshot(logged_in, "study-tablet")


@pytest.mark.parametrize("which", ["studies", "study"])
def test_pages_fit_a_phone(logged_in, user, which):
    study = make_study(user, name="On a phone")
    add_trials(study, [("complete", float(i % 5), {"lr": 0.01 * (i + 1), "depth": 2 + i % 5, "kernel": "rbf"})
                       for i in range(12)])
    logged_in.set_viewport_size({"width": 390, "height": 844})

    logged_in.goto("/" if which == "studies" else f"/studies/{study.pk}/")
    logged_in.wait_for_selector("table" if which == "studies" else "#chart-slices .main-svg")

    overflow = logged_in.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the {which} page sticks out {overflow} px sideways on a phone"
    screenshot(logged_in, f"{which}-phone")


def test_multi_objective_study_draws_its_pareto_front(logged_in, user):
    study = make_study(user, name="Two objectives", directions=("minimize", "minimize"))
    add_trials(study, [("complete", (float(i), float((i - 6) ** 2 % 11)), {"lr": 0.001 * (i + 1), "depth": 2 + i % 9,
                                                                        "kernel": "linear"}) for i in range(14)])

    logged_in.goto(f"/studies/{study.pk}/")

    logged_in.wait_for_selector("#chart-pareto .main-svg")
    screenshot(logged_in, "study-multi-objective")


def test_categorical_only_study_draws_its_charts(logged_in, user):
    from tests.dashboard.conftest import CATEGORICAL_SPACE

    study = make_study(user, name="Only choices", space=CATEGORICAL_SPACE)
    add_trials(study, [("complete", float(i % 4), {"kernel": ["rbf", "linear"][i % 2], "shrink": i % 3 == 0})
                       for i in range(10)])

    logged_in.goto(f"/studies/{study.pk}/")

    for name in ("history", "parallel", "slices", "contour"):
        logged_in.wait_for_selector(f"#chart-{name} .main-svg")
    screenshot(logged_in, "study-categorical")
