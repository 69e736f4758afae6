"""In Chromium, with the partial plotly.js the pages load (scripts/build_plotly.sh: scatter, bar, heatmap and contour; no WebGL): every
chart of the study page draws each trace as the type it asked for (a type the bundle lacks falls
back to a plain scatter or is not drawn at all), and the history of a study past its sample size
draws a sample of the dots, says so under it, and keeps the whole study's best-so-far line. The bundle
is patched to style each marker once per full draw and to remember parsed colours: markers still
get their colours from a first draw, a restyle and a redraw; to draw a chart's traces once when
its labels push its margin (Plotly draws such a chart twice); and to measure a tick label's text
once wherever it stands, and its new tick labels together. A trace of many markers is painted into
one canvas (hover, a restyle and a selection still work; an export keeps vector markers), as
large as the markers' reach, not the whole subplot; and so is a trace of many bars. A contour's
smooth fill is coloured at every other pixel each way on the page (an export keeps every pixel);
a line that gaps break into many segments is one path; and a full draw writes each text point once."""

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


# The fill, fill opacity and opacity of each dot of a chart, as Plotly styled them.
DOTS = """(id) => [...document.querySelectorAll(`#${id} path.point`)].map((p) =>
  [p.style.fill, p.style.fillOpacity, p.style.opacity])"""


