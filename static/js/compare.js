// Compare page: draws the overlaid histories and the best values from the JSON block.
(function () {
  const data = document.getElementById("compare-figures");
  if (!data) return;
  const figures = JSON.parse(data.textContent);
  for (const [name, figure] of Object.entries(figures)) window.tunerCharts.draw(name, figure);
})();
