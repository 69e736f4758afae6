"""Plot data: pure functions from plain trial records to Plotly figures (traces, layout, a note).

Nothing here touches the database. Every function returns a dict with `traces`, `layout`,
`note` (said under the chart, e.g. when it shows a sample) and `empty` (the message shown
instead of an empty chart, or None). Charts that cannot show 10,000 of something take a
deterministic sample: the best trials, then an even spread of the rest.
"""

import math
from datetime import UTC, datetime, timedelta

import numpy as np
from scipy.interpolate import griddata
from scipy.spatial import QhullError

from studies.engine import GOAL_WORDS

from .names import choice_label, hover_label, param_label
from .states import LEAD, PALETTE, words_of
from .states import TRIAL_STATES as STATE_COLOURS

MAX_LINES = 1000
MAX_POINTS = 2000
# Each slice panel draws every shown trial, so the slices show fewer: 300 dots a panel still
# show a trend and draw as SVG. Plotly's WebGL ("scattergl") costs seconds where the browser has
# no GPU (it renders WebGL on the CPU): 8 panels of 1,000 WebGL dots took 1.5 s to draw in
# headless Chromium here, of 500 SVG dots 0.85 s, and the rank chart the same again. SVG costs
# about 70 us of the page's CPU a dot: 500 dots a panel made the slices and the rank chart 0.63 s
# of the page's 1.4 s of drawing at 10,000 trials (the rest 60 ms for their 16 panels).
MAX_SLICE_POINTS = 300
# The contour's dots over the map, in SVG for the same reason (2,000 WebGL dots took 0.8 s).
MAX_CONTOUR_DOTS = 500
# Learning curves are lines, which SVG draws cheaply (200 curves of 10 steps: 0.13 s, where
# WebGL took 1.3 s); past this many points in all, each curve is drawn through every k-th step
# (and its last). The pages load a plotly.js without WebGL (scripts/build_plotly.sh: scatter, bar, heatmap, contour): every chart is SVG.
MAX_SVG_CURVE_POINTS = 20_000
MAX_EDF_POINTS = 1000
CONTOUR_BINS = 24
MAX_SURFACE_POINTS = 1000
BEST_SHARE = 0.1
# The words of `names.control_words` for a study whose parameters keep their names as written.
NO_WORDS = {"labels": {}, "choice_labels": {}}
# More bars than this crowd the chart's height; the rest are summed up in the note.
MAX_IMPORTANCE_BARS = 12
# The legend of the importance chart's marked bars (`importance_bars`).
_LEAD_LEGEND = "mattered most for its kind of model"


# Plotly renders a little HTML in text it draws (<a href>, <b>, <br>, entities): user text
# (choices, study names, worker names) in these keys is escaped, so it shows as typed and can
# never become a link. Our own hover templates use keys not listed here.
# A category axis's tickvals (and categoryarray) are its choices, escaped as its dots' x are, so
# the two still match.
_TEXT_KEYS = frozenset({"x", "y", "text", "hovertext", "name", "ticktext", "tickvals", "label", "legendgroup",
                        "categoryarray"})


def figure(traces, layout=None, note=None, empty=None):
    """Every figure leaves through here, with the user text in it escaped for Plotly."""
    return {"traces": _escaped(traces), "layout": _escaped(layout or {}), "note": note, "empty": empty}


def plotly_text(value):
    """Text as Plotly must receive it to draw it literally: `&` and `<` as entities."""
    return value.replace("&", "&amp;").replace("<", "&lt;")


def _escaped(node, key=None):
    if isinstance(node, dict):
        return {name: plotly_text(item) if isinstance(item, str) and name in _TEXT_KEYS else _escaped(item, name)
                for name, item in node.items()}
    if isinstance(node, list):
        if key in _TEXT_KEYS:
            return [plotly_text(item) if isinstance(item, str) else item for item in node]
        return [_escaped(item, key) if isinstance(item, (dict, list)) else item for item in node]
    return node


def nothing(message):
    return figure([], empty=message)


def numeric_params(space):
    """Names of the int and float parameters of a JSON search space, in its order."""
    return [name for name, spec in space.items() if spec.get("type") in ("int", "float")]


def sample(rows, limit, score):
    """At most `limit` rows: the best half by `score` (lower is better), then an even spread.

    Returns the chosen rows in their original order, and whether any were left out.
    """
    if len(rows) <= limit:
        return rows, False
    chosen = sample_indices(np.array([score(row) for row in rows], dtype=float), limit)
    return [rows[i] for i in chosen], True