def test_markers_take_their_colours_from_the_first_draw_a_restyle_and_a_redraw(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    drawn = logged_in.evaluate(DOTS, "chart-slices")
    # From a colour per dot to one colour redraws the trace; from one colour to another only restyles it.
    logged_in.evaluate("""() => Plotly.restyle('chart-slices', {'marker.color': 'red'}, [0])""")
    logged_in.evaluate("""() => Plotly.restyle('chart-slices', {'marker.color': 'rgba(0, 0, 255, 0.5)'}, [0])""")
    restyled = logged_in.evaluate(DOTS, "chart-slices")
    logged_in.evaluate("""() => { const gd = document.getElementById('chart-slices');
      const data = gd.data.map((t) => ({ ...t, x: [...t.x], marker: { ...t.marker, color: 'green' } }));
      return Plotly.react(gd, data, gd.layout); }""")
    redrawn = logged_in.evaluate(DOTS, "chart-slices")

    assert drawn and all(fill.startswith("rgb(") and opacity == "0.7" for fill, _, opacity in drawn)
    assert len({fill for fill, _, _ in drawn}) > 1  # each dot its own shade of the trial number
    n_first_panel = len(logged_in.evaluate("() => document.getElementById('chart-slices').data[0].x"))
    assert restyled[:n_first_panel] == [["rgb(0, 0, 255)", "0.5", "0.7"]] * n_first_panel
    assert restyled[n_first_panel:] == drawn[n_first_panel:]
    assert redrawn == [["rgb(0, 128, 0)", "1", "0.7"]] * len(drawn)


# A horizontal bar chart whose long y labels push its left margin (as the timeline's worker names
# and importance's parameter names do): how often each bar's shape was written, and the margin.
BARS_WRITTEN = """async () => {
  const gd = document.createElement('div'); gd.style.width = '600px'; document.body.append(gd);
  let written = 0;
  const observer = new MutationObserver((records) => { written += records.filter((r) => r.target.closest('.point')).length; });
  observer.observe(gd, { subtree: true, attributes: true, attributeFilter: ['d'] });
  await Plotly.newPlot(gd, [{ type: 'bar', orientation: 'h', x: [3, 1, 2], y: ['a worker with a long name', 'b', 'c'] }],
                       { yaxis: { automargin: true }, margin: { l: 10 } });
  await new Promise((resolve) => setTimeout(resolve));
  observer.disconnect();
  return [written, gd.querySelectorAll('.point path').length, gd._fullLayout._size.l]; }"""


def test_a_chart_whose_labels_push_its_margin_draws_its_bars_once(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    written, n_bars, left = logged_in.evaluate(BARS_WRITTEN)

    assert n_bars == 3
    assert left > 10  # the labels pushed the margin, so Plotly drew the chart again at the new one
    assert written == n_bars  # ... and the bars only in that pass


# How many nodes Plotly put into its hidden measuring SVG while drawing a chart again at another
# width: its tick labels' texts were measured in the first draw, wherever they stood.
MEASURED_AGAIN = """async () => {
  const gd = document.createElement('div'); gd.style.width = '500px'; document.body.append(gd);
  const figure = [{ x: [1, 2, 3, 4, 5], y: [10, 20, 30, 40, 50] }];
  const layout = { xaxis: { title: { text: 'x' } }, yaxis: { title: { text: 'value' } } };
  await Plotly.newPlot(gd, figure, layout);
  let measured = 0;
  const observer = new MutationObserver((records) => { for (const r of records) measured += r.addedNodes.length; });
  observer.observe(document.getElementById('js-plotly-tester'), { childList: true });
  await Plotly.newPlot(gd, figure, { ...layout, width: 430 });
  await new Promise((resolve) => setTimeout(resolve));
  observer.disconnect();
  return [measured, gd.querySelectorAll('.xtick, .ytick').length]; }"""


def test_tick_labels_are_not_measured_again_where_they_stand(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    measured, n_labels = logged_in.evaluate(MEASURED_AGAIN)

    assert n_labels >= 8
    assert measured == 0  # main measured each x label again at its new place (5 of them)


# The most texts Plotly had in its hidden measuring SVG at once while drawing a chart whose x tick
# labels it had not measured before (it measures them to choose their angle; the pages let labels
# overflow, charts.js), and how many there are.
MEASURED_TOGETHER = """async () => {
  const gd = document.createElement('div'); gd.style.width = '500px'; document.body.append(gd);
  const tester = document.getElementById('js-plotly-tester');
  let present = 0, most = 0;
  const observer = new MutationObserver((records) => { for (const r of records) {
    present += r.addedNodes.length; most = Math.max(most, present); present -= r.removedNodes.length; } });
  observer.observe(tester, { childList: true });
  await Plotly.newPlot(gd, [{ x: [1.0625, 2.0625, 3.0625, 4.0625, 5.0625], y: [1, 2, 3, 4, 5] }],
                       { xaxis: { tickvals: [1.0625, 2.0625, 3.0625, 4.0625, 5.0625], ticklabeloverflow: 'allow' } });
  await new Promise((resolve) => setTimeout(resolve));
  observer.disconnect();
  return [most, gd.querySelectorAll('.xtick').length]; }"""


def test_a_charts_new_tick_labels_are_measured_together(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    most, n_labels = logged_in.evaluate(MEASURED_TOGETHER)

    assert n_labels == 5
    assert most >= n_labels  # one layout for all of them; main measured one at a time (1)


# A scatter of 300 dots, each its own shade, drawn into a new chart on the page; what Plotly drew.
MANY_DOTS = """async () => {
  const gd = document.createElement('div'); gd.id = 'many-dots'; gd.style.width = '600px'; document.body.append(gd);
  const n = 300, x = [...Array(n).keys()], y = x.map((i) => (i * 37) % 101);
  await Plotly.newPlot(gd, [{ type: 'scatter', mode: 'markers', x, y, text: x.map((i) => `trial ${i}`),
                              marker: { size: 6, opacity: 0.8, color: x, colorscale: 'Viridis' } }],
                       { width: 600, height: 300, margin: { l: 40, r: 10, t: 10, b: 30 } });
  return [gd.querySelectorAll('path.point').length, gd.querySelectorAll('.point-image canvas').length]; }"""
PAINTED = "() => document.querySelector('#many-dots .point-image canvas').toDataURL()"


def test_a_trace_of_many_markers_is_painted_as_one_image_that_still_answers_hover(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    paths, images = logged_in.evaluate(MANY_DOTS)
    logged_in.evaluate("() => Plotly.Fx.hover('many-dots', [{ curveNumber: 0, pointNumber: 42 }])")

    assert (paths, images) == (0, 1)  # main drew 300 <path class="point">
    assert logged_in.text_content("#many-dots .hovertext") == "(42, 39)trial 42"


def test_a_restyle_and_a_selection_paint_the_markers_image_again(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)
    logged_in.evaluate(MANY_DOTS)
    drawn = logged_in.evaluate(PAINTED)

    logged_in.evaluate("() => Plotly.restyle('many-dots', {'marker.color': 'red'})")
    restyled = logged_in.evaluate(PAINTED)
    logged_in.evaluate("""() => Plotly.relayout('many-dots', { dragmode: 'select', selections: [
      { type: 'rect', xref: 'x', yref: 'y', x0: -1, x1: 50, y0: -1, y1: 101 }] })""")
    selected = logged_in.evaluate(PAINTED)

    assert drawn.startswith("data:image/png;base64,")
    assert len({drawn, restyled, selected}) == 3


def test_an_exported_chart_keeps_its_markers_as_vector_paths(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)
    logged_in.evaluate(MANY_DOTS)

    svg = logged_in.evaluate("() => Plotly.toImage('many-dots', { format: 'svg' }).then(decodeURIComponent)")

    assert svg.count('class="point"') == 300
    assert "point-image" not in svg


# 300 dots in the left tenth of a 600-pixel-wide chart: the width of the image they are painted into.
IMAGE_WIDTH = """async () => {
  const gd = document.createElement('div'); gd.style.width = '600px'; document.body.append(gd);
  const n = 300, x = [...Array(n).keys()].map((i) => i / 3000), y = x.map((v, i) => (i * 37) % 101);
  await Plotly.newPlot(gd, [{ type: 'scatter', mode: 'markers', x, y, marker: { size: 6 } }],
                       { width: 600, height: 300, margin: { l: 40, r: 10, t: 10, b: 30 }, xaxis: { range: [0, 1] } });
  return [Number(gd.querySelector('.point-image').getAttribute('width')), gd._fullLayout._size.w]; }"""


def test_a_traces_markers_image_covers_its_markers_not_the_whole_subplot(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    image, subplot = logged_in.evaluate(IMAGE_WIDTH)

    assert image < subplot / 4  # main painted an image as wide as the subplot (and then some)


# 300 horizontal bars in 5 lanes, as the timeline draws trials per worker, in a new chart on the page.
MANY_BARS = """async () => {
  const gd = document.createElement('div'); gd.id = 'many-bars'; gd.style.width = '600px'; document.body.append(gd);
  const n = 300, i = [...Array(n).keys()];
  await Plotly.newPlot(gd, [{ type: 'bar', orientation: 'h', x: i.map(() => 0.8), base: i.map((k) => Math.floor(k / 5)),
                              y: i.map((k) => `lane ${k % 5}`), hovertext: i.map((k) => `trial ${k}`), hoverinfo: 'text',
                              textposition: 'none', marker: { color: '#2563eb' } }],
                       { width: 600, height: 300, margin: { l: 60, r: 10, t: 10, b: 30 }, barmode: 'overlay' });
  return [gd.querySelectorAll('g.point path').length, gd.querySelectorAll('.point-image canvas').length]; }"""


def test_a_trace_of_many_bars_is_painted_as_one_image_that_still_answers_hover(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    paths, images = logged_in.evaluate(MANY_BARS)
    logged_in.evaluate("() => Plotly.Fx.hover('many-bars', [{ curveNumber: 0, pointNumber: 42 }])")

    assert (paths, images) == (0, 1)  # main drew 300 <g class="point"><path>
    assert logged_in.text_content("#many-bars .hovertext") == "trial 42"


def test_an_exported_bar_chart_keeps_its_bars_as_vector_paths(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)
    logged_in.evaluate(MANY_BARS)

    svg = logged_in.evaluate("() => Plotly.toImage('many-bars', { format: 'svg' }).then(decodeURIComponent)")

    assert svg.count('class="point"') == 300
    assert "point-image" not in svg


# A contour with the smooth fill (coloring "heatmap", as the study page's contour draws it), in a new
# chart on the page, or as an export draws it (staticPlot): the fill image's own pixels, and the
# size it is shown at.
CONTOUR_FILL = """async (exported) => {
  const gd = document.createElement('div'); gd.style.width = '600px'; document.body.append(gd);
  const z = [...Array(6).keys()].map((i) => [...Array(6).keys()].map((j) => i * j));
  await Plotly.newPlot(gd, [{ type: 'contour', z, contours: { coloring: 'heatmap' } }],
                       { width: 600, height: 300, margin: { l: 40, r: 10, t: 10, b: 30 } }, { staticPlot: exported });
  const image = gd.querySelector('.hm image'), png = new Image();
  png.src = image.href.baseVal;
  await png.decode();
  return [png.naturalWidth, png.naturalHeight, Number(image.getAttribute('width')), Number(image.getAttribute('height'))]; }"""


def test_a_contours_smooth_fill_is_coloured_at_every_other_pixel_and_stretched(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    width, height, shown_width, shown_height = logged_in.evaluate(CONTOUR_FILL, False)

    assert shown_width > 400
    assert (width, height) == (-(-shown_width // 2), -(-shown_height // 2))  # main: every pixel (476 x 260)


def test_an_exported_contour_keeps_every_pixel_of_its_fill(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    width, height, shown_width, shown_height = logged_in.evaluate(CONTOUR_FILL, True)

    assert (width, height) == (shown_width, shown_height)


# Twelve learning curves in one line trace, broken by gaps (as plots.curves draws a state's), in a
# colour: how many <path>s Plotly drew for the line.
BROKEN_LINE = """async (colour) => {
  const gd = document.createElement('div'); gd.style.width = '600px'; document.body.append(gd);
  const x = [], y = [];
  for (let curve = 0; curve < 12; curve += 1) {
    for (let step = 0; step < 5; step += 1) { x.push(step); y.push(curve + step / 10); }
    x.push(null); y.push(null);
  }
  await Plotly.newPlot(gd, [{ type: 'scatter', mode: 'lines', x, y, connectgaps: false, line: { color: colour } }],
                       { width: 600, height: 300 });
  return gd.querySelectorAll('path.js-line').length; }"""


def test_a_line_broken_into_many_segments_is_one_path(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    paths = logged_in.evaluate(BROKEN_LINE, "#2563eb")

    assert paths == 1  # main: a path per curve (12)


def test_a_see_through_line_keeps_a_path_per_segment(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    paths = logged_in.evaluate(BROKEN_LINE, "rgba(37, 99, 235, 0.5)")

    assert paths == 12  # where two curves cross, each darkens the other, as before


# How often Plotly wrote a text point's text while drawing a new chart of three (a write: a text
# node put into the <text>), and how many text points it drew.
TEXT_WRITES = """async () => {
  const gd = document.createElement('div'); gd.style.width = '600px'; document.body.append(gd);
  let written = 0;
  const count = (records) => { for (const r of records) {
    if (r.target.nodeName === 'text' && r.target.closest('.textpoint') && [...r.addedNodes].some((n) => n.nodeType === 3)) written += 1;
  } };
  const observer = new MutationObserver(count);
  observer.observe(gd, { childList: true, subtree: true });
  await Plotly.newPlot(gd, [{ type: 'scatter', mode: 'text', x: [1, 2, 3], y: [1, 2, 3], text: ['a', 'b', 'c'] }],
                       { width: 600, height: 300 });
  count(observer.takeRecords());
  observer.disconnect();
  return [written, gd.querySelectorAll('.textpoint text').length]; }"""


def test_a_full_draw_writes_each_text_point_once(logged_in, user):
    study = make_chart_study(user)
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    written, n_texts = logged_in.evaluate(TEXT_WRITES)

    assert n_texts == 3
    # Its text set, then parsed into lines: twice a point. Main wrote them all again in the style
    # pass that follows a full draw (12).
    assert written == 2 * n_texts


STOPPED_EARLY = """() => { const gd = document.getElementById('chart-history');
  const trace = gd.data.find((t) => t.mode === 'markers' && t.marker.color === window.tunerStates.trial.pruned);
  return [trace.name, trace.marker.symbol, trace.hovertemplate]; }"""


def test_the_history_shows_a_trial_stopped_early_as_an_open_circle_named_in_words(logged_in, user):
    study = make_chart_study(user)

    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_selector("#chart-history .main-svg")
    logged_in.evaluate("() => { window.tunerStates = JSON.parse(document.getElementById('tuner-states').textContent); }")

    name, symbol, hover = logged_in.evaluate(STOPPED_EARLY)
    legend = logged_in.locator("#chart-history .legend").text_content()

    assert (name, symbol) == ("stopped early", "circle-open")
    assert "the last value it reported" in hover
    assert "stopped early" in legend and "pruned" not in legend
