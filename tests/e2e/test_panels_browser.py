"""In Chromium: the slices and rank charts draw their panels (one per parameter) on one pair of
axes, and a visitor still reads each dot in its parameter's own units: its hover text, and a box
dragged on a slices panel, which fills in that parameter's range in the "Narrow the search" card."""

import pytest

from tests.e2e.conftest import log_in, open_tab
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0},
         "lr": {"type": "float", "low": 0.0001, "high": 1.0, "log": True},
         "kind": {"type": "categorical", "choices": ["a", "b"]}}
SUBPLOTS = "(id) => document.getElementById(id)._fullLayout._subplots.cartesian.length"
# The page box, in screen pixels, around the dots of panel `trace` whose parameter lies in
# [low, high], each dot placed by its own trace's axes (whichever axes those are).
BOX_AROUND = """([id, trace, low, high]) => {
  const gd = document.getElementById(id), data = gd._fullData[trace], plot = gd.getBoundingClientRect();
  const xa = gd._fullLayout[data.xaxis.replace('x', 'xaxis')], ya = gd._fullLayout[data.yaxis.replace('y', 'yaxis')];
  const own = gd.data[trace].customdata || gd.data[trace].x;
  const chosen = own.map((v, k) => k).filter((k) => own[k] >= low && own[k] <= high);
  const xs = chosen.map((k) => plot.left + xa._offset + xa.l2p(xa.d2l(data.x[k])));
  const ys = chosen.map((k) => plot.top + ya._offset + ya.l2p(ya.d2l(data.y[k])));
  return [Math.min(...xs) - 5, Math.min(...ys) - 5, Math.max(...xs) + 5, Math.max(...ys) + 5]; }"""


@pytest.fixture
def study(people):
    study = make_study(people["owner"], space=SPACE)
    add_trials(study, [("complete", i / 10, {"x": i / 10, "lr": 10 ** -min(i, 4), "kind": "ab"[i % 2]}) for i in range(6)])
    return study


def open_study(browser, live_server, study, errors):
    tab = open_tab(browser, errors, 20_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")
    tab.goto(f"/studies/{study.pk}/")
    tab.wait_for_selector("#chart-slices .main-svg")
    tab.wait_for_selector("#chart-rank .main-svg")
    return tab


def test_slices_and_rank_draw_every_panel_on_one_pair_of_axes(browser, live_server, study):
    errors = []
    tab = open_study(browser, live_server, study, errors)

    subplots = [tab.evaluate(SUBPLOTS, chart) for chart in ("chart-slices", "chart-rank")]
    names = tab.evaluate("() => document.getElementById('chart-slices').data.slice(0, 3).map((t) => t.name)")

    assert subplots == [1, 1]  # main drew one subplot per parameter (3)
    assert names == list(SPACE)  # each panel still its own trace, named for its parameter
    assert not errors


def test_a_dots_hover_text_is_in_its_parameters_own_units(browser, live_server, study):
    errors = []
    tab = open_study(browser, live_server, study, errors)

    tab.evaluate("""() => { const gd = document.getElementById('chart-slices'), lr = gd._fullData[1];
      Plotly.Fx.hover(gd, [{ curveNumber: 1, pointNumber: 3 }], lr.xaxis + lr.yaxis); }""")

    # The trial with lr = 0.001 and value 0.3, as Plotly writes a value on a log axis.
    assert tab.text_content("#chart-slices .hovertext") == "lr(0.001, 0.3)trial 3"
    assert not errors


def test_a_box_drawn_on_a_slices_panel_fills_in_that_parameters_range(browser, live_server, study):
    errors = []
    tab = open_study(browser, live_server, study, errors)
    tab.click("#narrow-search summary")
    tab.locator("#chart-slices").scroll_into_view_if_needed()

    left, top, right, bottom = tab.evaluate(BOX_AROUND, ["chart-slices", 0, 0.15, 0.35])
    tab.mouse.move(left, top)
    tab.mouse.down()
    tab.mouse.move((left + right) / 2, (top + bottom) / 2, steps=4)
    tab.mouse.move(right, bottom, steps=4)
    tab.mouse.move(right + 1, bottom + 1)
    tab.mouse.up()
    tab.wait_for_function("() => document.getElementById('narrow-x-high').value !== '1'")

    # The box held the dots at x = 0.2 and 0.3; main zoomed into the panel instead.
    assert (tab.input_value("#narrow-x-low"), tab.input_value("#narrow-x-high")) == ("0.2", "0.3")
    assert tab.input_value("#narrow-lr-low") == "0.0001"  # the other panels' ranges are untouched
    assert not errors
