"""Plotly figures this app draws itself, as pure functions of plain rows (dashboard style).

The study page draws its history in the browser from live points; the report and the
compare page need it from the server, so it is built here in the same shape as
`dashboard.plots` figures: {"traces", "layout", "note", "empty"}.
"""

from dashboard.plots import STATE_COLOURS, figure, nothing

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563")


def best_so_far(rows, direction):
    """(numbers, values) of the best-so-far line over (number, value) rows in number order."""
    xs, ys, best = [], [], None
    for number, value in rows:
        if value is None:
            continue
        if best is None or (value > best if direction == "maximize" else value < best):
            best = value
        xs.append(number)
        ys.append(best)
    return xs, ys


def history(rows, direction):
    """Every finished trial as a dot coloured by state, and the best-so-far line.

    `rows` are (number, state, value) in number order.
    """
    if not any(value is not None for _, _, value in rows):
        return nothing("No finished trials yet: this chart fills in as they finish.")
    traces = []
    for state, colour in STATE_COLOURS.items():
        chosen = [(n, v) for n, s, v in rows if s == state and v is not None]
        if chosen:
            traces.append({"type": "scattergl" if len(chosen) > 1000 else "scatter", "mode": "markers", "name": state,
                           "x": [n for n, _ in chosen], "y": [v for _, v in chosen],
                           "marker": {"color": colour, "size": 6}})
    xs, ys = best_so_far([(n, v) for n, s, v in rows if s == "complete"], direction)
    if xs:
        traces.append({"type": "scatter", "mode": "lines", "name": "best so far", "x": xs, "y": ys,
                       "line": {"shape": "hv", "color": "#111827", "width": 2}})
    layout = {"xaxis": {"title": {"text": "trial number"}}, "yaxis": {"title": {"text": "value"}},
              "legend": {"orientation": "h", "y": -0.2}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    return figure(traces, layout)


def compare_history(studies):
    """Best-so-far lines of several studies on one chart. `studies` are (label, direction, rows)."""
    traces = []
    for i, (label, direction, rows) in enumerate(studies):
        xs, ys = best_so_far(rows, direction)
        colour = PALETTE[i % len(PALETTE)]
        traces.append({"type": "scatter", "mode": "markers", "name": f"{label}: trials", "legendgroup": label,
                       "x": [n for n, _ in rows], "y": [v for _, v in rows], "showlegend": False,
                       "marker": {"color": colour, "size": 4, "opacity": 0.35}})
        traces.append({"type": "scatter", "mode": "lines", "name": label, "legendgroup": label, "x": xs, "y": ys,
                       "line": {"shape": "hv", "color": colour, "width": 2.5}})
    if not any(rows for _, _, rows in studies):
        return nothing("None of these studies has a complete trial yet.")
    layout = {"xaxis": {"title": {"text": "trial number"}}, "yaxis": {"title": {"text": "best value so far"}},
              "legend": {"orientation": "h", "y": -0.2}, "margin": {"l": 60, "r": 10, "t": 10, "b": 40}}
    return figure(traces, layout)


def compare_best(labels, values):
    """One bar per study: its best value."""
    shown = [(label, value) for label, value in zip(labels, values) if value is not None]
    if not shown:
        return nothing("None of these studies has a best value yet.")
    trace = {"type": "bar", "x": [label for label, _ in shown], "y": [value for _, value in shown],
             "marker": {"color": [PALETTE[labels.index(label) % len(PALETTE)] for label, _ in shown]},
             "text": [f"{value:.4g}" for _, value in shown], "textposition": "auto"}
    layout = {"yaxis": {"title": {"text": "best value"}}, "margin": {"l": 60, "r": 10, "t": 10, "b": 60}}
    return figure([trace], layout)
