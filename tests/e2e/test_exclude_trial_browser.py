"""Excluding a trial in the browser: the reason is asked for, the trial is marked, the study's best
moves on, and the trial table's 'Include again' and 'Exclude…' work too."""

import pytest

from tests.dashboard.conftest import add_trials, make_study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def study(user):
    study = make_study(user, name="Exclusion study", state="completed")
    add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 2 + i, "kernel": "rbf"}) for i in range(6)])
    return study


def test_excluding_the_best_trial_marks_it_moves_the_best_and_the_table_undoes_and_redoes_it(logged_in, study):
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
    page.click("#trial-table tbody tr.excluded button[data-include-trial]")
    page.wait_for_function("!document.querySelector('#trial-table tbody tr.excluded')")
    page.wait_for_function("document.querySelector('[data-field=best_trial]').textContent === 'trial #0'")
    page.click("#trial-table tbody tr:first-child button[data-exclude-trial]")
    page.fill("#exclude-reason", "a leak after all")
    page.click("#exclude-form button[type=submit]")
    page.wait_for_function("document.querySelector('[data-field=best_trial]').textContent === 'trial #1'")
    assert page.locator("#trial-table tbody tr.excluded .excluded-mark").get_attribute("title") == (
        "Excluded: a leak after all")
    assert page.url.endswith(f"/studies/{study.pk}/")
