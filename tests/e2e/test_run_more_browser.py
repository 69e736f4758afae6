"""In Chromium: the owner of a completed study runs more trials from its page, and the page follows."""

import pytest

from studies import services
from studies.models import Study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SPEC = {"name": "needs more", "objective": {"kind": "external"}, "direction": "minimize",
        "search_space": {"x": {"type": "float", "low": 0.0, "high": 1.0}}, "sampler": {"name": "random", "seed": 0},
        "budget": {"n_trials": 2}}


def _tell(study, n):
    for _ in range(n):
        trial = services.ask_trial(study.pk)
        services.tell_trial(trial.pk, value=trial.params["x"])


@pytest.fixture
def completed(user):
    study = services.create_study(user, SPEC)
    _tell(study, 2)
    return study


def test_run_more_trials_reopens_the_study_and_the_page_follows_it_to_its_end(logged_in, completed):
    page = logged_in
    page.goto(f"/studies/{completed.pk}/")
    page.fill("[data-run-more] input", "3")

    page.click("[data-run-more] button")

    page.wait_for_selector(".badge-running")
    assert page.locator("[data-run-more]").is_hidden()
    _tell(completed, 3)
    page.wait_for_selector(".badge-completed", timeout=20_000)
    screenshot(page, "run-more-done")
    assert page.locator("[data-run-more]").is_visible()
    assert page.locator('[data-field="complete"]').first.text_content() == "5"
    assert page.locator('[data-field="total"]').text_content() == "5"  # the budget grew with the request
    assert Study.objects.get(pk=completed.pk).n_trials == 5


def test_a_running_study_offers_no_run_more(logged_in, user):
    study = services.create_study(user, SPEC)
    _tell(study, 1)

    logged_in.goto(f"/studies/{study.pk}/")

    assert logged_in.locator("[data-run-more]").is_hidden()


def _budget_form_of_a_running_study(page, user, n_trials):
    """A study of 5 trials with 2 told, its page open, n_trials typed into Change the budget."""
    study = services.create_study(user, SPEC | {"budget": {"n_trials": 5}})
    _tell(study, 2)
    page.goto(f"/studies/{study.pk}/")
    page.click("text=Change the budget")
    page.fill("[data-budget-form] [name=n_trials]", n_trials)
    return study


def test_the_budget_of_a_running_study_changes_from_its_progress_card(logged_in, user):
    page = logged_in
    study = _budget_form_of_a_running_study(page, user, "8")

    page.click("[data-budget-form] button")

    page.wait_for_function("document.querySelector('[data-field=\"total\"]').textContent === '8'")
    assert Study.objects.get(pk=study.pk).n_trials == 8


def test_a_budget_below_the_trials_made_is_refused_beside_the_form(logged_in, user):
    page = logged_in
    study = _budget_form_of_a_running_study(page, user, "1")

    page.click("[data-budget-form] button")

    page.wait_for_selector("[data-budget-error]:has-text('at least 2, the trials this study has made')")
    screenshot(page, "budget-refused")
    assert Study.objects.get(pk=study.pk).n_trials == 5
