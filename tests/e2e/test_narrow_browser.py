"""In Chromium: the owner drags a range on the parallel coordinates chart, which fills in the
"Narrow the search" card, drops a choice, and continues in a child study that opens with its lineage."""

import pytest

from studies.models import Study
from tests.e2e.conftest import log_in, open_tab, screenshot
from tests.roles import _fast_passwords, add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0},
         "kind": {"type": "categorical", "choices": ["a", "b"]},
         "depth": {"type": "int", "low": 1, "high": 5, "condition": {"kind": ["b"]}}}
# Stands in for a drag on the x axis: Plotly sends the same plotly_restyle event.
DRAG_X = """() => {
  const chart = document.getElementById("chart-parallel");
  if (!chart.data) return false;
  Plotly.restyle(chart, {"dimensions[0].constraintrange": [[0.1, 0.3]]});
  return document.getElementById("narrow-x-high").value === "0.3";
}"""


@pytest.fixture
def study(people):
    study = make_study(people["owner"], space=SPACE)
    add_trials(study, [("complete", i / 10, {"x": i / 10, "kind": "a"}) for i in range(6)]
               + [("complete", 2.0, {"x": 0.2, "kind": "b", "depth": 3})])
    return study


def test_a_range_dragged_on_the_chart_continues_in_a_child_study(browser, live_server, study):
    errors = []
    tab = open_tab(browser, errors, 20_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")
    tab.goto(f"/studies/{study.pk}/")
    tab.click("#narrow-search summary")

    tab.wait_for_function(DRAG_X, polling=500)
    tab.locator("#narrow-fields label.toggle", has_text="b").locator("input").uncheck()
    tab.fill("#narrow-n-trials", "5")
    screenshot(tab, "narrow")
    tab.click("text=Continue in this narrower space")
    tab.wait_for_selector(f"text=Narrowed from study #{study.pk}")

    child = Study.objects.get(parent=study)
    assert tab.url.endswith(f"/studies/{child.pk}/")
    assert child.search_space == {"x": {"type": "float", "low": 0.1, "high": 0.3},
                                  "kind": {"type": "categorical", "choices": ["a"]}}
    assert child.n_inherited == 3 and child.n_trials == 5  # x = 0.1, 0.2, 0.3 of kind a; not kind b
    assert not errors
