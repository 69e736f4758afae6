// Drawing charts, for the study page (every visitor), the trial page, the compare page and the
// HTML report (inlined there, with nothing fetched). Every figure but the history comes built
// from the server ({traces, layout, note, empty}); the history is built here, from the live
// points the page already holds, in one place for the page and the report.
window.tunerCharts = (function () {
  const baseLayout = { font: { family: "system-ui, sans-serif", size: 12 }, paper_bgcolor: "rgba(0,0,0,0)",
                       plot_bgcolor: "rgba(0,0,0,0)", height: 340 };
  const svgIcon = { width: 1000, height: 1000,
                    path: "M100 850h800v100H100zM450 50h100v500l150-150 70 70-270 270-270-270 70-70 150 150z" };

  // Every chart downloads as PNG (Plotly's camera) or SVG (the added button).
  function config(name) {
    return {
      responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"],
      toImageButtonOptions: { format: "png", filename: name, scale: 2 },
      modeBarButtonsToAdd: [{ name: "Download as SVG", icon: svgIcon,
                              click: (gd) => Plotly.downloadImage(gd, { format: "svg", filename: name }) }],
    };
  }

  // Draws into #chart-<name>, shows the note in #note-<name> and the empty message in #empty-<name>.
  function draw(name, figure, extraLayout) {
    const chart = document.getElementById(`chart-${name}`);
    if (!chart) return;
    const empty = document.getElementById(`empty-${name}`);
    const note = document.getElementById(`note-${name}`);
    if (empty) { empty.hidden = !figure.empty; empty.textContent = figure.empty || ""; }
    if (note) note.textContent = figure.note || "";
    chart.hidden = Boolean(figure.empty);
    if (figure.empty) return;
    const layout = { ...baseLayout, ...figure.layout, ...(extraLayout || {}), uirevision: name };
    const traces = window.innerWidth < 600 ? narrow(figure.traces, layout) : figure.traces;
    if (layout.grid) layout.height = 240 * layout.grid.rows + 40;
    Plotly.react(chart, traces, layout, config(name));
  }

  // On a phone: two slice panels per row, slanted parallel-coordinate labels, smaller legends.
  function narrow(traces, layout) {
    layout.legend = { ...(layout.legend || {}), font: { size: 10 } };
    if (layout.grid) {
      layout.grid = { ...layout.grid, columns: Math.min(2, layout.grid.columns) };
      layout.grid.rows = Math.ceil(traces.length / layout.grid.columns);
    }
    return traces.map((trace) => {
      if (trace.type !== "parcoords") return trace;
      layout.margin = { ...(layout.margin || {}), t: 90, l: 40, r: 30 };
      return { ...trace, labelangle: -40, labelside: "top", line: { ...trace.line, showscale: false } };
    });
  }

  // The optimisation history from live points ({n, s, v, vs, x}): one marker trace per finished
  // state, coloured as dashboard/states.py says, trials a person excluded (x) as grey open
  // circles of their own, and for one objective the best-so-far line (which never counts an
  // excluded trial) and, once known, the baseline (what a guess that ignores every column
  // scores) as a dashed line. Trials that broke a constraint (f === false) are grey crosses of
  // their own, and the best-so-far line never counts them either.
  function history(points, direction, states, logScale, baseline) {
    const all = [...points].sort((a, b) => a.n - b.n);
    const sorted = all.filter((p) => !p.x && p.f !== false);
    const yOf = (p) => (direction ? p.v : (p.vs ? p.vs[0] : null));
    const traces = [];
    const excluded = all.filter((p) => p.x && yOf(p) !== null);
    const infeasible = all.filter((p) => !p.x && p.f === false && yOf(p) !== null);
    for (const [state, colour] of Object.entries(states.trial)) {
      const chosen = sorted.filter((p) => p.s === state && yOf(p) !== null);
      if (chosen.length) traces.push({ type: chosen.length > 1000 ? "scattergl" : "scatter", mode: "markers", name: state,
                                       x: chosen.map((p) => p.n), y: chosen.map(yOf), marker: { color: colour, size: 6 } });
    }
    if (excluded.length) traces.push({ type: "scatter", mode: "markers", name: "excluded", x: excluded.map((p) => p.n),
                                       y: excluded.map(yOf), hovertemplate: "#%{x}: %{y} (excluded)<extra></extra>",
                                       marker: { color: states.excluded, size: 7, symbol: "circle-open" } });
    if (infeasible.length) traces.push({ type: infeasible.length > 1000 ? "scattergl" : "scatter", mode: "markers",
                                         name: "infeasible", x: infeasible.map((p) => p.n), y: infeasible.map(yOf),
                                         hovertemplate: "#%{x}: %{y} (broke a constraint)<extra></extra>",
                                         marker: { color: states.excluded, size: 7, symbol: "x" } });
    if (direction) {
      const xs = [], ys = [];
      let best = null;
      for (const p of sorted) {
        if (p.s !== "complete" || p.v === null) continue;
        best = best === null ? p.v : (direction === "maximize" ? Math.max(best, p.v) : Math.min(best, p.v));
        xs.push(p.n); ys.push(best);
      }
      if (xs.length) traces.push({ type: "scatter", mode: "lines", name: "best so far", x: xs, y: ys,
                                   line: { shape: "hv", color: states.best, width: 2 } });
      if (xs.length && baseline !== null && baseline !== undefined) {
        const ns = all.map((p) => p.n);
        traces.push({ type: "scatter", mode: "lines", name: "guess without the columns", hoverinfo: "y+name",
                      x: [Math.min(...ns), Math.max(...ns)], y: [baseline, baseline],
                      line: { dash: "dash", color: "#6b7280", width: 1.5 } });
      }
    }
    if (!traces.length) return { traces, empty: "No finished trials yet: this chart fills in as they finish." };
    return { traces, empty: null, note: null, layout: {
      margin: { t: 10, r: 10, b: 40, l: 60 }, legend: { orientation: "h", y: -0.2 },
      xaxis: { title: { text: "trial number" } },
      yaxis: { title: { text: direction ? "value" : "objective 1" }, type: logScale ? "log" : "linear" } } };
  }

  return { config, draw, history, baseLayout };
})();