def sample_indices(scores, limit):
    """Ascending indices of at most `limit` of `scores`: the best half (lowest), then an even
    spread of the rest; every index when there are no more than `limit`."""
    if len(scores) <= limit:
        return list(range(len(scores)))
    best = np.argsort(scores, kind="stable")[: limit // 2]
    rest = np.setdiff1d(np.arange(len(scores)), best)
    spread = rest[np.linspace(0, len(rest) - 1, limit - len(best)).round().astype(int)]
    return sorted({*best.tolist(), *spread.tolist()})


def loss(value, direction):
    """The value turned so that lower is better (None sorts last)."""
    if value is None:
        return math.inf
    return value if direction != "maximize" else -value


def _ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sample_note(n_shown, n_total, what="trials"):
    return f"Showing {n_shown:,} of {n_total:,} {what}: the best half, then an even spread of the rest."


def history_note(n_shown, n_total, live=False):
    """What the history chart says under it when it shows a sample of the trials (else None);
    `live` for the study page, which adds every trial that finishes after it opened."""
    if n_shown >= n_total:
        return None
    when = " as the page opened" if live else ""
    said = (f"Showing {n_shown:,} of {n_total:,} trials{when}: the best half, then an even spread of the rest, "
            "and every trial that set a new best.")
    return said + (" Trials that finish after that are all added." if live else "")


def _shown_note(n_shown, n_total):
    return sample_note(n_shown, n_total) if n_total > n_shown else None


def parallel(space, rows, direction, n_total=None, value_name="value", words=NO_WORDS):
    """Parallel coordinates over (number, params, value) rows of complete trials.

    `n_total` is how many complete trials there are when `rows` is already a sample of them
    (the note then says how many are shown); None when `rows` are all of them. `value_name`:
    what the value axis is called (a study of several objectives plots its first one's).
    `words`: `names.control_words`, what the axes and choices are called (each axis keeps its
    parameter's own name as `param`, which "Narrow the search" reads).
    """
    if not rows:
        return nothing("No complete trials yet: each one will become a line here.")
    shown, _ = sample(rows, MAX_LINES, lambda row: loss(row.objective, direction))
    values = [row.objective for row in shown]
    dimensions = [_dimension(name, spec, [row.params.get(name) for row in shown], words) for name, spec in space.items()]
    dimensions.append({"label": value_name, "values": values})
    best_cut = float(np.quantile(values, 1 - BEST_SHARE if direction == "maximize" else BEST_SHARE))
    trace = {
        "type": "parcoords",
        "dimensions": dimensions,
        "line": {"color": values, "colorscale": "Viridis", "reversescale": direction != "maximize",
                 "showscale": True, "colorbar": {"title": {"text": value_name}}},
    }
    band = [best_cut, max(values)] if direction == "maximize" else [min(values), best_cut]
    trace["dimensions"][-1]["constraintrange"] = band
    note = _shown_note(len(shown), len(rows) if n_total is None else n_total)
    return figure([trace], {"margin": {"l": 60, "r": 40, "t": 40, "b": 20}}, note)


def _dimension(name, spec, values, words=NO_WORDS):
    """One parcoords axis. A conditional parameter's absent value gets its own tick, "absent"."""
    if spec.get("type") == "categorical":
        choices = [str(choice) for choice in spec["choices"]]
        index = {choice: i for i, choice in enumerate(choices)}
        codes = [index.get(str(v), -1) if v is not None else -1 for v in values]
        absent = -1 in codes
        return {"label": param_label(words, name), "param": name, "values": codes,
                "range": [-1 if absent else -0.5, len(choices) - 0.5],
                "tickvals": ([-1] if absent else []) + list(range(len(choices))),
                "ticktext": (["absent"] if absent else []) + _choice_texts(spec, name, words)}
    log = bool(spec.get("log")) and spec.get("low", 0) > 0
    numbers = [v if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in values]
    numbers = [math.log10(v) if log and v is not None and v > 0 else (None if log else v) for v in numbers]
    low, high = spec.get("low", 0), spec.get("high", 1)
    low, high = (math.log10(low), math.log10(high)) if log else (low, high)
    said = f"{param_label(words, name)} (log)" if log else param_label(words, name)
    ticks = np.linspace(low, high, 5)
    if spec.get("type") == "int" and not log:
        ticks = np.unique(np.round(ticks))
    ticks = ticks.tolist()
    text = [f"{10 ** t if log else t:.3g}" for t in ticks]
    if all(v is not None for v in numbers):
        return {"label": said, "param": name, "values": numbers, "range": [low, high], "tickvals": ticks,
                "ticktext": text}
    below = low - 0.12 * ((high - low) or 1.0)
    return {"label": said, "param": name, "values": [below if v is None else v for v in numbers],
            "range": [below, high], "tickvals": [below, *ticks], "ticktext": ["absent", *text]}


def _choice_texts(spec, name, words):
    """A categorical parameter's choices as its axis writes them, in the space's order."""
    return [str(choice_label(words, name, choice)) for choice in spec["choices"]]


def slices(space, rows, direction, n_total=None, value_name="value", words=NO_WORDS):
    """The objective against each parameter, one small panel per parameter; `n_total`,
    `value_name` and `words` as for `parallel`. Each panel's trace is named for the hover
    (`names.hover_label`) and keeps its parameter's own name as `meta`, which "Narrow the
    search" reads."""
    if not rows:
        return nothing("No complete trials yet: each panel will show the value against one parameter.")
    shown, _ = sample(rows, MAX_SLICE_POINTS, lambda row: loss(row.objective, direction))
    names = list(space)
    columns = min(len(names), 4)
    layout = {"grid": {"rows": math.ceil(len(names) / columns), "columns": columns, "pattern": "independent"},
              "showlegend": False, "margin": {"l": 50, "r": 10, "t": 20, "b": 40}}
    traces = []
    for i, name in enumerate(names, start=1):
        present = [row for row in shown if name in row.params]
        traces.append({
            "type": "scatter", "mode": "markers", "name": hover_label(words, name), "meta": name,
            "x": [_axis_value(row.params[name]) for row in present], "y": [row.objective for row in present],
            "xaxis": f"x{i}", "yaxis": f"y{i}", "text": [f"trial {row.number}" for row in present],
            "marker": {"size": 5, "opacity": 0.7, "color": [row.number for row in present], "colorscale": "Blues"},
        })
        layout[f"xaxis{i}"] = _param_axis(name, space[name], words)
    if value_name != "value":  # "value" goes without saying; a name ("accuracy") does not
        layout["yaxis"] = {"title": {"text": value_name}}
    note = _shown_note(len(shown), len(rows) if n_total is None else n_total)
    return figure(traces, layout, note)


def _param_axis(name, spec, words=NO_WORDS):
    """An x axis for one parameter's panel: log where the space is, categories for choices (each
    choice written as `words` name it)."""
    axis = {"title": {"text": param_label(words, name)}}
    if spec.get("log"):
        axis.update(type="log", dtick=1)
    if spec.get("type") == "categorical":
        axis["type"] = "category"
        if name in words["choice_labels"]:
            axis |= {"tickvals": [str(choice) for choice in spec["choices"]],
                     "ticktext": _choice_texts(spec, name, words)}
    return axis


def rank(space, rows, ranks, directions, n_total, objective_names=None, words=NO_WORDS):
    """Each parameter against the value, one panel per parameter as in `slices`, each dot
    coloured by its trial's rank (1 = best): by the value with one objective, by Pareto rank
    (1 = the front) with several. `ranks` lines up with `rows`; `n_total` counts all the
    trials the rows were picked from; `objective_names` are `Study.objective_labels`; `words`
    as for `slices`."""
    if not rows:
        return nothing("No complete trials yet: each panel will show the value against one parameter.")
    names, several = list(space), len(directions) > 1
    columns = min(len(names), 4)
    layout = {"grid": {"rows": math.ceil(len(names) / columns), "columns": columns, "pattern": "independent"},
              "showlegend": False, "margin": {"l": 50, "r": 70, "t": 20, "b": 40}}
    traces = []
    for i, name in enumerate(names, start=1):
        present = [(row, r) for row, r in zip(rows, ranks) if name in row.params]
        traces.append({
            "type": "scatter", "mode": "markers", "name": hover_label(words, name), "meta": name,
            "x": [_axis_value(row.params[name]) for row, _ in present], "y": [row.objective for row, _ in present],
            "xaxis": f"x{i}", "yaxis": f"y{i}", "text": [f"trial {row.number}: rank {r}" for row, r in present],
            "marker": {"size": 6, "opacity": 0.8, "color": [r for _, r in present], "colorscale": "Viridis",
                       "reversescale": True, "cmin": 1, "cmax": max(max(ranks), 2), "showscale": i == 1,
                       "colorbar": {"title": {"text": "Pareto rank" if several else "rank"}, "thickness": 12,
                                    "x": 1.01, "xanchor": "left"}},
        })
        layout[f"xaxis{i}"] = _param_axis(name, space[name], words)
    layout["yaxis"] = {"title": {"text": value_title(directions, objective_names)}}
    note = None
    if len(rows) < n_total:
        note = sample_note(len(rows), n_total) + (" Pareto ranks are among the trials shown." if several else "")
    return figure(traces, layout, note)


def hypervolume(numbers, history, directions, names=None):
    """The hypervolume of the best trade-offs after each complete trial (`history` from the
    engine's `hypervolume_history`), with the reference point and the method in the note;
    `names` are `Study.objective_labels`."""
    if len(directions) < 2:
        return nothing("The hypervolume applies to studies with several objectives.")
    if not numbers:
        return nothing("No complete trials yet.")
    trace = {"type": "scatter", "mode": "lines+markers", "name": "hypervolume", "x": list(numbers),
             "y": list(history.volumes), "line": {"shape": "hv", "color": STATE_COLOURS["complete"]},
             "marker": {"size": 4}, "hovertemplate": "trial %{x}: %{y:.4g}<extra></extra>"}
    layout = {"xaxis": {"title": {"text": "trial number"}}, "yaxis": {"title": {"text": "hypervolume"}},
              "showlegend": False, "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    labels = names or [f"objective {i}" for i in range(1, len(history.reference) + 1)]
    corner = ", ".join(f"{label} is {v:.4g}" for label, v in zip(labels, history.reference))
    note = f"Measured up to the corner where {corner}."
    if not history.exact:
        note += (f" With {len(directions)} objectives and this many trade-offs, the volume is estimated from "
                 "20,000 random points (always the same ones), so it may be off by a percent or two.")
    return figure([trace], layout, note)


def _axis_value(value):
    return str(value) if isinstance(value, bool) else value


def contour(space, rows, x, y, direction, n_total=None, value_name="value", words=NO_WORDS):
    """The value over two parameters: a grid of the best value per cell, and the trials as dots.

    `n_total` is how many complete trials there are when `rows` is already a sample of them;
    `value_name` and `words` as for `parallel`.
    """
    if x not in space or y not in space or x == y:
        return nothing("Pick two different parameters.")
    both = [row for row in rows if x in row.params and y in row.params]
    if len(both) < 3:
        return nothing("Fewer than three complete trials set both parameters; the map needs more.")
    xs, x_axis = _positions(space[x], [row.params[x] for row in both], x, words)
    ys, y_axis = _positions(space[y], [row.params[y] for row in both], y, words)
    values = np.array([row.objective for row in both], dtype=float)
    x_edges, y_edges = _edges(space[x], xs), _edges(space[y], ys)
    if x_edges is None and y_edges is None:
        grid, x_mid, y_mid = _surface(xs, ys, values, direction)
        kind = {"type": "contour", "contours": {"coloring": "heatmap"}, "connectgaps": False,
                "line": {"width": 0.5, "color": "rgba(255,255,255,.5)"}}
    else:
        # A choice is not a point on a line: give each its own band instead of interpolating across.
        grid, x_mid, y_mid = _best_per_cell(xs, ys, values, direction, x_edges, y_edges)
        kind = {"type": "heatmap", "hoverongaps": False}
    heat = kind | {"x": x_mid, "y": y_mid, "z": grid, "colorscale": "Viridis",
                   "reversescale": direction != "maximize", "colorbar": {"title": {"text": value_name}}}
    shown, sampled = sample(list(range(len(both))), MAX_CONTOUR_DOTS, lambda i: loss(values[i], direction))
    dots = {"type": "scatter", "mode": "markers", "x": [xs[i] for i in shown], "y": [ys[i] for i in shown],
            "marker": {"size": 5, "color": "#111827", "opacity": 0.6}, "name": "trials",
            "text": [f"trial {both[i].number}: {values[i]:.6g}" for i in shown], "hoverinfo": "text"}
    layout = {"xaxis": x_axis | {"title": {"text": param_label(words, x)}}, "yaxis": y_axis | {"title": {"text": param_label(words, y)}},
              "showlegend": False, "margin": {"l": 60, "r": 10, "t": 10, "b": 50}}
    if n_total is not None and n_total > len(rows):
        note = sample_note(len(shown), n_total)
    else:
        note = sample_note(len(shown), len(both), "dots") if sampled else None
    return figure([heat, dots], layout, note)


def _positions(spec, values, name, words=NO_WORDS):
    """Numbers to plot parameter `name` at, and its axis; choices become their index."""
    if spec.get("type") == "categorical":
        choices = [str(choice) for choice in spec["choices"]]
        index = {choice: i for i, choice in enumerate(choices)}
        # Choices in words (kinds of model) slant when they crowd: the margin grows to hold them,
        # or they ran into the axis's title.
        axis = {"tickvals": list(range(len(choices))), "ticktext": _choice_texts(spec, name, words), "automargin": True}
        return np.array([index.get(str(v), 0) for v in values], dtype=float), axis
    numbers = np.array(values, dtype=float)
    if spec.get("log"):
        exponents = np.log10(numbers)
        return exponents, _log_ticks(exponents.min(), exponents.max())
    return numbers, {}


def _log_ticks(low, high):
    """Ticks for an axis drawn in log10 units, labelled with the values themselves."""
    ticks = np.arange(math.ceil(low), math.floor(high) + 1, dtype=float)
    if len(ticks) < 3:
        ticks = np.linspace(low, high, 4)
    return {"tickvals": ticks.tolist(), "ticktext": [f"{10 ** tick:.3g}" for tick in ticks]}


def _surface(xs, ys, values, direction):
    """The value interpolated over a regular grid inside the trials' hull (scipy's griddata).

    Where the trials lie on a line or a few points, there is no hull to fill: fall back to
    the best value per grid cell.
    """
    bins = CONTOUR_BINS
    x_mid = np.linspace(xs.min(), xs.max(), bins) if xs.max() > xs.min() else None
    y_mid = np.linspace(ys.min(), ys.max(), bins) if ys.max() > ys.min() else None
    if x_mid is None or y_mid is None:
        return _best_per_cell(xs, ys, values, direction, None, None)
    scale = np.array([xs.max() - xs.min(), ys.max() - ys.min()])
    gx, gy = np.meshgrid(x_mid, y_mid)
    # Triangulating thousands of points is slow and adds nothing at this resolution.
    keep, _ = sample(list(range(len(values))), MAX_SURFACE_POINTS, lambda i: loss(values[i], direction))
    try:
        z = griddata(np.column_stack([xs[keep], ys[keep]]) / scale, values[keep], (gx / scale[0], gy / scale[1]),
                     method="linear")
    except (ValueError, QhullError):
        return _best_per_cell(xs, ys, values, direction, None, None)
    rows = [[None if not math.isfinite(cell) else float(cell) for cell in row] for row in z]
    return rows, x_mid.tolist(), y_mid.tolist()


def _edges(spec, positions):
    """Cell edges for a categorical axis, one cell per choice; None for a numeric axis."""
    if spec.get("type") != "categorical":
        return None
    return np.arange(len(spec["choices"]) + 1) - 0.5


def _best_per_cell(xs, ys, values, direction, x_edges, y_edges):
    """The best value in each cell of a grid; cells are given or CONTOUR_BINS even steps."""
    x_edges = np.linspace(xs.min(), xs.max() + 1e-12, CONTOUR_BINS + 1) if x_edges is None else x_edges
    y_edges = np.linspace(ys.min(), ys.max() + 1e-12, CONTOUR_BINS + 1) if y_edges is None else y_edges
    ix = np.clip(np.digitize(xs, x_edges) - 1, 0, len(x_edges) - 2)
    iy = np.clip(np.digitize(ys, y_edges) - 1, 0, len(y_edges) - 2)
    signed = values if direction == "maximize" else -values
    grid = np.full((len(y_edges) - 1, len(x_edges) - 1), -np.inf)
    np.maximum.at(grid, (iy, ix), signed)
    grid = grid if direction == "maximize" else -grid
    z = [[None if not math.isfinite(cell) else float(cell) for cell in row] for row in grid]
    return z, ((x_edges[:-1] + x_edges[1:]) / 2).tolist(), ((y_edges[:-1] + y_edges[1:]) / 2).tolist()


def curves(trials, reports, n_total):
    """Learning curves: trial rows with their (step, value) reports, by trial id.

    Lines of one state share a trace, separated by gaps, so 200 curves cost 3 traces.
    Pruned trials end with a cross where they stopped.
    """
    if not trials:
        return nothing("No trial has reported intermediate values yet.")
    traces = []
    n_points = sum(len(reports.get(trial.pk, [])) for trial in trials)
    every = math.ceil(n_points / MAX_SVG_CURVE_POINTS)
    for state in ("complete", "running", "pruned", "failed", "stopped"):
        xs, ys, texts, ends = [], [], [], ([], [])
        for trial in trials:
            points = reports.get(trial.pk, [])
            if trial.state != state or not points:
                continue
            if every > 1:
                points = points[::every] + ([points[-1]] if (len(points) - 1) % every else [])
            xs += [step for step, _ in points] + [None]
            ys += [value for _, value in points] + [None]
            texts += [f"trial {trial.number}"] * len(points) + [None]
            ends[0].append(points[-1][0])
            ends[1].append(points[-1][1])
        if not xs:
            continue
        colour = STATE_COLOURS[state]
        traces.append({"type": "scatter", "mode": "lines", "name": words_of(state), "x": xs, "y": ys, "text": texts,
                       "line": {"color": colour, "width": 1}, "opacity": 0.6, "connectgaps": False})
        if state == "pruned":
            traces.append({"type": "scatter", "mode": "markers", "name": "stopped here", "x": ends[0], "y": ends[1],
                           "marker": {"symbol": "x", "size": 8, "color": colour}})
    notes = [sample_note(len(trials), n_total, "curves")] if n_total > len(trials) else []
    if every > 1:
        notes.append(f"Each curve is drawn through every {_ordinal(every)} step and its last.")
    note = " ".join(notes) or None
    layout = {"xaxis": {"title": {"text": "step"}}, "yaxis": {"title": {"text": "intermediate value"}},
              "legend": {"orientation": "h", "y": -0.2}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40},
              "showlegend": True}
    return figure(traces, layout, note)


def against_metric(rows, name, direction, value_name="value"):
    """The objective against one metric the trials recorded (training time, model size...):
    what the best values cost, or whether the metric moves with the value (`value_name` as for
    `parallel`)."""
    if not rows:
        return nothing(f"No complete trial has recorded {name} yet.")
    shown, sampled = sample(rows, MAX_POINTS, lambda row: loss(row.objective, direction))
    trace = {
        "type": "scatter", "mode": "markers", "name": name,
        "x": [row.metrics[name] for row in shown], "y": [row.objective for row in shown],
        "text": [f"trial {row.number}" for row in shown],
        "marker": {"size": 6, "opacity": 0.75, "color": [row.number for row in shown], "colorscale": "Blues"},
    }
    layout = {"xaxis": {"title": {"text": name}}, "yaxis": {"title": {"text": value_name}},
              "margin": {"l": 60, "r": 10, "t": 10, "b": 40}, "showlegend": False}
    return figure([trace], layout, sample_note(len(shown), len(rows)) if sampled else None)


def edf(values, value_name="value"):
    """The empirical distribution of the objective: the share of trials at or below each value
    (`value_name` as for `parallel`)."""
    if not values:
        return nothing("No complete trials yet.")
    ordered = np.sort(np.array(values, dtype=float))
    shares = np.arange(1, len(ordered) + 1) / len(ordered)
    if len(ordered) > MAX_EDF_POINTS:
        picks = np.linspace(0, len(ordered) - 1, MAX_EDF_POINTS).round().astype(int)
        ordered, shares = ordered[picks], shares[picks]
    trace = {"type": "scatter", "mode": "lines", "x": ordered.tolist(), "y": shares.tolist(),
             "line": {"shape": "hv", "color": STATE_COLOURS["complete"]}, "name": "trials"}
    layout = {"xaxis": {"title": {"text": value_name}}, "yaxis": {"title": {"text": f"share of trials ≤ {value_name}"},
              "range": [0, 1.02]}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40}, "showlegend": False}
    return figure([trace], layout)


