"""Excluding a trial in the browser: the reason is asked for, the trial is marked, the study's best
moves on, and 'Include again' takes it back."""

import pytest

from tests.dashboard.conftest import add_trials, make_study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def study(user):
    study = make_study(user, name="Exclusion study", state="completed")
    add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 2 + i, "kernel": "rbf"}) for i in range(6)])
    return study


def test_excluding_the_best_trial_with_a_reason_and_including_it_again(logged_in, study):
    page = logged_in
    page.goto(f"/studies/{study.pk}/trials/0/")

    page.click("text=Exclude…")
    page.click("#exclude-form button[type=submit]")
    page.wait_for_selector("[data-error-for=reason]:has-text('cannot be empty')")
    page.fill("#exclude-reason", "scored on the training rows")
    page.click("#exclude-form button[type=submit]")
    page.wait_for_selector("[data-testid=exclusion]:has-text('scored on the training rows')")
    screenshot(page, "trial-excluded")
    page.goto(f"/studies/{study.pk}/")
    page.wait_for_selector("#trial-table tbody tr.excluded .excluded-mark")

    assert page.locator("[data-field=best_trial]").inner_text() == "trial #1"
    screenshot(page, "study-with-an-excluded-trial")
    page.goto(f"/studies/{study.pk}/trials/0/")
    page.click("text=Include again")
    page.wait_for_selector("text=Exclude…")
    assert page.locator("[data-testid=exclusion]").count() == 0
