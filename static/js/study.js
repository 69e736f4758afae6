// Study page, the same for the owner, an editor, a viewer and a share link: polls what changed
// since its cursor, keeps the header, the history chart, the other charts and the trial table
// current, and drives the controls and the manual-trial form where the visitor may (page.may).
// Every URL it reads is relative to the page, so a share link's token is written nowhere.
(function () {
  const root = document.getElementById("study");
  if (!root) return;
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const fmt = window.tunerFormat;
  const direction = page.directions.length === 1 ? page.directions[0] : null;
  const trialPage = (number) => `trials/${number}/`;
  const points = new Map();
  let cursor = 0;
  let state = page.header.state;

  const field = (name) => root.querySelector(`[data-field="${name}"]`);
  const setText = (name, text) => { const el = field(name); if (el) el.textContent = text; };

  // ---- header -------------------------------------------------------------------------
  function showHeader(h) {
    state = h.state;
    window.tunerBadge(field("state"), h.state);
    for (const name of ["complete", "running", "failed", "pruned"]) setText(name, h.counts[name]);
    setText("done", h.progress.done);
    setText("elapsed", fmt.duration(h.progress.elapsed_s));
    setText("eta", fmt.duration(h.progress.eta_s));
    if (h.n_agents !== undefined) setText("n_agents", h.n_agents);
    field("bar").value = h.progress.percent || 0;
    if (h.best && direction) showBest(h.best);
    showControls();
  }

  function showBest(best) {
    setText("best_value", fmt.value(best.value));
    const link = document.createElement("a");
    link.href = trialPage(best.number);
    link.textContent = `#${best.number}`;
    field("best_trial").replaceChildren("trial ", link);
    const list = field("best_params");
    list.replaceChildren();
    for (const [name, v] of Object.entries(best.params)) {
      const dt = document.createElement("dt"); dt.textContent = name;
      const dd = document.createElement("dd"); dd.textContent = fmt.param(v);
      list.append(dt, dd);
    }
  }

  // ---- controls -----------------------------------------------------------------------
  const controls = document.getElementById("controls");
  const controlError = document.getElementById("control-error");
  function showControls() {
    for (const button of controls.querySelectorAll("[data-states]")) {
      button.hidden = !button.dataset.states.split(" ").includes(state);
    }
  }
  controls.addEventListener("click", async (event) => {
    const opener = event.target.closest("button[data-open-dialog]");
    if (opener) { document.getElementById(opener.dataset.openDialog).showModal(); return; }
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "delete") { document.getElementById("delete-dialog").showModal(); return; }
    button.disabled = true;
    const answer = await window.tunerApi("POST", `${page.urls.api}${action}/`);
    button.disabled = false;
    controlError.hidden = answer.ok;
    if (!answer.ok) { controlError.textContent = answer.data.detail || `could not ${action}`; return; }
    state = answer.data.state;
    showControls();
    startPolling();
  });
  const deleteDialog = document.getElementById("delete-dialog");
  if (deleteDialog) deleteDialog.addEventListener("close", async (event) => {
    if (event.target.returnValue !== "delete") return;
    const answer = await window.tunerApi("DELETE", page.urls.api);
    if (answer.ok) window.location.assign(page.urls.list);
    else { controlError.hidden = false; controlError.textContent = answer.data.detail || "could not delete"; }
  });

  // ---- history chart ------------------------------------------------------------------
  const logToggle = document.getElementById("history-log");
  let baseline = page.results.baseline ? page.results.baseline.value : null;
  function drawHistory() {
    window.tunerCharts.draw("history", window.tunerCharts.history(points.values(), direction, page.states,
                                                                  logToggle.checked, baseline));
  }
  logToggle.addEventListener("change", drawHistory);
  // leaderboard.js announces the result as workers add to it (the baseline arrives after the first trials).
  document.addEventListener("tuner:results", (event) => {
    const value = event.detail.baseline ? event.detail.baseline.value : null;
    if (value !== baseline) { baseline = value; if (opened) drawHistory(); }
  });

  // ---- other charts -------------------------------------------------------------------
  const contourX = document.getElementById("contour-x");
  const contourY = document.getElementById("contour-y");
  const names = Object.keys(page.search_space);
  if (contourX) {  // left out when the study has fewer than two number parameters
    for (const select of [contourX, contourY]) {
      for (const name of names) select.append(new Option(name, name));
    }
    contourY.selectedIndex = Math.min(1, names.length - 1);
    for (const select of [contourX, contourY]) select.addEventListener("change", () => drawChart("contour"));
  }

  async function drawChart(name) {
    let url = `charts/${name}.json`;
    if (name === "contour") url += `?x=${encodeURIComponent(contourX.value)}&y=${encodeURIComponent(contourY.value)}`;
    const answer = await window.tunerApi("GET", url);
    if (answer.ok) window.tunerCharts.draw(name, answer.data);
  }
  const chartNames = [...root.querySelectorAll("[data-chart]")].map((el) => el.dataset.chart);
  // Importance refits a forest on the server: while trials pour in, refresh it less often.
  let nRefresh = 0;
  const drawAllCharts = (all) => {
    nRefresh += 1;
    return Promise.all(chartNames.filter((n) => all || n !== "importance" || nRefresh % 5 === 1).map(drawChart));
  };

  // ---- trial table --------------------------------------------------------------------
  const table = { sort: "number", dir: "asc", page: 1, filters: {} };
  const tableEl = document.getElementById("trial-table");
  const filtersEl = document.getElementById("table-filters");
  const columns = [["number", "#"], ["state", "state"], ...(direction ? [["value", "value"]] : [["values", "values"]]),
                   ...names.map((n) => [`params.${n}`, n]), ["duration_s", "duration"],
                   ...(page.may.see_people ? [["worker", "worker"]] : [])];

  function drawHead() {
    const row = document.createElement("tr");
    for (const [key, label] of columns) {
      const th = document.createElement("th");
      if (key === "values") { th.textContent = label; row.append(th); continue; }
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.dataset.sort = key;
      const arrow = table.sort === key ? (table.dir === "asc" ? " ▲" : " ▼") : "";
      button.textContent = label + arrow;
      th.setAttribute("aria-sort", table.sort === key ? (table.dir === "asc" ? "ascending" : "descending") : "none");
      th.append(button);
      row.append(th);
    }
    tableEl.tHead.replaceChildren(row);
  }


  async function drawTable() {
    const query = new URLSearchParams({ sort: table.sort, dir: table.dir, page: table.page, page_size: 25, ...table.filters });
    const answer = await window.tunerApi("GET", `trials.json?${query}`);
    if (!answer.ok) return;
    const body = answer.data;
    const rows = body.rows.map((trial) => {
      const tr = document.createElement("tr");
      tr.dataset.href = trialPage(trial.number);
      tr.tabIndex = 0;
      for (const [key] of columns) {
        const td = document.createElement("td");
        if (key === "state") {
          const badge = document.createElement("span");
          badge.className = "badge";
          window.tunerBadge(badge, trial.state);
          td.append(badge);
        } else td.textContent = fmt.trialCell(trial, key);
        if (["value", "number", "duration_s"].includes(key) || key.startsWith("params.")) td.className = "num";
        tr.append(td);
      }
      return tr;
    });
    if (!rows.length) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = columns.length;
      td.className = "muted";
      td.textContent = Object.keys(table.filters).length ? "No trial matches these filters." : "No trials yet.";
      tr.append(td);
      rows.push(tr);
    }
    tableEl.tBodies[0].replaceChildren(...rows);
    const pages = Math.max(1, Math.ceil(body.n_total / body.page_size));
    document.getElementById("table-status").textContent = `page ${body.page} of ${pages} · ${body.n_total} trials`;
    document.getElementById("table-prev").disabled = body.page <= 1;
    document.getElementById("table-next").disabled = body.page >= pages;
  }

  tableEl.addEventListener("click", (event) => {
    const sort = event.target.closest("button.sort");
    if (sort) {
      table.dir = table.sort === sort.dataset.sort && table.dir === "asc" ? "desc" : "asc";
      table.sort = sort.dataset.sort;
      table.page = 1;
      drawHead(); drawTable();
      return;
    }
    const row = event.target.closest("tr[data-href]");
    if (row) window.location.assign(row.dataset.href);
  });
  tableEl.addEventListener("keydown", (event) => {
    const row = event.target.closest("tr[data-href]");
    if (row && event.key === "Enter") window.location.assign(row.dataset.href);
  });
  filtersEl.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(filtersEl);
    table.filters = {};
    if (form.get("state")) table.filters.state = form.get("state");
    const param = form.get("param");
    if (form.get("min") !== "") table.filters[`min_${param}`] = form.get("min");
    if (form.get("max") !== "") table.filters[`max_${param}`] = form.get("max");
    table.page = 1;
    drawTable();
  });
  filtersEl.addEventListener("reset", () => { table.filters = {}; table.page = 1; setTimeout(drawTable); });
  document.getElementById("table-prev").addEventListener("click", () => { table.page -= 1; drawTable(); });
  document.getElementById("table-next").addEventListener("click", () => { table.page += 1; drawTable(); });

  // ---- try these parameters -----------------------------------------------------------
  // Viewers get no form: the page shows it only to those who may run trials.
  if (document.getElementById("try-form")) {
    const tryForm = document.getElementById("try-form");
    const tryFields = document.getElementById("try-fields");
    for (const [name, spec] of Object.entries(page.search_space)) {
      const wrap = document.createElement("div");
      wrap.className = "field";
      wrap.dataset.param = name;
      const label = document.createElement("label");
      label.htmlFor = `try-${name}`;
      label.textContent = spec.type === "categorical" ? name : `${name} (${spec.low} … ${spec.high}${spec.log ? ", log" : ""})`;
      let input;
      if (spec.type === "categorical") {
        input = document.createElement("select");
        spec.choices.forEach((choice, i) => input.append(new Option(String(choice), String(i))));
      } else {
        input = document.createElement("input");
        input.type = "number";
        input.step = spec.step || (spec.type === "int" ? 1 : "any");
        input.min = spec.low; input.max = spec.high;
        input.value = spec.log ? Number(Math.sqrt(spec.low * spec.high).toPrecision(2)) : (spec.low + spec.high) / 2;
        if (spec.type === "int") input.value = Math.round(input.value);
      }
      input.id = `try-${name}`;
      input.name = name;
      const error = document.createElement("p");
      error.className = "field-error";
      error.dataset.errorFor = `params.${name}`;
      wrap.append(label, input, error);
      tryFields.append(wrap);
    }

    function tryParams() {
      const params = {};
      for (const [name, spec] of Object.entries(page.search_space)) {
        const wrap = tryFields.querySelector(`[data-param="${name}"]`);
        const cond = spec.condition;
        const active = !cond || Object.entries(cond).every(([parent, values]) =>
          parent in params && values.map(String).includes(String(params[parent])));
        wrap.hidden = !active;
        if (!active) continue;
        const input = wrap.querySelector("select, input");
        if (spec.type === "categorical") params[name] = spec.choices[Number(input.value)];
        else params[name] = input.value === "" ? null : Number(input.value);
      }
      return params;
    }
    tryForm.addEventListener("change", tryParams);
    tryParams();

    tryForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      for (const el of tryForm.querySelectorAll(".field-error")) el.textContent = "";
      const body = { params: tryParams() };
      const valueInput = document.getElementById("try-value");
      if (valueInput && valueInput.value !== "") body.value = Number(valueInput.value);
      const answer = await window.tunerApi("POST", page.urls.enqueue, body);
      const status = document.getElementById("try-status");
      if (answer.ok) { status.textContent = `Trial #${answer.data.number} added.`; startPolling(); return; }
      status.textContent = "";
      for (const [key, messages] of Object.entries(answer.data || {})) {
        const text = Array.isArray(messages) ? messages.join(" ") : String(messages);
        const target = tryForm.querySelector(`[data-error-for="${key}"]`) || tryForm.querySelector('[data-error-for="params"]');
        target.textContent = text;
      }
    });
  }

  // ---- live ---------------------------------------------------------------------------
  // Every chart is fetched once as the page opens, beside the first poll (the page preloads
  // that JSON while plotly.js loads); the first poll reads every point and draws the history.
  // Later polls refetch the other charts only when they bring changed trials (a new revision),
  // and at most every 2 s.
  let lastRefresh = Date.now();
  let refreshDue = false;
  let opened = false;
  async function poll() {
    let answer;
    do {
      answer = await window.tunerApi("GET", `live.json?since=${cursor}`);
      if (!answer.ok) throw new Error(`live: HTTP ${answer.status}`);
      for (const p of answer.data.points) points.set(p.n, p);
      cursor = answer.data.cursor;
      if (answer.data.points.length && opened) refreshDue = true;
    } while (answer.data.has_more);
    showHeader(answer.data.header);
    if (!opened) {
      opened = true;
      drawHistory();
      drawTable();
    } else if (refreshDue) drawHistory();
    // The other charts and the table refresh at most every 2 s however fast trials finish.
    if (refreshDue && Date.now() - lastRefresh >= 1900) {
      refreshDue = false;
      lastRefresh = Date.now();
      drawAllCharts(answer.data.header.finished);
      drawTable();
      drawSummary();
    }
    // A stopped study's running trials may still report: poll until they are done too.
    const h = answer.data.header;
    return !(h.finished && !h.counts.running && !h.counts.waiting && !refreshDue);
  }

  async function drawSummary() {
    const answer = await window.tunerApi("GET", `live.json?since=${cursor}&summary=1`);
    if (answer.ok) window.tunerShowSummary(document.querySelector("[data-summary]"), answer.data.summary);
  }

  let stopPolling = null;
  function startPolling() {
    if (stopPolling) stopPolling();
    stopPolling = window.tunerPoll(poll, { visibleMs: 1000, hiddenMs: 10000 });
  }

  showControls();
  drawHead();
  drawAllCharts(true);
  startPolling();
})();
