// The HTML report, inlined into the file itself: draws every figure from the JSON block.
// Plotly and tunerCharts (share_charts.js) are inlined before it; nothing is fetched.
(function () {
  const data = document.getElementById("report-figures");
  if (!data) return;
  const figures = JSON.parse(data.textContent);
  for (const [name, figure] of Object.entries(figures)) window.tunerCharts.draw(name, figure);
  document.body.dataset.chartsDrawn = String(Object.keys(figures).length);
})();
