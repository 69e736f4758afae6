"""The trial table sorts and filters on the server, and a row opens the trial page."""

import pytest

from tests.dashboard.conftest import add_trials, make_study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def study(user):
    study = make_study(user, name="Table study", state="completed")
    rows = [("failed" if i % 4 == 3 else "complete", None if i % 4 == 3 else float((i * 37) % 101),
             {"lr": 10 ** (-4 + i / 20), "depth": 2 + i % 10, "kernel": "rbf"}) for i in range(60)]
    add_trials(study, rows)
    return study


def _first_value(page):
    return page.locator("#trial-table tbody tr").first.locator("td").nth(2).inner_text()


def test_sorting_by_value_both_ways(logged_in, study):
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#trial-table tbody tr[data-href]")

    logged_in.click("#trial-table button.sort[data-sort=value]")
    # Trial #0 scores 0 too, so the second row tells the orders apart: 2 by value, 37 by number.
    logged_in.wait_for_function("document.querySelectorAll('#trial-table tbody tr')[1]"
                                ".querySelector('td:nth-child(3)').textContent === '2'")
    ascending = _first_value(logged_in)
    logged_in.click("#trial-table button.sort[data-sort=value]")
    logged_in.wait_for_selector("#trial-table th[aria-sort=descending] button.sort[data-sort=value]")
    logged_in.wait_for_function("document.querySelector('#trial-table tbody td:nth-child(3)').textContent === '100'")

    assert ascending == "0"
    assert _first_value(logged_in) == "100"


def test_filtering_by_state_and_range(logged_in, study):
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#trial-table tbody tr[data-href]")

    logged_in.select_option("#filter-state", "complete")
    logged_in.select_option("#filter-param", "depth")
    logged_in.fill("#filter-min", "4")
    logged_in.fill("#filter-max", "5")
    logged_in.click("#table-filters button[type=submit]")
    logged_in.wait_for_function("document.getElementById('table-status').textContent.includes('· 9 trials')")

    states = logged_in.locator("#trial-table tbody .badge").all_inner_texts()
    depths = [int(d) for d in logged_in.locator("#trial-table tbody td:nth-child(5)").all_inner_texts()]
    assert set(states) == {"complete"}
    assert set(depths) <= {4, 5}
    screenshot(logged_in, "study-table-filtered")


def test_clicking_a_row_opens_the_trial_page(logged_in, study):
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#trial-table tbody tr[data-href]")

    logged_in.click("#trial-table tbody tr[data-href] >> nth=1")

    logged_in.wait_for_selector("h1:has-text('Trial #1')")
    screenshot(logged_in, "trial-page")


MARKUP = "<img src=x onerror=alert(1)><b>bold</b>"


def test_metric_and_attr_columns_sort_and_filter_and_show_markup_as_text(logged_in, user):
    from studies.models import Study, Trial

    study = make_study(user, name="Measured study", state="completed")
    for trial in add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 3, "kernel": "rbf"}) for i in range(6)]):
        note = "Special run" if trial.number == 5 else MARKUP
        Trial.objects.filter(pk=trial.pk).update(metrics={"recall": trial.number / 10}, attrs={"note": note})
    Study.objects.filter(pk=study.pk).update(metric_names=["recall"], attr_names=["note"])
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#trial-table tbody tr[data-href]")

    logged_in.click("#trial-table button.sort[data-sort='metrics.recall']")
    logged_in.click("#trial-table button.sort[data-sort='metrics.recall']")
    logged_in.wait_for_function("document.querySelector('#trial-table tbody td').textContent === '#5'")
    logged_in.select_option("#filter-param", "metrics.recall")
    logged_in.fill("#filter-min", "0.2")
    logged_in.fill("#filter-max", "0.35")
    logged_in.click("#table-filters button[type=submit]")
    logged_in.wait_for_function("document.getElementById('table-status').textContent.includes('· 2 trials')")

    notes = logged_in.locator("#trial-table tbody td", has_text="bold").all_inner_texts()
    assert notes == [MARKUP, MARKUP]
    assert logged_in.locator("#trial-table img, #trial-table b").count() == 0
    logged_in.click("#table-filters button[type=reset]")
    logged_in.select_option("#filter-attr", "note")
    logged_in.fill("#filter-attr-text", "special")
    logged_in.click("#table-filters button[type=submit]")
    logged_in.wait_for_function("document.getElementById('table-status').textContent.includes('· 1 trials')")
    logged_in.wait_for_selector("#chart-metric .main-svg")
    screenshot(logged_in, "study-table-metrics")


def test_infeasible_trials_are_marked_and_hide_infeasible_leaves_them_out(logged_in, user):
    from studies.models import Trial

    study = make_study(user, name="Constrained study", state="completed")
    for trial in add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 3, "kernel": "rbf"}) for i in range(4)]):
        broken = trial.number % 2 == 1
        Trial.objects.filter(pk=trial.pk).update(constraints=[0.25 if broken else -1.0], feasible=not broken)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#trial-table tbody tr[data-href]")

    logged_in.wait_for_selector("#trial-table .infeasible-mark")
    n_marked = logged_in.locator("#trial-table .infeasible-mark").count()
    tooltip = logged_in.locator("#trial-table .infeasible-mark").first.get_attribute("title")
    logged_in.check("#filter-infeasible")
    logged_in.wait_for_function("document.getElementById('table-status').textContent.includes('· 2 trials')")

    assert n_marked == 2 and "constraint 1 is 0.25" in tooltip
    assert logged_in.locator("#trial-table .infeasible-mark").count() == 0


def test_jumping_to_a_page_and_ticking_choices(logged_in, user):
    study = make_study(user, name="Choices study", state="completed")
    add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 3, "kernel": ["rbf", "linear", "poly"][i % 3]})
                       for i in range(60)])
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#trial-table tbody tr[data-href]")

    logged_in.fill("#table-page", "9")
    logged_in.press("#table-page", "Enter")
    logged_in.wait_for_function("document.querySelector('#trial-table tbody td').textContent === '#50'")
    assert logged_in.input_value("#table-page") == "3"
    logged_in.click(".choice-filter summary:has-text('kernel')")
    logged_in.check(".choice-filter input[value=linear]")
    logged_in.check(".choice-filter input[value=poly]")
    logged_in.click("#table-filters button[type=submit]")
    logged_in.wait_for_function("document.getElementById('table-status').textContent.includes('· 40 trials')")
    assert logged_in.inner_text(".choice-filter summary") == "kernel: 2 of 3"

    kernels = set(logged_in.locator("#trial-table tbody td:nth-child(6)").all_inner_texts())
    assert kernels == {"linear", "poly"}
    assert logged_in.input_value("#table-page") == "1"
    logged_in.wait_for_selector("#chart-rank .main-svg")
    screenshot(logged_in, "study-table-choices")


def test_a_study_of_several_named_objectives_heads_its_values_column_with_their_names(logged_in, user):
    study = make_study(user, name="Two objectives", state="completed", directions=("maximize", "minimize"),
                       objective_names=["accuracy", "latency_ms"])
    add_trials(study, [("complete", (0.9, 20.0), {"lr": 0.01, "depth": 3, "kernel": "rbf"})])

    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#trial-table tbody tr[data-href]")

    head = logged_in.locator("#trial-table thead th").nth(2).inner_text()
    cell = logged_in.locator("#trial-table tbody tr").first.locator("td").nth(2).inner_text()
    assert (head.lower(), cell) == ("accuracy, latency_ms", "0.9, 20")
