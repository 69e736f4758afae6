"""In Chromium, with the partial plotly.js the pages load (scripts/build_plotly.sh: scatter, bar, heatmap and contour; no WebGL): every
chart of the study page draws each trace as the type it asked for (a type the bundle lacks falls
back to a plain scatter or is not drawn at all), and the history of a study past its sample size
draws a sample of the dots, says so under it, and keeps the whole study's best-so-far line."""

import pytest

from dashboard import charts
from studies.models import Trial
from tests.dashboard.conftest import make_chart_study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS_DRAWN = """() => [...document.querySelectorAll('#chart-history, [data-chart]')].every((c) =>
  c.querySelector('.main-svg') || !document.getElementById('empty-' + c.id.slice(6)).hidden)"""
# Per chart: the trace types it asked for and those Plotly drew ("hidden" for a trace not drawn).
TYPES = """() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => [gd.id,
  gd.data.map((t) => t.type || 'scatter'), gd._fullData.map((t) => (t.visible === false ? 'hidden' : t.type))])"""
HISTORY = """() => { const gd = document.getElementById('chart-history');
  const dots = gd.data.filter((t) => t.mode === 'markers').reduce((n, t) => n + t.x.length, 0);
  const line = gd.data.find((t) => t.name === 'best so far');
  return [dots, line.y[line.y.length - 1], line.x[line.x.length - 1]]; }"""


def test_every_chart_draws_each_trace_as_the_type_it_asked_for(logged_in, user):
    study = make_chart_study(user)

    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    drawn = logged_in.evaluate(TYPES)
    assert {chart for chart, _, _ in drawn} >= {"chart-history", "chart-parallel", "chart-contour", "chart-timeline"}
    assert all(asked == shown for _, asked, shown in drawn), drawn
    assert {"scatter", "bar"} <= {kind for _, asked, _ in drawn for kind in asked}
    assert {"contour", "heatmap"} & {kind for _, asked, _ in drawn for kind in asked}


def test_a_large_history_draws_a_sample_says_so_and_keeps_the_whole_best_line(logged_in, user, monkeypatch):
    monkeypatch.setattr(charts, "MAX_HISTORY_POINTS", 10)  # the live server runs in this process
    study = make_chart_study(user)
    complete = Trial.objects.filter(study=study, state="complete").order_by("value", "number").first()
    n_plotted = Trial.objects.filter(study=study, value__isnull=False).count()

    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#chart-history .main-svg")

    dots, best, _ = logged_in.evaluate(HISTORY)
    assert dots < n_plotted
    assert best == complete.value
    assert logged_in.text_content("#note-history").startswith(f"Showing {dots} of {n_plotted} trials")
