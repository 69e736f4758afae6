// Shared by the share page, the compare page and the HTML report: draws a server-built figure
// ({traces, layout, note, empty}) with a modebar that downloads PNG (Plotly's camera) or SVG.
window.tunerCharts = (function () {
  const baseLayout = { font: { family: "system-ui, sans-serif", size: 12 }, paper_bgcolor: "rgba(0,0,0,0)",
                       plot_bgcolor: "rgba(0,0,0,0)", height: 340 };
  const svgIcon = { width: 1000, height: 1000,
                    path: "M100 850h800v100H100zM450 50h100v500l150-150 70 70-270 270-270-270 70-70 150 150z" };

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

  return { config, draw, baseLayout };
})();