def timeline(rows, n_total, now, show_hosts=True):
    """Trials per worker over time, as bars.

    Without `show_hosts` (a share link), workers are named "worker 1", "worker 2"... in the
    order they first appear, so the chart shows the same lanes without the machines' names.
    """
    if not rows:
        return nothing("No trial has started yet.")
    lanes = _lanes(rows, show_hosts)
    traces = []
    for state, colour in STATE_COLOURS.items():
        chosen = [row for row in rows if row.state == state]
        if not chosen:
            continue
        durations_ms = [((row.finished_at or now) - row.started_at).total_seconds() * 1000 for row in chosen]
        traces.append({
            "type": "bar", "orientation": "h", "name": words_of(state), "y": [lanes[row.worker] for row in chosen],
            "x": durations_ms, "base": [_iso(row.started_at) for row in chosen], "marker": {"color": colour},
            "hovertext": [f"trial {row.number}" for row in chosen], "hoverinfo": "text+name", "textposition": "none",
        })
    layout = {"barmode": "overlay", "xaxis": {"type": "date", "title": {"text": "time (UTC)"}},
              "yaxis": {"title": {"text": "worker"}, "automargin": True}, "legend": {"orientation": "h", "y": -0.25},
              "showlegend": True,
              "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    note = f"Showing the latest {len(rows):,} of {n_total:,} started trials." if n_total > len(rows) else None
    return figure(traces, layout, note)


def _lanes(rows, show_hosts):
    lanes = {}
    for row in sorted(rows, key=lambda row: row.started_at):
        if row.worker not in lanes:
            lanes[row.worker] = (row.worker or "(unknown)") if show_hosts else f"worker {len(lanes) + 1}"
    return lanes


def _iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def pareto(rows, directions, front, names=None):
    """Complete trials of a two-objective study by their first two values; the front highlighted.

    `rows` are trial rows; `front` is the set of front trial numbers; `names` are `Study.objective_labels`.
    """
    if len(directions) < 2:
        return nothing("The Pareto front applies to studies with several objectives.")
    points = [row for row in rows if row.values and len(row.values) >= 2]
    if not points:
        return nothing("No complete trials yet.")
    others = [row for row in points if row.number not in front]
    others, sampled = sample(others, MAX_POINTS, lambda row: row.number)
    best = sorted((row for row in points if row.number in front), key=lambda row: row.values[0])
    traces = [_pareto_trace(others, "other trials", "#9ca3af", "markers"),
              _pareto_trace(best, "Pareto front", "#dc2626", "markers+lines")]
    layout = {"xaxis": {"title": {"text": _objective_title(names, directions, 0)}},
              "yaxis": {"title": {"text": _objective_title(names, directions, 1)}},
              "legend": {"orientation": "h", "y": -0.2}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    note = "Only the first two objectives are drawn." if len(directions) > 2 else None
    if sampled:
        note = ((note or "") + f" Showing {len(others):,} of the other trials, evenly spread.").strip()
    return figure(traces, layout, note)


def value_title(directions, names=None):
    """The value axis of a chart of one value per trial: what the value measures ("accuracy", or
    "value" when unnamed), or with several objectives the first one's title (charts draw the first
    objective where they have room for one). `names` are `Study.objective_labels`."""
    if len(directions) <= 1:
        return names[0] if names else "value"
    return _objective_title(names, directions, 0)


def _objective_title(names, directions, i):
    """An axis of objective i: "accuracy (highest is best)", or "objective 1 (highest is best)" when unnamed."""
    return f"{names[i] if names else f'objective {i + 1}'} ({GOAL_WORDS.get(directions[i], directions[i])})"


def _pareto_trace(rows, name, colour, mode):
    return {"type": "scatter", "mode": mode, "name": name, "x": [row.values[0] for row in rows],
            "y": [row.values[1] for row in rows], "text": [f"trial {row.number}" for row in rows],
            "marker": {"color": colour, "size": 7}, "line": {"shape": "hv", "color": colour}}


def importance_bars(scores, words=NO_WORDS, leads=(), value_name="value"):
    """Horizontal bars from a parameter -> importance mapping, most important on top, each named
    as `words` name it (with its own name beside in the hover, `names.hover_label`). The bars of
    `leads`, each the setting that mattered most within its kind of model (`charts`), are marked
    in a colour of their own, which a legend and the note say the meaning of. `value_name` as for
    `parallel`."""
    if not scores:
        return nothing("Not enough complete trials to tell which parameters matter.")
    ordered = sorted(scores.items(), key=lambda item: -item[1])
    shown = ordered[:MAX_IMPORTANCE_BARS][::-1]  # Plotly draws the first bar at the bottom
    # Every bar keeps its label: left to itself Plotly drops every other one when they crowd,
    # and the bar beside a label is then not the parameter it names.
    layout = {"xaxis": {"title": {"text": f"share of the variation in the {value_name}"}, "tickformat": ".0%"},
              "yaxis": {"automargin": True, "tickmode": "linear", "dtick": 1},
              "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    notes = []
    if len(ordered) > MAX_IMPORTANCE_BARS:
        rest = sum(score for _, score in ordered[MAX_IMPORTANCE_BARS:])
        share = f"{rest:.0%}" if rest >= 0.005 else "less than 1%"  # "0%" would read as nothing at all
        n_rest = len(ordered) - MAX_IMPORTANCE_BARS
        others = f"the other one explains {share}" if n_rest == 1 else f"the other {n_rest} explain {share} together"
        notes.append(f"Showing the {MAX_IMPORTANCE_BARS} parameters that matter most, of {len(ordered)}; {others}.")
    marked = [(name, score) for name, score in shown if name in leads]
    traces = [_importance_trace([(name, score) for name, score in shown if name not in leads], words,
                                STATE_COLOURS["complete"])]
    if marked:
        traces.append(_importance_trace(marked, words, LEAD) | {
            "name": _LEAD_LEGEND, "showlegend": True,
            "hovertemplate": f"%{{text}}: %{{x:.1%}}<br>{_LEAD_LEGEND}<extra></extra>"})
        # Two traces share the axis: it keeps the bars' order, and one bar a row, not two side by side.
        layout["yaxis"] |= {"categoryorder": "array", "categoryarray": [param_label(words, name) for name, _ in shown]}
        layout |= {"barmode": "overlay", "legend": {"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"}}
        layout["margin"]["t"] = 30
    if leads:
        notes.append(_leads_note(leads, {name for name, _ in shown}, words))
    return figure(traces, layout, " ".join(notes) or None)


def _importance_trace(bars, words, colour):
    return {"type": "bar", "orientation": "h", "y": [param_label(words, name) for name, _ in bars],
            "x": [float(score) for _, score in bars], "marker": {"color": colour}, "showlegend": False,
            "text": [hover_label(words, name) for name, _ in bars], "textposition": "none",
            "hovertemplate": "%{text}: %{x:.1%}<extra></extra>"}


def _leads_note(leads, shown, words):
    """What the marked bars mean, in words, each lead named (most important first, as `leads`
    come); a lead whose bar is past the ones shown is named too, and said to be."""
    named = [param_label(words, name) + ("" if name in shown else ", not among the bars shown") for name in leads]
    return (f"Marked: for each kind of model whose trials make it clear, the one of its settings that mattered most "
            f"({'; '.join(named)}). "
            "A setting plays a part only in the trials of its own kind of model, so a marked bar can be short.")


def importance_by_objective(found, words=NO_WORDS):
    """Grouped horizontal bars: for each objective of several (`found`: (label, parameter ->
    importance)), how much each parameter explains the changes in it; parameters ordered by their
    mean share over the objectives, most important on top, named as in `importance_bars`."""
    names = sorted({name for _, scores in found for name in scores},
                   key=lambda name: -sum(scores.get(name, 0.0) for _, scores in found))
    shown = names[:MAX_IMPORTANCE_BARS][::-1]  # Plotly draws the first bar at the bottom
    said, hovered = [param_label(words, name) for name in shown], [hover_label(words, name) for name in shown]
    traces = [{"type": "bar", "orientation": "h", "name": objective, "y": said,
               "x": [float(scores.get(name, 0.0)) for name in shown], "marker": {"color": PALETTE[i % len(PALETTE)]},
               "text": hovered, "textposition": "none", "hovertemplate": "%{text}: %{x:.1%}"}
              for i, (objective, scores) in enumerate(found)]
    layout = {"barmode": "group", "xaxis": {"title": {"text": "share of the variation in each objective"},
                                            "tickformat": ".0%"},
              "yaxis": {"automargin": True, "tickmode": "linear", "dtick": 1},
              "legend": {"orientation": "h", "y": -0.25}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    note = None
    if len(names) > MAX_IMPORTANCE_BARS:
        note = f"Showing the {MAX_IMPORTANCE_BARS} parameters that matter most, of {len(names)}."
    return figure(traces, layout, note)


MAX_COLUMN_BARS = 20
_AVERAGE = {"probability": "average chance", "score": "average score", "prediction": "average prediction"}


def column_importance(columns, axis_title):
    """Horizontal bars from an explanation's columns: how much the metric gets worse when each
    column is shuffled (with its spread over the shuffles), most important on top."""
    if not columns:
        return nothing("No column importance was measured.")
    shown = columns[:MAX_COLUMN_BARS][::-1]
    trace = {"type": "bar", "orientation": "h", "y": [column["name"] for column in shown],
             "x": [column["importance"] for column in shown], "marker": {"color": STATE_COLOURS["complete"]},
             "error_x": {"type": "data", "array": [column.get("importance_std") or 0 for column in shown]},
             "hovertemplate": "%{y}: %{x:.3g}<extra></extra>"}
    # A column named "2019" is still a name: a category axis never reads it as a number.
    layout = {"xaxis": {"title": {"text": axis_title}},
              "yaxis": {"type": "category", "automargin": True}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40},
              "height": max(240, 28 * len(shown) + 80)}
    note = f"The {MAX_COLUMN_BARS} most important of {len(columns):,} columns." if len(columns) > len(shown) else None
    return figure([trace], layout, note)


def partial_dependence(curve):
    """One column's partial dependence: a line over a numeric column or a date column (its axis
    in dates, not the days the model reads), bars over a categorical one; one series per class
    when several classes have their own curve."""
    categorical = curve["kind"] == "categorical"
    grid = [str(value) for value in curve["grid"]] if categorical else curve["grid"]
    if curve["kind"] == "date":
        grid = [_date_text(days) for days in grid]
    many = len(curve["series"]) > 1
    traces = []
    for i, series in enumerate(curve["series"]):
        trace = {"type": "bar" if categorical else "scatter", "name": str(series["label"]), "x": grid,
                 "y": series["values"], "marker": {"color": PALETTE[i % len(PALETTE)]}}
        if not categorical:
            trace |= {"mode": "lines+markers" if len(grid) <= 20 else "lines",
                      "line": {"color": PALETTE[i % len(PALETTE)]}}
        traces.append(trace)
    axis_type = {"categorical": {"type": "category"}, "date": {"type": "date"}}.get(curve["kind"], {})
    layout = {"xaxis": {"title": {"text": curve["name"]}, **axis_type},
              "yaxis": {"title": {"text": _AVERAGE.get(curve["quantity"], curve["quantity"])}},
              "showlegend": many, "legend": {"orientation": "h", "y": -0.25}, "barmode": "group",
              "margin": {"l": 60, "r": 10, "t": 10, "b": 50}}
    return figure(traces, layout)


def _date_text(days):
    """Days since 1970-01-01 UTC (how a model reads a date column) as the date Plotly shows."""
    when = datetime(1970, 1, 1) + timedelta(days=days)
    return when.strftime("%Y-%m-%d %H:%M:%S" if when.time() != datetime.min.time() else "%Y-%m-%d")


def confusion_matrix(matrix):
    """A heatmap of counts: each real class (rows) against the model's answer (columns)."""
    labels = [str(label) for label in matrix["labels"]]
    # Plotly's "Blues" runs from dark to light: reversed, more rows are darker.
    trace = {"type": "heatmap", "x": labels, "y": labels, "z": matrix["counts"], "colorscale": "Blues",
             "reversescale": True, "showscale": False, "texttemplate": "%{z}",
             "hovertemplate": "real %{y}, answered %{x}: %{z} rows<extra></extra>"}
    layout = {"xaxis": {"title": {"text": "the model's answer"}, "type": "category"},
              "yaxis": {"title": {"text": "the real value"}, "type": "category", "autorange": "reversed"},
              "margin": {"l": 80, "r": 10, "t": 10, "b": 50}}
    return figure([trace], layout)


def predicted_vs_actual(points, target):
    """Each row's prediction against its real value, with the diagonal where they are equal."""
    actual, predicted = points["actual"], points["predicted"]
    if not actual:
        return nothing("No rows to show.")
    low, high = min(actual + predicted), max(actual + predicted)
    dots = {"type": "scatter", "mode": "markers", "name": "rows", "x": actual, "y": predicted,
            "marker": {"size": 5, "opacity": 0.5, "color": STATE_COLOURS["complete"]}}
    diagonal = {"type": "scatter", "mode": "lines", "name": "exact", "x": [low, high], "y": [low, high],
                "line": {"dash": "dash", "color": "#6b7280"}, "hoverinfo": "skip"}
    layout = {"xaxis": {"title": {"text": f"real {target}"}}, "yaxis": {"title": {"text": f"predicted {target}"}},
              "showlegend": False, "margin": {"l": 60, "r": 10, "t": 10, "b": 50}}
    sampled = points["n_rows"] > len(actual)
    note = f"Showing {len(actual):,} of {points['n_rows']:,} rows, a fixed sample." if sampled else None
    return figure([dots, diagonal], layout, note)


def best_so_far(rows, direction):
    """(numbers, values) of the best-so-far line over complete trial rows in number order."""
    xs, ys, best = [], [], None
    for row in rows:
        value = row.objective
        if value is None:
            continue
        if best is None or (value > best if direction == "maximize" else value < best):
            best = value
        xs.append(row.number)
        ys.append(best)
    return xs, ys


def compare_history(studies, value_name="value"):
    """Best-so-far lines of several studies on one chart. `studies` are (label, direction, complete rows);
    `value_name` is what their value measures when they all measure the same ("accuracy")."""
    traces = []
    for i, (label, direction, rows) in enumerate(studies):
        xs, ys = best_so_far(rows, direction)
        colour = PALETTE[i % len(PALETTE)]
        traces.append({"type": "scatter", "mode": "markers", "name": f"{label}: trials", "legendgroup": label,
                       "x": [row.number for row in rows], "y": [row.objective for row in rows], "showlegend": False,
                       "marker": {"color": colour, "size": 4, "opacity": 0.35}})
        traces.append({"type": "scatter", "mode": "lines", "name": label, "legendgroup": label, "x": xs, "y": ys,
                       "line": {"shape": "hv", "color": colour, "width": 2.5}})
    if not any(rows for _, _, rows in studies):
        return nothing("None of these studies has a complete trial yet.")
    layout = {"xaxis": {"title": {"text": "trial number"}}, "yaxis": {"title": {"text": f"best {value_name} so far"}},
              "legend": {"orientation": "h", "y": -0.2}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    return figure(traces, layout)


def compare_hypervolume(studies, reference, objective_names, unlike=()):
    """The hypervolume of each study's best trade-offs after each trial, all measured up to one
    `reference` corner, so the lines compare. `studies` are (label, trial numbers, volumes);
    `unlike` labels the studies left out because they optimise other directions."""
    traces = [{"type": "scatter", "mode": "lines", "name": label, "x": list(numbers), "y": list(volumes),
               "line": {"shape": "hv", "color": PALETTE[i % len(PALETTE)], "width": 2.5},
               "hovertemplate": "trial %{x}: %{y:.4g}"}
              for i, (label, numbers, volumes) in enumerate(studies)]
    note = "Left out, as they optimise other directions: " + ", ".join(unlike) + "." if unlike else None
    if not any(numbers for _, numbers, _ in studies):
        return nothing("None of these studies has a complete trial yet.")
    corner = ", ".join(f"{name} is {value:.4g}" for name, value in zip(objective_names, reference))
    note = (f"Measured up to the same corner for every study, where {corner}." + (f" {note}" if note else ""))
    layout = {"xaxis": {"title": {"text": "trial number"}}, "yaxis": {"title": {"text": "hypervolume"}},
              "legend": {"orientation": "h", "y": -0.2}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    return figure(traces, layout, note)


def compare_best(labels, values, value_name="value"):
    """One bar per study: its best value (`value_name` as for `compare_history`)."""
    shown = [(label, value) for label, value in zip(labels, values) if value is not None]
    if not shown:
        return nothing("None of these studies has a best value yet.")
    trace = {"type": "bar", "x": [label for label, _ in shown], "y": [value for _, value in shown],
             "marker": {"color": [PALETTE[labels.index(label) % len(PALETTE)] for label, _ in shown]},
             "text": [f"{value:.4g}" for _, value in shown], "textposition": "auto"}
    layout = {"yaxis": {"title": {"text": f"best {value_name}"}}, "margin": {"l": 60, "r": 10, "t": 10, "b": 60}}
    return figure([trace], layout)


def recheck_intervals(trials, robust_best, value_title):
    """One point per re-checked trial: the mean of its fresh values with its 95% interval as an
    error bar, best first, the most reliable trial in the best colour."""
    if not trials:
        return nothing("No re-checked trial has a fresh value yet.")
    labels = [f"#{row['number']}" for row in trials]
    colours = [STATE_COLOURS["complete"] if row["number"] == robust_best else STATE_COLOURS["stopped"] for row in trials]
    trace = {"type": "scatter", "mode": "markers", "x": labels, "y": [row["mean"] for row in trials],
             "marker": {"color": colours, "size": 10},
             "error_y": {"type": "data", "symmetric": False,
                         "array": [row["high"] - row["mean"] for row in trials],
                         "arrayminus": [row["mean"] - row["low"] for row in trials]},
             "customdata": [[row["low"], row["high"], row["n"]] for row in trials],
             "hovertemplate": "%{x}: %{y:.4g} (95%: %{customdata[0]:.4g} to %{customdata[1]:.4g}, "
                              "%{customdata[2]} values)<extra></extra>"}
    layout = {"xaxis": {"type": "category", "title": {"text": "trial"}},
              "yaxis": {"title": {"text": value_title}}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40},
              "height": 280}
    return figure([trace], layout)
