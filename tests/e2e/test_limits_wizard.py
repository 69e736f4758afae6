"""The wizard's limits: a non-coder adds "Only accept models whose … is at most …" rows in words,
sees the API's message beside a faulty row, and the limits are stored on the study's objective."""

import re

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _limit(page, index, metric, value):
    row = page.locator("[data-testid=limit]").nth(index)
    row.locator('[data-key="metric"]').select_option(metric)
    row.locator('[data-key="value"]').fill(value)
    return row


def test_limits_added_in_the_wizard_are_checked_beside_their_row_and_stored(logged_in):
    from studies.models import Study

    logged_in.goto("/studies/new/")
    logged_in.fill("#name", "small fast forests")
    logged_in.check('input[name="source"][value="bundled"]')
    logged_in.select_option("#bundled", "breast_cancer")
    logged_in.select_option("#estimator", "random_forest")
    logged_in.click("#add-limit")
    logged_in.click("#add-limit")
    _limit(logged_in, 0, "fit_time_s", "2")
    logged_in.click("#next")

    message = logged_in.locator('[data-error-for="objective.constraints[1]"]')
    message.wait_for()
    assert "the limit is empty; give a number" in message.inner_text()
    screenshot(logged_in, "wizard-limit-error")
    row = _limit(logged_in, 1, "recall", "0.8")
    assert row.locator('[data-key="bound"]').input_value() == "min", "a score starts from 'at least'"
    logged_in.click("#add-limit")
    _limit(logged_in, 2, "model_size_bytes", "5")
    assert "MB" in logged_in.locator("[data-testid=limit]").nth(2).inner_text()
    screenshot(logged_in, "wizard-limits")
    for _ in range(3):
        logged_in.click("#next")
    logged_in.wait_for_selector("#review dd")
    assert ("fit time per fold at most 2 seconds; recall at least 0.8; model size at most 5 MB"
            in logged_in.inner_text("#review"))
    logged_in.click("#create")
    logged_in.wait_for_url(re.compile(r"/studies/\d+/$"))
    assert Study.objects.get(name="small fast forests").objective["constraints"] == [
        {"metric": "fit_time_s", "max": 2.0}, {"metric": "recall", "min": 0.8},
        {"metric": "model_size_bytes", "max": 5_000_000.0}]


def test_a_built_in_studys_infeasible_trial_names_the_broken_limit_in_the_table_and_on_its_page(logged_in, user):
    from studies.models import Trial
    from tests.dashboard.conftest import add_trials, make_study
    from tests.dashboard.test_builtin_limits import OBJECTIVE, SPACE

    study = make_study(user, name="Limited study", state="completed", space=SPACE, directions=("maximize",),
                       objective=OBJECTIVE)
    held, broken = add_trials(study, [("complete", 0.95, {"n_estimators": 10}), ("complete", 0.97, {"n_estimators": 90})])
    Trial.objects.filter(pk=held.pk).update(constraints=[-1.5, -0.1], feasible=True,
                                            metrics={"fit_time_s": 0.5, "recall": 0.9})
    Trial.objects.filter(pk=broken.pk).update(constraints=[1.1, -0.15], feasible=False,
                                              metrics={"fit_time_s": 3.1, "recall": 0.95})
    logged_in.goto(f"/studies/{study.pk}/")

    mark = logged_in.locator("#trial-table .infeasible-mark")
    mark.wait_for()
    assert mark.get_attribute("title") == "Broke a limit: fit time per fold at most 2 seconds"
    logged_in.goto(f"/studies/{study.pk}/trials/1/")
    assert "fit time per fold at most 2 seconds\n3.1 seconds (broken)" in logged_in.inner_text("#constraints")
    screenshot(logged_in, "trial-broke-a-limit")
