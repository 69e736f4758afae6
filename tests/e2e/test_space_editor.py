"""The search-space editor shows the API's own validation message beside the faulty field."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_low_not_below_high_is_rejected_beside_the_field(logged_in):
    logged_in.goto("/studies/new/")
    logged_in.fill("#name", "bad range")
    logged_in.check('input[name="source"][value="bundled"]')
    logged_in.select_option("#bundled", "wine")
    logged_in.select_option("#estimator", "logistic_regression")  # its first parameter is a number
    logged_in.click("#next")
    first_row = logged_in.locator("#space-table tbody tr").first
    first_row.locator('[data-key="low"]').fill("50")
    first_row.locator('[data-key="high"]').fill("5")

    logged_in.click("#next")

    message = first_row.locator('[data-row-error="low"]')
    message.wait_for()
    assert "low must be less than high" in message.inner_text()
    assert logged_in.is_visible('section[data-step="2"]'), "the wizard stays on the faulty step"
    screenshot(logged_in, "wizard-space-error")


def test_json_view_round_trips_the_rows(logged_in):
    logged_in.goto("/studies/new/")
    logged_in.fill("#name", "json")
    logged_in.check('input[name="source"][value="bundled"]')
    logged_in.click("#next")
    logged_in.check("#json-toggle")
    logged_in.fill("#space-json", '{"alpha": {"type": "float", "low": 0.001, "high": 10, "log": true}}')

    logged_in.uncheck("#json-toggle")

    names = logged_in.locator('#space-table [data-key="name"]')
    assert names.count() == 1
    assert names.first.input_value() == "alpha"


def test_own_code_study_shows_its_snippet_with_the_new_id(logged_in):
    from studies.models import Study

    logged_in.goto("/studies/new/")
    logged_in.fill("#name", "my training script")
    logged_in.check('input[name="kind"][value="external"]')
    logged_in.select_option("#direction", "maximize")
    logged_in.click("#next")
    logged_in.wait_for_selector('#space-table [data-key="name"]')
    logged_in.click("#next")
    logged_in.wait_for_selector("#samplers input:checked")
    logged_in.click("#next")
    logged_in.click("#create-start")

    logged_in.wait_for_selector("[data-testid=agent-command]")
    study = Study.objects.get(name="my training script")
    assert study.directions == ["maximize"]
    assert f"tuner-agent --study {study.pk} -- python train.py --lr {{lr}}" in logged_in.inner_text("[data-testid=agent-command]")
    screenshot(logged_in, "study-own-code")


def test_a_built_in_models_parameters_say_what_they_do(logged_in):
    logged_in.goto("/studies/new/")
    logged_in.fill("#name", "forest")
    logged_in.check('input[name="source"][value="bundled"]')
    logged_in.select_option("#estimator", "random_forest")

    logged_in.click("#next")

    rows = logged_in.locator("#space-table tbody tr")
    assert rows.nth(3).locator('[data-key="name"]').input_value() == "min_samples_leaf"
    screenshot(logged_in, "wizard-space-meanings")
    assert "the fewest rows each final group of a tree must hold" in rows.nth(3).locator("[data-meaning]").inner_text()


def test_your_own_codes_parameters_get_no_meaning(logged_in):
    logged_in.goto("/studies/new/")
    logged_in.fill("#name", "mine")
    logged_in.check('input[name="kind"][value="external"]')

    logged_in.click("#next")

    assert logged_in.locator("#space-table [data-meaning]").first.inner_text() == ""


def test_own_code_has_no_trials_at_once_to_set_as_the_copies_running_it_decide(logged_in):
    _own_code_search_step(logged_in)

    hidden = logged_in.locator("#parallelism").is_hidden()
    logged_in.click("#next")
    budget = _reviewed(logged_in, "Budget")

    assert hidden
    assert budget == "50 trials"


def test_the_search_step_and_the_review_name_samplers_and_pruners_as_people_do(logged_in):
    _own_code_search_step(logged_in)
    logged_in.check('#pruners input[value="median"]')

    option = logged_in.locator("#samplers label", has=logged_in.locator('input[value="gp"]')).locator("strong").inner_text()
    logged_in.click("#next")
    review = {name: _reviewed(logged_in, name) for name in ("Objective", "Sampler", "Pruner")}

    assert option == "Gaussian process"
    assert review == {"Objective": "your own code: its number, lowest is best", "Sampler": "Tuner's choice",
                      "Pruner": "Median rule"}


def _own_code_search_step(page):
    """The wizard of a new study of one's own code, at its third step (how to search)."""
    page.goto("/studies/new/")
    page.fill("#name", "mine")
    page.check('input[name="kind"][value="external"]')
    page.click("#next")
    page.wait_for_selector('#space-table [data-key="name"]')
    page.click("#next")
    page.wait_for_selector("#samplers input:checked")


def _reviewed(page, name):
    """What the wizard's review says beside `name`."""
    return page.locator("#review dt", has_text=name).locator("xpath=following-sibling::dd[1]").inner_text()
