"""Pages render cleanly in a real browser, with no script errors, whatever shape the study has."""

import pytest

from tests.dashboard.conftest import add_reports, add_trials, make_study
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
    from tests.dashboard.conftest import SPACE

    study = make_study(user, name="Busy study", space=SPACE)
    rows = []
    for i in range(60):
        kernel = ["rbf", "linear", "poly"][i % 3]
        params = {"lr": 10 ** (-4 + 3 * (i * 7 % 60) / 60), "depth": 2 + i % 10, "kernel": kernel}
        if kernel == "poly":
            params["degree"] = 2 + i % 4
        state = ["complete", "complete", "pruned", "complete", "failed"][i % 5]
        rows.append((state, None if state == "failed" else ((i * 7 % 60) - 30) ** 2 / 10 + i % 10, params))
    for trial in add_trials(study, rows)[:20]:
        add_reports(trial, [10.0 / (step + 1) + trial.number % 5 for step in range(5)])

    logged_in.goto(f"/studies/{study.pk}/")

    for name in ("history", "parallel", "slices", "contour", "curves", "edf", "timeline"):
        logged_in.wait_for_selector(f"#chart-{name} .main-svg")
    screenshot(logged_in, "study-busy")
