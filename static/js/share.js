// Share page: polls live.json (relative to the page, so the token appears nowhere but the URL),
// keeps the header, summary, history, charts and trial table current. Read-only: no controls.
(function () {
  const root = document.getElementById("share");
  if (!root) return;
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const fmt = window.tunerFormat;
  const direction = page.directions.length === 1 ? page.directions[0] : null;
  const names = Object.keys(page.search_space);
  const points = new Map();
  let cursor = 0;
  let refreshes = 0;

  const field = (name) => root.querySelector(`[data-field="${name}"]`);
  const setText = (name, text) => { const el = field(name); if (el) el.textContent = text; };

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  function showHeader(h) {
    const badge = field("state");
    badge.textContent = h.state;
    badge.className = `badge badge-${h.state}`;
    for (const name of ["complete", "running", "failed", "pruned"]) setText(name, h.counts[name]);
    setText("done", h.progress.done);
    setText("elapsed", fmt.duration(h.progress.elapsed_s));
    setText("eta", fmt.duration(h.progress.eta_s));
    field("bar").value = h.progress.percent || 0;
    if (h.best && direction) {
      setText("best_value", fmt.value(h.best.value));
      setText("best_trial", `trial #${h.best.number}`);
      const list = field("best_params");
      list.replaceChildren();
      for (const [name, v] of Object.entries(h.best.params)) {
        const dt = document.createElement("dt"); dt.textContent = name;
        const dd = document.createElement("dd"); dd.textContent = fmt.param(v);
        list.append(dt, dd);
      }
    }
  }

  function showSummary(sentences) {
    window.tunerShowSummary(root.querySelector("[data-summary]"), sentences);
  }

  function drawHistory() {
    const colours = { complete: "#2563eb", pruned: "#d97706", failed: "#dc2626" };
    const traces = window.tunerHistoryTraces(points.values(), direction, colours);
    const empty = traces.length ? null : "No finished trials yet: this chart fills in as they finish.";
    window.tunerCharts.draw("history", { traces, empty, layout: {
      margin: { t: 10, r: 10, b: 40, l: 60 }, legend: { orientation: "h", y: -0.2 },
      xaxis: { title: { text: "trial number" } }, yaxis: { title: { text: direction ? "value" : "objective 1" } } } });
  }

  async function drawChart(name) {
    let url = `charts/${name}.json`;
    if (name === "contour" && names.length > 1) url += `?x=${encodeURIComponent(names[0])}&y=${encodeURIComponent(names[1])}`;
    window.tunerCharts.draw(name, await getJson(url));
  }

  function drawCharts() {
    refreshes += 1;
    // Importance refits a forest on the server: while trials pour in, refresh it less often.
    const chosen = page.charts.filter((n) => n !== "importance" || refreshes % 5 === 1);
    return Promise.all(chosen.map((n) => drawChart(n).catch((err) => console.warn(n, err))));
  }

  // ---- trial table ----
  const table = { sort: "number", dir: "desc", page: 1 };
  const tableEl = document.getElementById("trial-table");
  const valueColumns = direction ? [["value", "value"]] : [["values", "values"]];
  const columns = [["number", "#"], ["state", "state"], ...valueColumns, ...names.map((n) => [`params.${n}`, n]),
                   ["duration_s", "duration"]];

  function drawHead() {
    const row = document.createElement("tr");
    for (const [key, label] of columns) {
      const th = document.createElement("th");
      if (key === "values") { th.textContent = label; row.append(th); continue; }
      const button = document.createElement("button");
      button.type = "button"; button.className = "sort"; button.dataset.sort = key;
      button.textContent = label + (table.sort === key ? (table.dir === "asc" ? " ▲" : " ▼") : "");
      th.append(button);
      row.append(th);
    }
    tableEl.tHead.replaceChildren(row);
  }


  async function drawTable() {
    const body = await getJson(`trials.json?${new URLSearchParams(table)}`);
    tableEl.tBodies[0].replaceChildren(...body.rows.map((trial) => {
      const tr = document.createElement("tr");
      for (const [key] of columns) {
        const td = document.createElement("td");
        if (key === "state") {
          const badge = document.createElement("span");
          badge.className = `badge badge-${trial.state}`; badge.textContent = trial.state; td.append(badge);
        } else td.textContent = fmt.trialCell(trial, key);
        tr.append(td);
      }
      return tr;
    }));
    const pages = Math.max(1, Math.ceil(body.n_total / body.page_size));
    document.getElementById("table-status").textContent = `page ${body.page} of ${pages} · ${body.n_total} trials`;
    document.getElementById("table-prev").disabled = body.page <= 1;
    document.getElementById("table-next").disabled = body.page >= pages;
  }

  tableEl.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-sort]");
    if (!button) return;
    table.dir = table.sort === button.dataset.sort && table.dir === "asc" ? "desc" : "asc";
    table.sort = button.dataset.sort; table.page = 1;
    drawHead(); drawTable();
  });
  document.getElementById("table-prev").addEventListener("click", () => { table.page -= 1; drawTable(); });
  document.getElementById("table-next").addEventListener("click", () => { table.page += 1; drawTable(); });

  // ---- live ----
  async function poll() {
    const body = await getJson(`live.json?since=${cursor}`);
    cursor = body.cursor;
    showHeader(body.header);
    if (body.summary) showSummary(body.summary);
    for (const p of body.points) points.set(p.n, p);
    if (body.points.length || refreshes === 0) {
      drawHistory();
      await Promise.all([drawCharts(), drawTable()]);
    }
    if (body.has_more) return true;
    return !body.header.finished;
  }

  drawHead();
  window.tunerPoll(poll, { visibleMs: 1000, hiddenMs: 10000 });
})();
