"""In Chromium: the parallel coordinates chart is drawn in SVG (Plotly's own parallel coordinates
need WebGL, which takes seconds where the browser has no GPU), with an axis per parameter and
the value, each labelled and ticked, lines coloured by the value, and the best tenth chosen on
the value axis; a box dragged across an axis chooses the trials whose lines cross it there."""

import pytest

from tests.dashboard.conftest import make_chart_study
from tests.e2e.conftest import screenshot
from tests.e2e.test_narrow_browser import drag_on_axis

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# Lines drawn in grey (outside the chosen ranges): the lines of the grey path (one "M" each).
GREYED = """() => ((document.getElementById('chart-parallel').layout.shapes.find((s) => s.name === 'outside the ranges')
  || { path: '' }).path.match(/M/g) || []).length"""
N_COMPLETE = 36  # of make_chart_study's sixty trials


@pytest.fixture
def chart(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#chart-parallel .main-svg")
    return logged_in


def test_parallel_coordinates_draw_a_labelled_axis_per_parameter_without_webgl(chart):
    axes = chart.locator("#chart-parallel .xtick text").all_text_contents()
    ticks = chart.locator("#chart-parallel .textpoint text").all_text_contents()

    assert axes == ["lr (log)", "depth", "kernel", "degree", "value"]
    assert {"0.0001", "0.1", "rbf", "linear", "poly", "absent"} <= set(ticks)
    assert chart.locator("#chart-parallel .colorbar").count() == 1
    assert chart.locator("#chart-parallel canvas").count() == 0
    screenshot(chart, "parallel-svg")


def test_the_best_tenth_is_chosen_at_first_and_the_rest_greyed(chart):
    greyed = chart.evaluate(GREYED)

    assert N_COMPLETE - 5 <= greyed < N_COMPLETE


def test_a_box_across_the_whole_value_axis_chooses_every_trial(chart):
    drag_on_axis(chart, 4, 5, -0.02, 1.02)

    chart.wait_for_function(f"() => ({GREYED})() === 0")
    assert chart.locator("#chart-parallel .shapelayer path").count() > 0


def test_a_box_survives_another_chart_drawn_for_the_first_time_as_it_is_let_go(chart):
    # Plotly's first drawing of a chart clears every chart's pending timers, the box's among them
    # (the study page's advice chart arrives seconds after the page opens, whenever it comes). The
    # late chart is drawn as the button is let go, just after Plotly has taken the box's end.
    chart.evaluate("""() => {
      const div = document.createElement('div');
      div.id = 'chart-late';
      document.body.append(div);
      window.addEventListener('mouseup', () => window.tunerCharts.draw('late', {
        traces: [{ type: 'bar', x: [1], y: [1] }], layout: {} }), { once: true });
    }""")

    drag_on_axis(chart, 4, 5, -0.02, 1.02)

    chart.wait_for_function(f"() => ({GREYED})() === 0", timeout=5_000)
    chart.wait_for_selector("#chart-late .main-svg", timeout=5_000)  # drawn a moment later


def test_short_axis_names_stay_level(chart):
    angle = chart.evaluate("() => document.getElementById('chart-parallel').layout.xaxis.tickangle")

    assert angle == 0


def test_axis_names_too_long_for_the_room_between_axes_are_slanted(logged_in, user):
    from tests.dashboard.conftest import add_trials, make_study

    space = {f"hist_gradient_boosting__parameter_{i}": {"type": "float", "low": 0, "high": 1} for i in range(10)}
    study = make_study(user, space=space)
    add_trials(study, [("complete", float(n), {name: (n * 7 % 10) / 10 for name in space}) for n in range(12)])
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#chart-parallel .main-svg")

    layout = logged_in.evaluate("() => document.getElementById('chart-parallel').layout")

    assert layout["xaxis"]["tickangle"] == -30 and layout["margin"]["t"] > 100
    screenshot(logged_in, "parallel-long-names")
