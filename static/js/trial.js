// Trial page: draws the trial's intermediate values.
(function () {
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const chart = document.getElementById("chart-reports");
  if (!page.reports.length) { chart.hidden = true; return; }
  const pruned = page.state === "pruned";
  const trace = { type: "scatter", mode: "lines+markers", x: page.reports.map((r) => r.step),
                  y: page.reports.map((r) => r.value), line: { color: pruned ? "#d97706" : "#2563eb" } };
  Plotly.react(chart, [trace], {
    height: 320, margin: { t: 10, r: 10, b: 40, l: 60 }, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    xaxis: { title: { text: "step" } }, yaxis: { title: { text: "intermediate value" } }, uirevision: "reports",
  }, { responsive: true, displaylogo: false });
})();
