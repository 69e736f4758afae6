"""plots.py: pure functions from plain records to Plotly figures."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dashboard import charts, plots
from studies.services.read import TrialRow

SPACE = {
    "lr": {"type": "float", "low": 1e-4, "high": 0.1, "log": True},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear"]},
}


def _row(number, params, value, **fields):
    return TrialRow(number=number, state=fields.pop("state", "complete"), value=value, params=params, **fields)


def _rows(n):
    return [_row(i, {"lr": 10 ** (-4 + 3 * i / n), "kernel": ["rbf", "linear"][i % 2]}, float(i % 17)) for i in range(n)]


def test_sample_keeps_every_row_under_the_limit():
    rows = list(range(10))

    kept, sampled = plots.sample(rows, 20, float)

    assert kept == rows and sampled is False


def test_sample_keeps_the_best_half_and_an_even_spread():
    rows = list(range(1000))

    kept, sampled = plots.sample(rows, 100, lambda r: -r)

    assert sampled is True
    assert len(kept) == 100
    assert set(range(950, 1000)) <= set(kept)
    assert kept[0] == 0


def test_parallel_labels_categorical_axes():
    figure = plots.parallel(SPACE, _rows(20), "minimize")

    kernel = figure["traces"][0]["dimensions"][1]
    assert kernel["ticktext"] == ["rbf", "linear"]
    assert set(kernel["values"]) == {0, 1}


def test_parallel_plots_log_parameters_by_their_exponent():
    figure = plots.parallel(SPACE, _rows(20), "minimize")

    lr = figure["traces"][0]["dimensions"][0]
    assert lr["label"] == "lr (log)"
    assert lr["range"] == [-4.0, -1.0]
    assert lr["ticktext"][0] == "0.0001"


def test_parallel_gives_an_absent_conditional_parameter_its_own_tick():
    space = {**SPACE, "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["linear"]}}}
    rows = [_row(row.number, {**row.params, **({"degree": 3} if row.params["kernel"] == "linear" else {})}, row.value)
            for row in _rows(10)]

    degree = plots.parallel(space, rows, "minimize")["traces"][0]["dimensions"][2]

    assert degree["ticktext"][0] == "absent"
    assert degree["values"][0] == degree["tickvals"][0] < 2
    assert degree["values"][1] == 3


def test_parallel_says_when_it_samples():
    figure = plots.parallel(SPACE, _rows(plots.MAX_LINES + 500), "minimize")

    assert len(figure["traces"][0]["line"]["color"]) == plots.MAX_LINES
    assert "Showing 1,000 of 1,500" in figure["note"]


def test_every_chart_explains_itself_when_empty():
    empties = [plots.parallel(SPACE, [], "minimize"), plots.slices(SPACE, [], "minimize"), plots.edf([]),
               plots.curves([], {}, 0), plots.timeline([], 0, None), plots.importance_bars({}),
               plots.contour(SPACE, [], "lr", "kernel", "minimize")]

    assert all(figure["empty"] and not figure["traces"] for figure in empties)


def test_slices_give_one_panel_per_parameter():
    figure = plots.slices(SPACE, _rows(30), "minimize")

    assert [trace["xaxis"] for trace in figure["traces"]] == ["x1", "x2"]
    assert figure["layout"]["xaxis1"]["type"] == "log"
    assert figure["layout"]["xaxis2"]["type"] == "category"


def test_contour_over_a_categorical_and_a_log_parameter():
    figure = plots.contour(SPACE, _rows(40), "lr", "kernel", "minimize")

    surface, dots = figure["traces"]
    assert surface["type"] == "heatmap"
    assert len(surface["z"]) == 2, "one band per choice"
    assert len(surface["z"][0]) == plots.CONTOUR_BINS
    assert len(dots["x"]) == 40


def test_contour_falls_back_to_cells_when_points_are_on_a_line():
    rows = [_row(i, {"lr": 0.01, "kernel": "rbf"}, float(i)) for i in range(5)]

    figure = plots.contour(SPACE, rows, "lr", "kernel", "minimize")

    assert figure["traces"][0]["z"]


def test_edf_downsamples_to_a_bounded_number_of_points():
    figure = plots.edf([float(i) for i in range(10_000)])

    trace = figure["traces"][0]
    assert len(trace["x"]) == plots.MAX_EDF_POINTS
    assert trace["y"][-1] == 1.0


def test_curves_mark_pruned_trials_where_they_stopped():
    trials = [_row(0, {}, 1.0, pk=1), _row(1, {}, None, pk=2, state="pruned")]
    reports = {1: [(0, 3.0), (1, 2.0), (2, 1.0)], 2: [(0, 4.0), (1, 3.5)]}

    figure = plots.curves(trials, reports, 2)

    marker = next(trace for trace in figure["traces"] if trace["name"] == "stopped here")
    assert marker["x"] == [1] and marker["y"] == [3.5]
    assert [trace["name"] for trace in figure["traces"]] == ["complete", "stopped early", "stopped here"]


def test_the_timeline_names_a_pruned_trial_s_bar_stopped_early():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [_row(0, {}, None, state="pruned", worker="a", started_at=start, finished_at=start + timedelta(seconds=2))]

    figure = plots.timeline(rows, 1, start + timedelta(seconds=3))

    assert [trace["name"] for trace in figure["traces"]] == ["stopped early"]


def test_timeline_puts_each_worker_on_its_own_row():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [_row(0, {}, 1.0, worker="a", started_at=start, finished_at=start + timedelta(seconds=2)),
            _row(1, {}, None, state="failed", worker="b", started_at=start, finished_at=start + timedelta(seconds=1))]

    figure = plots.timeline(rows, 2, start + timedelta(seconds=5))

    assert {trace["y"][0] for trace in figure["traces"]} == {"a", "b"}
    assert figure["traces"][0]["x"] == [2000.0]


def test_timeline_without_hosts_names_workers_by_number():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [_row(0, {}, 1.0, worker="gpu-box-7:311", started_at=start, finished_at=start + timedelta(seconds=2)),
            _row(1, {}, 1.0, worker="laptop:12", started_at=start + timedelta(seconds=1),
                 finished_at=start + timedelta(seconds=3))]

    figure = plots.timeline(rows, 2, start + timedelta(seconds=5), show_hosts=False)

    assert figure["traces"][0]["y"] == ["worker 1", "worker 2"]


def test_pareto_highlights_the_front():
    rows = [_row(0, {}, None, values=[1.0, 1.0]), _row(1, {}, None, values=[2.0, 2.0]),
            _row(2, {}, None, values=[0.5, 3.0])]

    figure = plots.pareto(rows, ["minimize", "minimize"], {0, 2})

    other, front = figure["traces"]
    assert front["text"] == ["trial 2", "trial 0"]
    assert other["text"] == ["trial 1"]


def test_importance_puts_the_most_important_on_top():
    figure = plots.importance_bars({"lr": 0.8, "kernel": 0.2})

    assert figure["traces"][0]["y"] == ["kernel", "lr"]


def test_contour_of_two_numeric_parameters_interpolates():
    space = {"a": {"type": "float", "low": 0, "high": 1}, "b": {"type": "float", "low": 0, "high": 1}}
    rows = [_row(i, {"a": (i * 7 % 20) / 20, "b": (i * 3 % 20) / 20}, float(i)) for i in range(40)]

    surface = plots.contour(space, rows, "a", "b", "minimize")["traces"][0]

    assert surface["type"] == "contour"
    assert len(surface["z"]) == plots.CONTOUR_BINS


LINK = '<a href="https://x.example">win a prize</a> & more'


def test_a_choice_with_markup_reaches_plotly_as_text_in_every_figure():
    space = {"lr": SPACE["lr"], "kernel": {"type": "categorical", "choices": [LINK, "rbf"]}}
    rows = [_row(i, {"lr": 10 ** (-4 + i / 10), "kernel": [LINK, "rbf"][i % 2]}, float(i)) for i in range(20)]

    figures = [plots.parallel(space, rows, "minimize"), plots.slices(space, rows, "minimize"),
               plots.contour(space, rows, "lr", "kernel", "minimize")]

    for figure in figures:
        text = str(figure)
        assert "<a" not in text and "&lt;a href" in text and "&amp; more" in text


def test_a_study_name_with_markup_reaches_plotly_as_text_on_the_compare_page():
    rows = [_row(0, {}, 1.0)]

    figure = plots.compare_history([(f"#1 {LINK}", "minimize", rows)])

    assert "<a" not in str(figure) and figure["traces"][1]["name"] == "#1 &lt;a href=\"https://x.example\">win a prize&lt;/a> &amp; more"


def test_our_own_hover_templates_keep_their_markup():
    figure = plots.importance_bars({"lr": 0.8, "kernel": 0.2})

    assert figure["traces"][0]["hovertemplate"].endswith("<extra></extra>")


def test_long_learning_curves_are_drawn_through_every_kth_step_and_their_last():
    trials = [_row(n, {}, 1.0, pk=n + 1) for n in range(3)]
    steps = plots.MAX_SVG_CURVE_POINTS // 2 + 1
    reports = {n + 1: [(step, 1.0 / (step + 1)) for step in range(steps)] for n in range(3)}

    figure = plots.curves(trials, reports, 3)

    trace = figure["traces"][0]
    first_curve = trace["x"][: trace["x"].index(None)]
    assert first_curve[:3] == [0, 2, 4] and first_curve[-1] == steps - 1
    assert "every 2nd step and its last" in figure["note"]


def test_no_figure_needs_webgl():
    rows = [_row(n, {}, float(n), metrics={"seconds": float(n)}) for n in range(3 * plots.MAX_POINTS)]
    big = {"actual": [float(n) for n in range(3000)], "predicted": [float(n) for n in range(3000)], "n_rows": 9000}
    curve_trials = [_row(n, {}, 1.0, pk=n + 1) for n in range(3)]
    curve_reports = {n + 1: [(step, 1.0) for step in range(plots.MAX_SVG_CURVE_POINTS)] for n in range(3)}

    figures = [plots.against_metric(rows, "seconds", "minimize"), plots.predicted_vs_actual(big, "y"),
               plots.curves(curve_trials, curve_reports, 3)]

    # The pages load a partial plotly.js (scripts/build_plotly.sh) with these trace types only.
    assert {trace["type"] for figure in figures for trace in figure["traces"]} <= {"scatter", "bar", "heatmap", "contour"}


def test_the_plotly_bundle_asks_v8_to_compile_all_of_it_while_it_downloads():
    # scripts/build_plotly.sh writes V8's explicit compile hint first: Chromium then compiles every
    # function of plotly.js on a background thread as the file streams in, not each on the page's
    # main thread when the charts first call it (bench/README.md, issue 15, eighth round).
    bundle = Path(__file__).resolve().parents[2] / "static" / "vendor" / "plotly-tuner-4.1.1.min.js"

    with bundle.open() as file:
        first = file.readline()

    assert first == "//# allFunctionsCalledOnLoad\n"


def test_the_distributions_caption_reads_as_its_curve_counts_at_or_below_each_value_for_a_maximised_value_too():
    figure = plots.edf([0.9, 0.5, 0.7])
    caption = charts.WORDS["edf"][1]

    assert figure["traces"][0]["y"] == pytest.approx([1 / 3, 2 / 3, 1.0]), "the share at or below, rising"
    assert caption.startswith("The share of trials at or below each value, whichever way is better.")
