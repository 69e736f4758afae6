"""In Chromium, through a share link (someone who may only read): a study where Tuner chose the kind
of model names its parameters in words on a chart's axis and in the trial table's header, with the
name the API uses in the header's tooltip; its importance chart marks the setting that mattered
most for its kind of model on that setting's own row, with a legend saying so."""

import pytest

from studies.objectives import auto_search_space
from studies.services import share_links
from tests.e2e.conftest import open_tab, screenshot
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# Pixels from the middle of the marked (second trace's) bar to the middle of C's row label.
OFFSET_OF_THE_MARKED_BAR_FROM_C_S_ROW = """() => {
    const chart = document.querySelector("#chart-importance");
    const middle = (element) => { const box = element.getBoundingClientRect(); return box.y + box.height / 2; };
    const bar = chart.querySelectorAll(".trace.bars")[1].querySelector("path");
    const row = [...chart.querySelectorAll(".ytick")].find((tick) => tick.textContent === "C of support vector machine");
    return middle(bar) - middle(row);
}"""
OBJECTIVE = {"kind": "sklearn", "estimator": ["svm", "knn"], "dataset": "iris", "metric": "accuracy", "cv": 3}


@pytest.fixture
def shared_page(browser, live_server, people):
    study = make_study(people["owner"], space=auto_search_space(["svm", "knn"], "classification"),
                       objective=OBJECTIVE, directions=["maximize"])
    # Enough support vector machines following C for the importance forest's trees to agree on it.
    add_trials(study, [("complete", 0.80 + i / 200, {"estimator": "svm", "svm__C": 10.0 ** (i / 2 - 3),
                                                     "svm__kernel": "linear"}) for i in range(12)]
               + [("complete", 0.85, {"estimator": "knn", "knn__n_neighbors": 5, "knn__weights": "uniform",
                                      "knn__p": 2})])
    _, token = share_links.create_share_link(study.pk, people["owner"])
    errors = []
    tab = open_tab(browser, errors, 20_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    tab.goto(f"/share/{token}/")
    yield tab
    assert not errors


def test_the_charts_read_in_words_and_the_importance_chart_marks_the_setting_that_led_its_kind(shared_page):
    shared_page.wait_for_selector("#chart-contour .main-svg")
    shared_page.wait_for_selector("#chart-importance .legend")

    titles = [shared_page.locator(f"#chart-contour .{axis}title").text_content() for axis in ("x", "y")]
    legend = shared_page.locator("#chart-importance .legend").text_content()
    # Both read in one go: panels still loading above the chart move the page between two reads.
    offset = shared_page.evaluate(OFFSET_OF_THE_MARKED_BAR_FROM_C_S_ROW)

    screenshot(shared_page, "automl-words")
    assert titles == ["kind of model", "C of support vector machine"]
    assert legend == "mattered most for its kind of model"
    assert abs(offset) < 2, "the marked bar is C's"


def test_the_trial_table_s_header_names_the_parameter_in_words_with_its_api_name_as_tooltip(shared_page):
    shared_page.wait_for_selector("#trial-table tbody tr[data-href]")

    header = shared_page.locator("#trial-table th", has_text="C of support vector machine")
    kind = shared_page.locator("#trial-table tbody tr").first.locator("td").nth(3)

    assert header.get_attribute("title") == "svm__C"
    assert (kind.text_content(), kind.get_attribute("title")) in {("Support vector machine", "svm"),
                                                                  ("Nearest neighbours", "knn")}
