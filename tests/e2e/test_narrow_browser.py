"""In Chromium: the owner drags a range on the parallel coordinates chart, which fills in the
"Narrow the search" card, drops a choice, and continues in a child study that opens with its lineage."""

import pytest

from studies.models import Study
from tests.e2e.conftest import log_in, open_tab, screenshot
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0},
         "kind": {"type": "categorical", "choices": ["a", "b"]},
         "depth": {"type": "int", "low": 1, "high": 5, "condition": {"kind": ["b"]}}}


def drag_on_axis(tab, axis, n_axes, top, bottom):
    """Drags a box on the parallel coordinates chart across axis `axis` (of `n_axes`, 0 first)
    from `top` to `bottom`, as shares of the axis's height measured from its top. The chart's
    x range runs from -0.4 to n_axes - 0.6 and its y range from -0.04 to 1.04 (charts.js)."""
    tab.locator("#chart-parallel").scroll_into_view_if_needed()
    box = tab.locator("#chart-parallel .nsewdrag").bounding_box()
    x = box["x"] + box["width"] * (axis + 0.4) / n_axes
    y_of = lambda share: box["y"] + box["height"] * (0.04 + share) / 1.08  # noqa: E731
    tab.mouse.move(x - 8, y_of(top))
    tab.mouse.down()
    tab.mouse.move(x, y_of((top + bottom) / 2), steps=4)
    tab.mouse.move(x + 8, y_of(bottom), steps=4)
    # A last nudge as the hand settles: Plotly then holds the box's end in a timer (it sends
    # the box at most every 100 ms), as it does at the end of most real drags.
    tab.mouse.move(x + 9, y_of(bottom))
    tab.mouse.up()


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

    tab.wait_for_selector("#chart-parallel .nsewdrag")
    # x runs 0 to 1 upwards: the box from 0.7 to 0.9 of the way down is x from about 0.1 to 0.3.
    drag_on_axis(tab, 0, len(SPACE) + 1, 0.7, 0.9)
    tab.wait_for_function("() => document.getElementById('narrow-x-high').value !== '1'")
    low, high = float(tab.input_value("#narrow-x-low")), float(tab.input_value("#narrow-x-high"))
    assert 0.05 < low < 0.15 and 0.25 < high < 0.35
    tab.fill("#narrow-x-low", "0.1")
    tab.fill("#narrow-x-high", "0.3")
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
