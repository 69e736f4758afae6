"""The wizard's "Stop early when…" section: the API's message beside a faulty rule, then the rules stored
(with the name the study's value was given on the first step)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_stop_rules_from_the_wizard_are_checked_beside_their_field_and_stored(logged_in):
    from studies.models import Study

    logged_in.goto("/studies/new/")
    logged_in.fill("#name", "stops early")
    logged_in.check('input[name="kind"][value="external"]')
    logged_in.select_option("#direction", "maximize")
    logged_in.fill("#value-name", "validation accuracy")
    logged_in.click("#next")
    logged_in.wait_for_selector('#space-table [data-key="name"]')
    logged_in.click("#next")
    logged_in.wait_for_selector("#samplers input:checked")
    logged_in.fill("#stop_target", "0.95")
    logged_in.fill("#stop_min_delta", "0.01")

    logged_in.click("#next")

    message = logged_in.locator('[data-error-for="budget.min_delta"]')
    message.wait_for()
    assert "give patience too" in message.inner_text()
    logged_in.fill("#stop_patience", "10")
    logged_in.check("#stop_regret_bound")
    logged_in.click("#next")
    logged_in.wait_for_selector("#review dd")
    assert "when the best score reaches 0.95" in logged_in.inner_text("#review")
    logged_in.click("#create-start")
    logged_in.wait_for_selector("[data-testid=agent-command]")
    assert Study.objects.get(name="stops early").stop_rules == {
        "target": 0.95, "patience": 10, "min_delta": 0.01, "regret_bound": {"min_trials": 20, "check_every": 1}}
    assert Study.objects.get(name="stops early").objective_names == ["validation accuracy"]
