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
  // A study where Tuner chose the kind of model names its parameters and kinds of model in words
  // (the server's, names.control_words); the name the API and the exports use is the tooltip.
  // Own keys only: a parameter of your own code may be called "constructor" or "toString".
  const own = (object, key) => (object && Object.hasOwn(object, key) ? object[key] : undefined);
  const said = (name) => own(page.words.labels, name) || name;
  const saidChoice = (name, choice) => own(own(page.words.choice_labels, name), String(choice));
  const points = new Map();
  let cursor = 0;
  let state = page.header.state;

  const field = (name) => root.querySelector(`[data-field="${name}"]`);
  const budgetEdit = root.querySelector("[data-budget-edit]");  // "Change the budget", for those who may run it
  const setText = (name, text) => { const el = field(name); if (el) el.textContent = text; };

  // ---- header -------------------------------------------------------------------------
  function showHeader(h) {
    state = h.state;
    window.tunerBadge(field("state"), h.state);
    for (const name of ["complete", "running", "failed", "pruned"]) setText(name, h.counts[name]);
    setText("done", h.progress.done);
    setText("total", h.progress.total ?? "");  // the budget changes when someone changes it or runs more trials
    field("of").hidden = !h.progress.total;
    if (budgetEdit) budgetEdit.hidden = h.finished;
    setText("elapsed", fmt.duration(h.progress.elapsed_s));
    setText("eta", fmt.duration(h.progress.eta_s));
    // A study of your own code with no trial running has no time left to tell: it waits for its code.
    field("time_left").hidden = h.progress.waiting_for_code;
    field("waiting_for_code").hidden = !h.progress.waiting_for_code;
    if (h.n_agents !== undefined) setText("n_agents", h.n_agents);
    // Which stop rule ended the study, in words, once one does.
    setText("stopped_because", h.stopped_because || "");
    field("stopped_because").hidden = !h.stopped_because;
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
    // [name, value, API name] rows, named for people by the server (header.named_params); the
    // API name is the tooltip where it differs, for engineers.
    for (const [name, v, apiName] of best.params) {
      const dt = document.createElement("dt"); dt.textContent = name;
      if (apiName !== name) dt.title = apiName;
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
  // The budget of a study that has not finished: a count (blank lifts it) and, on workers, parallelism.
  if (budgetEdit) budgetEdit.querySelector("[data-budget-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = { n_trials: form.elements.n_trials.value === "" ? null : Number(form.elements.n_trials.value) };
    if (form.elements.parallelism) body.parallelism = Number(form.elements.parallelism.value);
    const answer = await window.tunerApi("PATCH", `${page.urls.api}budget/`, body);
    const error = budgetEdit.querySelector("[data-budget-error]");
    error.textContent = answer.ok ? "" : window.tunerErrorText(answer);
    if (!answer.ok) return;
    budgetEdit.open = false;
    state = answer.data.state;
    showControls();
    startPolling();
  });

  // A completed or stopped study goes on where it left off (its stop rules dropped, see the title).
  const runMore = controls.querySelector("[data-run-more]");
  if (runMore) runMore.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await window.tunerApi("POST", `${page.urls.api}run-more/`,
                                         { more_trials: Number(runMore.elements.more_trials.value) });
    controlError.hidden = answer.ok;
    if (!answer.ok) {
      const fault = answer.data.more_trials ? `How many more trials: ${answer.data.more_trials.join(" ")}` : answer.data.detail;
      controlError.textContent = fault || "could not run more trials";
      return;
    }
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
  // Charts whose figures arrive before the next frame are drawn together in it: the browser then
  // paints and lays out the page once for all of them, not once after each (as the page opens,
  // every figure has usually arrived by the time plotly.js has loaded). The latest figure of a
  // chart wins. The promise settles once that frame has drawn them.
  const dueDraws = new Map();
  let dueFrame = null;
  function drawSoon(name, draw) {
    if (!dueDraws.size) dueFrame = new Promise((resolve) => requestAnimationFrame(() => {
      const draws = [...dueDraws.values()];
      dueDraws.clear();
      try { for (const one of draws) one(); } finally { resolve(); }
    }));
    dueDraws.set(name, draw);
    return dueFrame;
  }
  const logToggle = document.getElementById("history-log");
  let baseline = page.results.baseline ? page.results.baseline.value : null;
  // Set by the poll that opens the page: the server's word when its points are a sample.
  let historyNote = null;
  function drawHistory() {
    return drawSoon("history", () => window.tunerCharts.draw("history", window.tunerCharts.history(
      points.values(), direction, page.states, logToggle.checked, baseline, historyNote, page.value_title)));
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
      for (const name of names) {
        const option = new Option(said(name), name);
        if (said(name) !== name) option.title = name;
        select.append(option);
      }
    }
    contourY.selectedIndex = Math.min(1, names.length - 1);
    for (const select of [contourX, contourY]) select.addEventListener("change", () => drawChart("contour"));
  }

  const metricPicker = document.getElementById("metric-name");
  function showMetricChoices(metrics, redraw) {
    if (!metricPicker) return;
    const known = new Set([...metricPicker.options].map((o) => o.value));
    const fresh = metrics.filter((n) => !known.has(n));
    for (const name of fresh) metricPicker.append(new Option(name, name));
    if (redraw && fresh.length && known.size === 0) drawChart("metric");  // the first metric just arrived
  }
  if (metricPicker) metricPicker.addEventListener("change", () => drawChart("metric"));

  async function drawChart(name) {
    let url = `charts/${name}.json`;
    if (name === "contour") url += `?x=${encodeURIComponent(contourX.value)}&y=${encodeURIComponent(contourY.value)}`;
    if (name === "metric") url += `?metric=${encodeURIComponent(metricPicker.value)}`;
    const answer = await window.tunerApi("GET", url);
    if (answer.ok) await drawSoon(name, () => window.tunerCharts.draw(name, answer.data));
  }
  const chartNames = [...root.querySelectorAll("[data-chart]")].map((el) => el.dataset.chart);
  // Importance refits a forest on the server: while trials pour in, refresh it less often.
  let nRefresh = 0;
  const drawAllCharts = (all) => {
    nRefresh += 1;
    return Promise.all(chartNames.filter((n) => all || n !== "importance" || nRefresh % 5 === 1).map(drawChart));
  };

  // ---- trial table --------------------------------------------------------------------
  const table = { sort: "number", dir: "asc", page: 1, pages: 1, filters: {}, choices: [] };
  const tableEl = document.getElementById("trial-table");
  const filtersEl = document.getElementById("table-filters");
  const pageInput = document.getElementById("table-page");
  const baseColumns = [["number", "#"], ["state", "state"], ...(direction ? [["value", page.objective_labels[0]]] : [["values", page.objective_labels.join(", ")]]),
                       ...names.map((n) => [`params.${n}`, said(n), said(n) !== n ? n : ""]), ["duration_s", "duration"],
                       ...(page.may.see_people ? [["worker", "worker"]] : []),
                       ...(page.urls.exclude ? [["exclude", ""]] : [])];
  const FINISHED = ["complete", "pruned", "failed", "stopped"];
  // A column is [key, label, tooltip]: a metric's or an attr's says what it is, a parameter named
  // in words the name the API and the exports use.
  // Metrics and attrs the trials were given get a column each, after the parameters; the
  // table's answer names them, so columns appear as the code starts recording new ones.
  let metricNames = [];
  let attrNames = [];
  let columns = baseColumns;
  const filterParam = document.getElementById("filter-param");
  function useExtraNames(metrics, attrs, redraw = true) {
    if (metrics.join("\n") === metricNames.join("\n") && attrs.join("\n") === attrNames.join("\n")) return false;
    metricNames = metrics;
    attrNames = attrs;
    const at = baseColumns.findIndex(([key]) => key === "duration_s");
    columns = [...baseColumns.slice(0, at), ...metrics.map((n) => [`metrics.${n}`, n, "metric"]),
               ...attrs.map((n) => [`attrs.${n}`, n, "attribute"]), ...baseColumns.slice(at)];
    const known = new Set([...filterParam.options].map((o) => o.value));
    for (const name of metrics) {
      if (!known.has(`metrics.${name}`)) filterParam.append(new Option(`${name} (metric)`, `metrics.${name}`));
    }
    const filterAttr = document.getElementById("filter-attr");
    const knownAttrs = new Set([...filterAttr.options].map((o) => o.value));
    for (const name of attrs) if (!knownAttrs.has(name)) filterAttr.append(new Option(name, name));
    for (const el of document.querySelectorAll("[data-attr-filter]")) el.hidden = !attrs.length;
    showMetricChoices(metrics, redraw);
    return true;
  }

  function drawHead() {
    const row = document.createElement("tr");
    for (const [key, label, tooltip] of columns) {
      const th = document.createElement("th");
      if (tooltip) th.title = tooltip;
      if (key === "values" || key === "exclude") { th.textContent = label; row.append(th); continue; }
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


  let tableAsked = 0;
  async function drawTable() {
    const query = new URLSearchParams({ sort: table.sort, dir: table.dir, page: table.page, page_size: 25, ...table.filters });
    for (const [key, text] of table.choices) query.append(key, text);
    const asked = ++tableAsked;
    const answer = await window.tunerApi("GET", `trials.json?${query}`);
    // Two quick clicks send two requests whose answers may come back in either order: only the
    // latest one may draw, or the table would show the order the header no longer says.
    if (asked !== tableAsked || !answer.ok) return;
    const body = answer.data;
    if (useExtraNames(body.metric_names || [], body.attr_names || [])) drawHead();
    // "Hide infeasible" appears once a trial with constraints shows up, and then stays.
    if (body.rows.some((trial) => trial.constraints)) {
      for (const el of document.querySelectorAll("[data-constraint-filter]")) el.hidden = false;
    }
    const rows = body.rows.map((trial) => {
      const tr = document.createElement("tr");
      tr.dataset.href = trialPage(trial.number);
      tr.tabIndex = 0;
      // An excluded trial stays in the table, greyed and struck through, with why on its mark.
      if (trial.excluded) tr.classList.add("excluded");
      for (const [key] of columns) {
        const td = document.createElement("td");
        if (key === "state") {
          const badge = document.createElement("span");
          badge.className = "badge";
          window.tunerBadge(badge, trial.state);
          td.append(badge);
          if (trial.excluded) {
            const mark = document.createElement("span");
            mark.className = "excluded-mark";
            mark.textContent = "excluded";
            mark.title = `Excluded: ${trial.exclusion_reason}`;
            td.append(" ", mark);
          }
          if (trial.feasible === false) td.append(" ", infeasibleMark(trial.constraints));
        } else if (key === "exclude") {
          if (FINISHED.includes(trial.state)) td.append(exclusionButton(trial));
        } else {
          td.textContent = fmt.trialCell(trial, key);
          const choice = key.startsWith("params.") ? saidChoice(key.slice(7), trial.params[key.slice(7)]) : undefined;
          if (choice) { td.title = td.textContent; td.textContent = choice; }
        }
        if (["value", "number", "duration_s"].includes(key) || /^(params|metrics)\./.test(key)) td.className = "num";
        tr.append(td);
      }
      return tr;
    });
    if (!rows.length) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = columns.length;
      td.className = "muted";
      td.textContent = Object.keys(table.filters).length || table.choices.length ? "No trial matches these filters." : "No trials yet.";
      tr.append(td);
      rows.push(tr);
    }
    tableEl.tBodies[0].replaceChildren(...rows);
    const pages = Math.max(1, Math.ceil(body.n_total / body.page_size));
    table.pages = pages;
    pageInput.max = pages;
    pageInput.value = body.page;
    document.getElementById("table-status").textContent = `of ${pages} · ${body.n_total} trials`;
    document.getElementById("table-prev").disabled = body.page <= 1;
    document.getElementById("table-next").disabled = body.page >= pages;
  }

  // A trial that broke a constraint: a mark whose tooltip lists the broken ones.
  function infeasibleMark(constraints) {
    const mark = document.createElement("span");
    mark.className = "infeasible-mark";
    mark.textContent = "infeasible";
    const broken = constraints.map((c, i) => [i + 1, c]).filter(([, c]) => c > 0);
    // A built-in study's limits are named in words ("recall at least 0.8").
    const limits = page.limits.length === constraints.length ? page.limits : null;
    mark.title = limits ? `Broke a limit: ${broken.map(([i]) => limits[i - 1]).join(", ")}`
      : "Broke a constraint (each must be 0 or less): " + broken.map(([i, c]) => `constraint ${i} is ${fmt.value(c)}`).join(", ");
    return mark;
  }

  // ---- excluding a trial from the table (owner and editor) ------------------------------
  function exclusionButton(trial) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.textContent = trial.excluded ? "Include again" : "Exclude…";
    button.dataset[trial.excluded ? "includeTrial" : "excludeTrial"] = trial.id;
    button.dataset.number = trial.number;
    return button;
  }
  const excludeDialog = document.getElementById("exclude-dialog");
  const excludeForm = document.getElementById("exclude-form");
  const trialUrl = (template, id) => template.replace(/\/0\//, `/${id}/`);
  async function changed(answer) {
    controlError.hidden = answer.ok;
    if (!answer.ok) controlError.textContent = (answer.data && answer.data.detail) || `HTTP ${answer.status}`;
    else { drawTable(); startPolling(); }
  }
  if (excludeForm) {
    excludeDialog.querySelector("[data-close-dialog]").addEventListener("click", () => excludeDialog.close());
    excludeForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = excludeForm.querySelector('[data-error-for="reason"]');
      const answer = await window.tunerApi("POST", trialUrl(page.urls.exclude, excludeForm.dataset.trial),
                                           { reason: excludeForm.reason.value });
      if (!answer.ok && answer.data && answer.data.reason) { error.textContent = answer.data.reason.join(" "); return; }
      excludeDialog.close();
      changed(answer);
    });
  }

  tableEl.addEventListener("click", async (event) => {
    const exclude = event.target.closest("button[data-exclude-trial]");
    if (exclude) {
      excludeForm.dataset.trial = exclude.dataset.excludeTrial;
      excludeForm.reset();
      excludeForm.querySelector('[data-error-for="reason"]').textContent = "";
      document.getElementById("exclude-dialog-number").textContent = `#${exclude.dataset.number}`;
      excludeDialog.showModal();
      return;
    }
    const include = event.target.closest("button[data-include-trial]");
    if (include) { changed(await window.tunerApi("POST", trialUrl(page.urls.include, include.dataset.includeTrial))); return; }
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
    if (row && event.key === "Enter" && !event.target.closest("button")) window.location.assign(row.dataset.href);
  });
  // A categorical parameter filters by the choices ticked: each is sent as JSON, or as its
  // text when that does not read as JSON (the server reads it back the same way).
  const choiceText = (choice) => {
    if (typeof choice !== "string") return JSON.stringify(choice);
    try { JSON.parse(choice); return JSON.stringify(choice); } catch { return choice; }
  };
  for (const [name, spec] of Object.entries(page.search_space)) {
    if (spec.type !== "categorical") continue;
    const box = document.createElement("details");
    box.className = "choice-filter";
    const summary = document.createElement("summary");
    summary.textContent = `${said(name)}: any`;
    summary.dataset.name = said(name);
    if (said(name) !== name) summary.title = name;
    const list = document.createElement("div");
    list.className = "choice-list";
    for (const choice of spec.choices) {
      const label = document.createElement("label");
      const tick = document.createElement("input");
      tick.type = "checkbox";
      tick.dataset.choiceOf = name;
      tick.value = choiceText(choice);
      label.append(tick, saidChoice(name, choice) || fmt.param(choice));
      if (saidChoice(name, choice)) label.title = String(choice);
      list.append(label);
    }
    box.append(summary, list);
    list.addEventListener("change", () => {
      const n = list.querySelectorAll(":checked").length;
      summary.textContent = `${said(name)}: ${n ? `${n} of ${spec.choices.length}` : "any"}`;
    });
    document.getElementById("filter-choices").append(box);
  }
  filtersEl.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(filtersEl);
    table.filters = {};
    if (form.get("state")) table.filters.state = form.get("state");
    const param = form.get("param");
    if (form.get("min") !== "") table.filters[`min_${param}`] = form.get("min");
    if (form.get("max") !== "") table.filters[`max_${param}`] = form.get("max");
    if (form.get("attr") && form.get("attr_text")) table.filters[`attrs.${form.get("attr")}`] = form.get("attr_text");
    if (form.get("hide_infeasible")) table.filters.hide_infeasible = "1";
    for (const box of filtersEl.querySelectorAll(".choice-filter")) box.open = false;
    table.choices = [...filtersEl.querySelectorAll("[data-choice-of]:checked")].map((t) => [`params.${t.dataset.choiceOf}`, t.value]);
    table.page = 1;
    drawTable();
  });
  document.getElementById("filter-infeasible").addEventListener("change", () => filtersEl.requestSubmit());
  filtersEl.addEventListener("reset", () => {
    table.filters = {}; table.choices = []; table.page = 1;
    for (const summary of filtersEl.querySelectorAll(".choice-filter summary")) summary.textContent = `${summary.dataset.name}: any`;
    setTimeout(drawTable);
  });
  document.getElementById("table-prev").addEventListener("click", () => { table.page -= 1; drawTable(); });
  document.getElementById("table-next").addEventListener("click", () => { table.page += 1; drawTable(); });
  // "Page [n] of N": Enter (or leaving the box) goes there, held within 1..N.
  function jumpToPage() {
    const wanted = Math.round(Number(pageInput.value));
    if (pageInput.value === "" || !Number.isFinite(wanted)) { pageInput.value = table.page; return; }
    const next = Math.min(Math.max(wanted, 1), table.pages);
    pageInput.value = next;
    if (next !== table.page) { table.page = next; drawTable(); }
  }
  pageInput.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); jumpToPage(); } });
  pageInput.addEventListener("change", jumpToPage);

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
      label.textContent = spec.type === "categorical" ? said(name) : `${said(name)} (${spec.low} … ${spec.high}${spec.log ? ", log" : ""})`;
      if (said(name) !== name) label.title = name;
      let input;
      if (spec.type === "categorical") {
        input = document.createElement("select");
        spec.choices.forEach((choice, i) => input.append(new Option(saidChoice(name, choice) || String(choice), String(i))));
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
  // that JSON while plotly.js loads); the first poll brings the history's points in one answer
  // (a sample past a thousand trials) and draws the history. The next poll comes a second after
  // every chart is drawn (window.tunerOpening), not while they are. Later polls add the
  // trials changed since; they refetch the other charts only when they bring changed trials (a
  // new revision), and at most every 2 s.
  let lastRefresh = Date.now();
  let refreshDue = false;
  let opened = false;
  let nAtOpen = 0;
  async function poll() {
    // Points that have since doubled with every new trial are asked for afresh (one answer, a
    // sample past the server's limit), so a page left open on a fast study, however small it was
    // as the page opened, never draws more than a couple of thousand dots.
    if (points.size > 2 * Math.max(nAtOpen, page.history_limit)) { points.clear(); cursor = 0; }
    let answer;
    do {
      const fresh = cursor === 0;
      answer = await window.tunerApi("GET", `live.json?since=${cursor}`);
      if (!answer.ok) throw new Error(`live: HTTP ${answer.status}`);
      for (const p of answer.data.points) points.set(p.n, p);
      if (fresh) { historyNote = answer.data.note; nAtOpen = points.size; }
      cursor = answer.data.cursor;
      if (answer.data.points.length && opened) refreshDue = true;
    } while (answer.data.has_more);
    showHeader(answer.data.header);
    if (!opened) {
      opened = true;
      historyOpened(drawHistory());
      await window.tunerAfterOpening(() => {});
    } else if (refreshDue) drawHistory();
    // The other charts and the table refresh at most every 2 s however fast trials finish.
    if (refreshDue && Date.now() - lastRefresh >= 1900) {
      refreshDue = false;
      lastRefresh = Date.now();
      drawAllCharts(answer.data.header.finished);
      drawTable();
      drawSummary();
      // what_if.js answers again from it (the panels that predict from the finished trials)
      document.dispatchEvent(new CustomEvent("tuner:progress", { detail: {
        complete: answer.data.header.counts.complete, finished: answer.data.header.finished } }));
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
  useExtraNames(page.metric_names || [], page.attr_names || [], false);
  drawHead();
  // The opening: every chart drawn once, the history by the first poll. What the page's other
  // panels ask for waits for it (window.tunerAfterOpening, poll.js), the trial table too.
  let historyOpened;
  window.tunerOpening = Promise.all([drawAllCharts(true).catch(() => {}),
                                     new Promise((resolve) => { historyOpened = resolve; })]);
  startPolling();
  window.tunerAfterOpening(drawTable);
})();
