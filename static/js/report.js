// The HTML report, inlined into the file itself: draws every figure from the JSON block, and
// the history from its points with the study page's own builder. Plotly and tunerCharts
// (charts.js) are inlined before it; nothing is fetched.
(function () {
  const block = document.getElementById("report-data");
  if (!block) return;
  const data = JSON.parse(block.textContent);
  const charts = window.tunerCharts;
  charts.draw("history", charts.history(data.points, data.direction, data.states, false, data.baseline,
                                        data.history_note, data.value_title));
  for (const [name, figure] of Object.entries(data.figures)) charts.draw(name, figure);
  document.body.dataset.chartsDrawn = String(Object.keys(data.figures).length + 1);
})();
