// Create-study wizard: builds the study JSON step by step, checks it with the server's own
// validation (the messages the API answers with), then creates it through the API.
(function () {
  const data = JSON.parse(document.getElementById("wizard-data").textContent);
  const { catalogue, urls } = data;
  const prefill = data.prefill || {};
  const $ = (id) => document.getElementById(id);
  const form = $("wizard");
  let step = 1;
  let dataset = null;        // the uploaded dataset, as the API describes it
  let task = null;           // classification | regression, detected or from the bundled set
  let inspection = null;     // what studying the chosen target looks like (dataset task.json)
  let excluded = new Set();  // columns of the uploaded dataset left out of the features
  let keptExclude = prefill.objective && prefill.objective.exclude ? new Set(prefill.objective.exclude) : null;
  let metricTouched = Boolean(prefill.objective && prefill.objective.metric);
  let autoName = "";         // the name the wizard filled in from the file, until the user types one
  let spaceTouched = Boolean(prefill.search_space);
  let rows = [];             // the space editor's rows
  let limits = [];           // the limits' rows: { metric, bound: "min" | "max", value (as typed, in the wizard's unit) }

  // ---- step navigation ----------------------------------------------------------------
  function show(n) {
    step = n;
    for (const section of form.querySelectorAll("section.step")) section.hidden = Number(section.dataset.step) !== n;
    for (const li of $("stepper").children) {
      li.classList.toggle("current", Number(li.dataset.step) === n);
      li.classList.toggle("done", Number(li.dataset.step) < n);
    }
    $("back").hidden = n === 1;
    $("next").hidden = n === 4;
    showQuickStart();
    $("create").hidden = $("create-start").hidden = n !== 4;
    $("create-start").textContent = kind() === "external" ? "Create study" : "Create and start";
    $("create").hidden = n !== 4 || kind() === "external";
    if (n === 2) renderRows();
    if (n === 4) review();
    window.scrollTo({ top: 0 });
  }
  $("back").addEventListener("click", () => show(step - 1));
  $("next").addEventListener("click", async () => {
    if (step === 2 && $("json-toggle").checked && !syncJsonToRows()) return;
    const fields = { 1: ["name", "objective", "objective_names"], 2: ["search_space"], 3: ["sampler", "pruner", "budget"] }[step];
    const errors = await check(fields);
    if (!errors) show(step + 1);
  });

  const kind = () => form.querySelector('input[name="kind"]:checked').value;
  const source = () => form.querySelector('input[name="source"]:checked').value;

  // The short path: on the first step, once the data is ready, one click creates and starts
  // the study with the recommended search; the expert steps stay behind "Advanced settings".
  const budget = catalogue.recommended_budget;
  function showQuickStart() {
    const ready = step === 1 && kind() === "sklearn" && (source() === "bundled" || Boolean(dataset && task));
    $("quick-start").hidden = $("quick-start-note").hidden = !ready;
    $("quick-start-note").textContent = `Tuner trains ${budget.n_trials} versions of the model, ${budget.parallelism} at a time, and keeps the best.`;
    const advanced = step === 1 && kind() === "sklearn";
    $("next").textContent = advanced ? "Advanced settings" : "Next";
    $("next").classList.toggle("primary", !advanced);
  }

  // ---- step 1: objective --------------------------------------------------------------
  for (const ds of catalogue.datasets) $("bundled").append(new Option(`${ds.name} (${ds.task}, ${ds.n_rows} rows)`, ds.name));
  form.addEventListener("change", (event) => {
    if (["kind", "source"].includes(event.target.name)) showObjective();
    showQuickStart();
  });
  function showObjective() {
    $("builtin").hidden = kind() !== "sklearn";
    $("external").hidden = kind() !== "external";
    // Your own code runs as many trials at once as copies of it are running: nothing to set here.
    $("parallelism").closest(".field").hidden = kind() === "external";
    $("csv-source").hidden = source() !== "csv";
    $("bundled-source").hidden = source() !== "bundled";
    if (kind() === "sklearn" && source() === "bundled") setTask(catalogue.datasets.find((d) => d.name === $("bundled").value).task);
    else if (kind() === "sklearn") setTask(dataset ? task : null);
    else loadDefaultSpace();
  }
  $("bundled").addEventListener("change", () => {
    const ds = catalogue.datasets.find((d) => d.name === $("bundled").value);
    $("bundled-describe").textContent = ds.description;
    setTask(ds.task);
  });

  function setTask(value) {
    task = value;
    $("task").textContent = value || "—";
    $("task").dataset.task = value || "";
    $("task-words").textContent = { classification: "predicting which of a few answers each row has",
                                    regression: "predicting a number for each row" }[value] || "";
    const estimator = $("estimator").value;
    $("estimator").replaceChildren(...catalogue.estimators.filter((e) => !value || e.tasks.includes(value))
      .map((e) => new Option(e.label, e.name)));
    if ([...$("estimator").options].some((o) => o.value === estimator)) $("estimator").value = estimator;
    const metric = $("metric").value;
    $("metric").replaceChildren(...catalogue.metrics.filter((m) => !value || m.task === value)
      .map((m) => new Option(`${m.label} (${m.direction === "maximize" ? "higher" : "lower"} is better)`, m.name)));
    if ([...$("metric").options].some((o) => o.value === metric)) $("metric").value = metric;
    loadDefaultSpace();
    showMetricReason();
    renderLimits();
  }
  $("estimator").addEventListener("change", () => { spaceTouched = false; loadDefaultSpace(); });
  $("metric").addEventListener("change", () => { metricTouched = true; showMetricReason(); });

  // The reason for the proposed metric while it is the one chosen; otherwise what the chosen one measures.
  function showMetricReason() {
    const proposed = inspection && source() === "csv" && inspection.metric === $("metric").value;
    const chosen = catalogue.metrics.find((m) => m.name === $("metric").value);
    $("metric-reason").textContent = proposed ? inspection.metric_reason : chosen ? chosen.meaning : "";
  }

  function loadDefaultSpace() {
    if (spaceTouched) return;
    if (kind() === "external") { rows = toRows({ lr: { type: "float", low: 1e-5, high: 0.1, log: true } }); return; }
    const estimator = catalogue.estimators.find((e) => e.name === $("estimator").value);
    if (!estimator) return;
    const space = estimator.spaces[task || estimator.tasks[0]] || estimator.spaces[estimator.tasks[0]];
    rows = toRows(space);
  }

  // Upload: drag and drop or the file picker, sent to POST /api/datasets/.
  const drop = $("dropzone");
  for (const name of ["dragenter", "dragover"]) drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.add("over"); });
  for (const name of ["dragleave", "drop"]) drop.addEventListener(name, () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); if (e.dataTransfer.files.length) upload(e.dataTransfer.files[0]); });
  $("csv-file").addEventListener("change", () => { if ($("csv-file").files.length) upload($("csv-file").files[0]); });

  async function upload(file) {
    clearErrors(["file"]);
    drop.classList.add("busy");
    const body = new FormData();
    body.append("file", file);
    const answer = await window.tunerApi("POST", urls.datasets, body);
    drop.classList.remove("busy");
    if (!answer.ok) { showErrors(answer.data); return; }
    if ($("name").value === autoName) { autoName = answer.data.name.replace(/\.csv$/i, ""); $("name").value = autoName; }
    await useDataset(answer.data, answer.data.suggested_target);
  }

  async function useDataset(described, target) {
    dataset = described;
    $("dataset-info").hidden = false;
    $("dataset-name").textContent = described.name;
    $("dataset-size").textContent = `${described.n_rows} rows · ${described.columns.length} columns`;
    $("target").replaceChildren(...described.columns.map((c) => new Option(`${c.name} (${c.kind})`, c.name)));
    $("target").value = target || described.suggested_target;
    await detectTask();
  }
  $("target").addEventListener("change", detectTask);

  async function detectTask() {
    clearErrors(["objective.target"]);
    const url = urls.dataset_task.replace("/0/", `/${dataset.id}/`) + `?target=${encodeURIComponent($("target").value)}`;
    const answer = await window.tunerApi("GET", url);
    inspection = answer.ok ? answer.data : null;
    // The columns left out by default for this target, unless a copied study says which.
    excluded = new Set(keptExclude || (inspection ? inspection.excluded.map((item) => item.name) : []));
    keptExclude = null;
    excluded.delete($("target").value);
    const guessed = $("target").value === dataset.suggested_target;
    $("target-reason").textContent = (inspection && inspection.target_reason)
      || (guessed ? "Tuner guessed this column; pick another if you want to predict something else." : "");
    showInspection();
    if (!answer.ok) { showErrors({ "objective.target": [answer.data.detail] }); setTask(null); return; }
    if (!metricTouched) $("metric").value = "";
    setTask(answer.data.task);
    if (!metricTouched && inspection.metric) $("metric").value = inspection.metric;
    showMetricReason();
    showQuickStart();
  }

  // The preview: one column per header, each with a box to use it or leave it out.
  function renderPreview() {
    const target = $("target").value;
    const head = document.createElement("tr");
    for (const col of dataset.columns) {
      const th = document.createElement("th");
      th.classList.toggle("target-col", col.name === target);
      th.classList.toggle("excluded", excluded.has(col.name));
      const label = document.createElement("label");
      if (col.name === target) label.append("to predict");
      else {
        const box = document.createElement("input");
        box.type = "checkbox";
        box.checked = !excluded.has(col.name);
        box.dataset.column = col.name;
        box.setAttribute("aria-label", `use ${col.name}`);
        label.append(box, " use");
      }
      const name = document.createElement("span");
      name.textContent = col.name;
      const kind = document.createElement("small");
      kind.className = "muted";
      kind.textContent = col.kind;
      th.append(label, name, kind);
      head.append(th);
    }
    $("preview").tHead.replaceChildren(head);
    $("preview").tBodies[0].replaceChildren(...dataset.preview.slice(0, 5).map((row) => {
      const tr = document.createElement("tr");
      const cells = Array.isArray(row) ? row : dataset.columns.map((c) => row[c.name]);
      cells.forEach((value, i) => {
        const td = document.createElement("td");
        td.textContent = value ?? "";
        td.classList.toggle("target-col", dataset.columns[i].name === target);
        td.classList.toggle("excluded", excluded.has(dataset.columns[i].name));
        tr.append(td);
      });
      return tr;
    }));
  }
  $("preview").addEventListener("change", (event) => {
    const box = event.target.closest("[data-column]");
    if (!box) return;
    if (box.checked) excluded.delete(box.dataset.column); else excluded.add(box.dataset.column);
    showInspection();
  });

  // One line per finding: rows left out, columns left out by default, columns that give the
  // answer away (each with its one-click exclude). The sentences are the server's.
  function showInspection() {
    renderPreview();
    const items = [];
    const note = (text, className) => {
      const li = document.createElement("li");
      if (className) li.className = className;
      const span = document.createElement("span");
      span.textContent = text;
      li.append(span);
      items.push(li);
      return li;
    };
    const toggle = (li, names, leaveOut, keep) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      const out = names.every((name) => excluded.has(name));
      button.textContent = out ? keep : leaveOut;
      button.dataset.columns = JSON.stringify(names);
      button.dataset.exclude = out ? "" : "yes";
      li.append(" ", button);
    };
    if (inspection) {
      const notes = [...inspection.notes];
      if (inspection.n_dropped) note(notes.shift());
      for (const item of inspection.excluded) {
        const kept = !excluded.has(item.name);
        const li = note(kept ? `You use '${item.name}' although ${item.reason}.` : notes[0], kept ? "kept" : "");
        notes.shift();
        toggle(li, [item.name], `Leave '${item.name}' out`, `Use '${item.name}' anyway`);
      }
      for (const leak of inspection.leakage) {
        notes.shift();
        const li = note(leak.reason, "warn");
        const names = leak.columns;
        const quoted = names.map((n) => `'${n}'`).join(" and ");
        toggle(li, names, `Exclude ${quoted}`, `Keep ${quoted}`);
      }
      for (const rest of notes) {
        const li = note(rest);
        // A column of dates can be left out from its note (an inspection cached before the
        // dates were told apart has none).
        const date = (inspection.dates || []).find((name) => rest.startsWith(`'${name}' holds dates`));
        if (date) toggle(li, [date], `Leave '${date}' out`, `Use '${date}'`);
      }
    }
    $("data-notes").replaceChildren(...items);
    const others = dataset.columns.filter((c) => c.name !== $("target").value).length;
    const used = others - [...excluded].filter((name) => name !== $("target").value).length;
    $("columns-used").textContent = `Tuner learns from ${used} of the ${others} other columns to predict '${$("target").value}'.`;
  }
  $("data-notes").addEventListener("click", (event) => {
    const button = event.target.closest("[data-columns]");
    if (!button) return;
    for (const name of JSON.parse(button.dataset.columns)) {
      if (button.dataset.exclude) excluded.add(name); else excluded.delete(name);
    }
    showInspection();
  });

  function objective() {
    if (kind() === "external") return { kind: "external" };
    const spec = { kind: "sklearn", estimator: $("estimator").value, metric: $("metric").value, cv: Number($("cv").value) || 5 };
    if (source() === "bundled") spec.dataset = $("bundled").value;
    else if (dataset) {
      spec.dataset = `csv:${dataset.id}`;
      spec.target = $("target").value;
      const exclude = dataset.columns.map((c) => c.name).filter((name) => excluded.has(name) && name !== spec.target);
      if (exclude.length) spec.exclude = exclude;
    }
    if (limits.length) spec.constraints = limits.map(toConstraint);
    return spec;
  }

  // ---- limits: "Only accept models whose fit time per fold is at most 2 seconds" ---------
  const limitKind = (name) => catalogue.limits.find((l) => l.name === name);
  const limitChoices = () => catalogue.limits.filter((l) => !task || !l.task || l.task === task);
  function toConstraint(row) {
    const kind = limitKind(row.metric);
    // An empty or unreadable box is sent as it is, so the server names the field at fault.
    const typed = row.value.trim();
    const number = typed === "" || Number.isNaN(Number(typed)) ? typed : Number(typed) * (kind ? kind.scale : 1);
    return { metric: row.metric, [row.bound]: number };
  }
  function fromConstraint(c) {
    const kind = limitKind(c.metric);
    const bound = c.max !== undefined && c.max !== null ? "max" : "min";
    return { metric: c.metric, bound, value: String(c[bound] / (kind ? kind.scale : 1)) };
  }
  function renderLimits() {
    $("limits").replaceChildren(...limits.map((row, i) => {
      const li = document.createElement("li");
      li.dataset.index = i;
      li.dataset.testid = "limit";
      const metric = document.createElement("select");
      metric.dataset.key = "metric";
      metric.setAttribute("aria-label", `limit ${i + 1}: what to limit`);
      const choices = limitChoices();
      if (!choices.some((l) => l.name === row.metric)) choices.push(limitKind(row.metric) || { name: row.metric, label: row.metric, unit: "" });
      metric.replaceChildren(...choices.map((l) => new Option(l.label, l.name)));
      metric.value = row.metric;
      const bound = document.createElement("select");
      bound.dataset.key = "bound";
      bound.setAttribute("aria-label", `limit ${i + 1}: at most or at least`);
      bound.replaceChildren(new Option("at most", "max"), new Option("at least", "min"));
      bound.value = row.bound;
      const value = document.createElement("input");
      value.type = "number";
      value.step = "any";
      value.dataset.key = "value";
      value.setAttribute("aria-label", `limit ${i + 1}: the limit`);
      value.value = row.value;
      const unit = document.createElement("span");
      unit.className = "muted";
      unit.textContent = (limitKind(row.metric) || { unit: "" }).unit;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button small link-button";
      remove.dataset.removeLimit = "";
      remove.setAttribute("aria-label", `remove limit ${i + 1}`);
      remove.textContent = "✕";
      const error = document.createElement("p");
      error.className = "field-error";
      error.dataset.errorFor = `objective.constraints[${i}]`;
      li.append("Only accept models whose", metric, "is", bound, value, unit, remove, error);
      return li;
    }));
  }
  $("add-limit").addEventListener("click", () => {
    const first = limitChoices()[0];
    limits.push({ metric: first.name, bound: first.bound, value: "" });
    renderLimits();
    $("limits").lastChild.querySelector('[data-key="value"]').focus();
  });
  $("limits").addEventListener("input", (event) => {
    const input = event.target.closest("[data-key]");
    if (!input) return;
    const row = limits[Number(input.closest("li").dataset.index)];
    row[input.dataset.key] = input.value;
    // A new metric starts from its natural side: times, sizes and errors at most, scores at least.
    if (input.dataset.key === "metric") { row.bound = limitKind(row.metric).bound; renderLimits(); }
  });
  $("limits").addEventListener("click", (event) => {
    if (!event.target.closest("[data-remove-limit]")) return;
    limits.splice(Number(event.target.closest("li").dataset.index), 1);
    clearErrors(["objective.constraints"]);
    renderLimits();
  });
  const limitWords = (c) => {
    const kind = limitKind(c.metric) || { label: c.metric, unit: "", scale: 1 };
    const bound = c.max !== undefined ? "max" : "min";
    const shown = typeof c[bound] === "number" ? c[bound] / kind.scale : c[bound];
    return `${kind.label} ${bound === "max" ? "at most" : "at least"} ${shown}${kind.unit ? ` ${kind.unit}` : ""}`;
  };

  // ---- step 2: search space -----------------------------------------------------------
  const parse = (text) => {
    const t = text.trim();
    if (t === "true" || t === "false") return t === "true";
    return t !== "" && !Number.isNaN(Number(t)) ? Number(t) : t;
  };
  const list = (text) => text.split(",").map((s) => s.trim()).filter((s) => s !== "").map(parse);

  function toRows(space) {
    return Object.entries(space || {}).map(([name, spec]) => {
      const [parent, values] = spec.condition ? Object.entries(spec.condition)[0] : ["", []];
      return { name, type: spec.type, low: spec.low ?? "", high: spec.high ?? "", log: Boolean(spec.log),
               step: spec.step ?? "", choices: (spec.choices || []).join(", "), parent, values: values.join(", ") };
    });
  }

  function toSpace() {
    const space = {};
    for (const row of rows) {
      const spec = { type: row.type };
      if (row.type === "categorical") spec.choices = list(String(row.choices));
      else {
        spec.low = row.low === "" ? null : Number(row.low);
        spec.high = row.high === "" ? null : Number(row.high);
        if (row.log) spec.log = true;
        if (row.step !== "" && row.step !== null) spec.step = Number(row.step);
      }
      if (row.parent) spec.condition = { [row.parent]: list(String(row.values)) };
      space[row.name] = spec;
    }
    return space;
  }

  const cell = (html) => { const td = document.createElement("td"); td.innerHTML = html; return td; };
  function renderRows() {
    const tbody = $("space-table").tBodies[0];
    const categorical = rows.filter((r) => r.type === "categorical").map((r) => r.name);
    tbody.replaceChildren(...rows.map((row, i) => {
      const tr = document.createElement("tr");
      tr.dataset.index = i;
      const numeric = row.type !== "categorical";
      tr.append(
        cell(`<input type="text" data-key="name" aria-label="name"><p class="muted meaning" data-meaning></p><p class="field-error" data-row-error="name"></p><p class="field-error" data-row-error=""></p>`),
        cell(`<select data-key="type" aria-label="type"><option>float</option><option>int</option><option>categorical</option></select><p class="field-error" data-row-error="type"></p>`),
        cell(numeric ? `<input type="number" step="any" data-key="low" aria-label="low"><p class="field-error" data-row-error="low"></p>` : ""),
        cell(numeric ? `<input type="number" step="any" data-key="high" aria-label="high"><p class="field-error" data-row-error="high"></p>` : ""),
        cell(numeric ? `<input type="checkbox" data-key="log" aria-label="log scale"><p class="field-error" data-row-error="log"></p>` : ""),
        cell(numeric ? `<input type="number" step="any" data-key="step" aria-label="step" placeholder="none"><p class="field-error" data-row-error="step"></p>` : ""),
        cell(numeric ? "" : `<input type="text" data-key="choices" aria-label="choices" placeholder="a, b, c"><p class="field-error" data-row-error="choices"></p>`),
        cell(`<select data-key="parent" aria-label="only when parameter"><option value="">always</option></select>
              <input type="text" data-key="values" aria-label="only when values" placeholder="values" ${row.parent ? "" : "hidden"}>
              <p class="field-error" data-row-error="condition"></p>`),
        cell(`<button type="button" class="button small link-button" data-remove aria-label="remove ${row.name}">✕</button>`),
      );
      // What a built-in model's parameter does (auto names it <family>__<param>); your own code's are yours.
      const meaning = kind() === "sklearn" && catalogue.param_meanings[row.name.split("__").pop()];
      tr.querySelector("[data-meaning]").textContent = meaning || "";
      const parent = tr.querySelector('[data-key="parent"]');
      for (const name of categorical.filter((n) => n !== row.name)) parent.append(new Option(name, name));
      for (const input of tr.querySelectorAll("[data-key]")) {
        if (input.type === "checkbox") input.checked = row[input.dataset.key];
        else input.value = row[input.dataset.key] ?? "";
      }
      return tr;
    }));
    $("space-json").value = JSON.stringify(toSpace(), null, 2);
  }

  $("space-table").addEventListener("input", (event) => {
    const input = event.target.closest("[data-key]");
    if (!input) return;
    const row = rows[Number(input.closest("tr").dataset.index)];
    row[input.dataset.key] = input.type === "checkbox" ? input.checked : input.value;
    spaceTouched = true;
    if (["type", "parent"].includes(input.dataset.key)) renderRows();
    scheduleCheck();
  });
  $("space-table").addEventListener("click", (event) => {
    if (!event.target.closest("[data-remove]")) return;
    rows.splice(Number(event.target.closest("tr").dataset.index), 1);
    spaceTouched = true;
    renderRows();
    scheduleCheck();
  });
  $("add-row").addEventListener("click", () => {
    rows.push({ name: `param_${rows.length + 1}`, type: "float", low: 0, high: 1, log: false, step: "", choices: "", parent: "", values: "" });
    spaceTouched = true;
    renderRows();
    $("space-table").tBodies[0].lastChild.querySelector("input").focus();
  });

  $("json-toggle").addEventListener("change", () => {
    if ($("json-toggle").checked) { $("space-json").value = JSON.stringify(toSpace(), null, 2); }
    else if (!syncJsonToRows()) { $("json-toggle").checked = true; return; }
    $("space-json-wrap").hidden = !$("json-toggle").checked;
    $("space-rows-wrap").hidden = $("json-toggle").checked;
    if (!$("json-toggle").checked) renderRows();
  });
  $("space-json").addEventListener("input", () => { spaceTouched = true; scheduleCheck(); });
  function syncJsonToRows() {
    try {
      rows = toRows(JSON.parse($("space-json").value));
      $("json-error").textContent = "";
      return true;
    } catch (err) {
      $("json-error").textContent = `This is not valid JSON: ${err.message}`;
      return false;
    }
  }
  function currentSpace() {
    if ($("json-toggle").checked) {
      try { return JSON.parse($("space-json").value); } catch (err) { return toSpace(); }
    }
    return toSpace();
  }

  let checkTimer = null;
  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => check(["search_space"]), 400);
  }

  // ---- step 3: sampler, pruner, budget ------------------------------------------------
  function optionList(container, name, options, chosen) {
    for (const option of options) {
      const label = document.createElement("label");
      label.className = "option";
      label.innerHTML = `<input type="radio" name="${name}"><span><strong></strong><span class="muted"></span></span>`;
      label.querySelector("input").value = option.name;
      label.querySelector("input").checked = option.name === chosen;
      label.querySelector("strong").textContent = option.title || option.name;
      label.querySelector(".muted").textContent = ` — ${option.describe}`;
      container.append(label);
    }
  }
  optionList($("samplers"), "sampler", catalogue.samplers, catalogue.default_sampler);
  optionList($("pruners"), "pruner", [{ name: "none", title: "None", describe: "Every trial runs to the end." }, ...catalogue.pruners], "none");
  const metricLabel = (name) => (catalogue.metrics.find((metric) => metric.name === name) || { label: name }).label;
  const titleOf = (options, name) => (options.find((option) => option.name === name) || { title: name }).title || name;

  function spec() {
    const body = { name: $("name").value, objective: objective(), search_space: currentSpace() };
    if (kind() === "external") body.direction = $("direction").value;
    if (kind() === "external" && $("value-name").value.trim()) body.objective_names = [$("value-name").value];
    const sampler = { ...(prefill.sampler || {}), name: form.querySelector('input[name="sampler"]:checked').value };
    if ($("seed").value !== "") sampler.seed = Number($("seed").value); else delete sampler.seed;
    if (prefill.sampler && prefill.sampler.name !== sampler.name) for (const key of Object.keys(sampler)) if (!["name", "seed"].includes(key)) delete sampler[key];
    body.sampler = sampler;
    const pruner = form.querySelector('input[name="pruner"]:checked').value;
    body.pruner = pruner === "none" ? null : (prefill.pruner && prefill.pruner.name === pruner ? prefill.pruner : { name: pruner });
    const budget = kind() === "external" ? {} : { parallelism: Number($("parallelism").value) || 1 };
    if ($("n_trials").value !== "") budget.n_trials = Number($("n_trials").value);
    if ($("timeout_min").value !== "") budget.timeout_s = Math.round(Number($("timeout_min").value) * 60);
    // Stop rules: sent only when set; the server checks them and names the field at fault.
    for (const key of ["target", "patience", "min_delta"]) if ($(`stop_${key}`).value !== "") budget[key] = Number($(`stop_${key}`).value);
    if ($("stop_regret_bound").checked) budget.regret_bound = true;
    body.budget = budget;
    return body;
  }

  // ---- validation messages beside their fields ----------------------------------------
  function clearErrors(fields) {
    for (const el of form.querySelectorAll("[data-error-for]")) {
      if (!fields || fields.some((f) => el.dataset.errorFor === f || el.dataset.errorFor.startsWith(`${f}.`))) el.textContent = "";
    }
    if (!fields || fields.includes("search_space")) for (const el of form.querySelectorAll("[data-row-error]")) el.textContent = "";
  }

  // "lr.low: low must be less than high" goes beside lr's low field; "lr: ..." beside its row.
  function placeSpaceMessage(message) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([a-z_]+))?:\s/.exec(message);
    const index = match ? rows.findIndex((r) => r.name === match[1]) : -1;
    const tr = !$("json-toggle").checked && index >= 0 ? $("space-table").tBodies[0].children[index] : null;
    const target = tr && (tr.querySelector(`[data-row-error="${match[2] || ""}"]`) || tr.querySelector('[data-row-error=""]'));
    const el = target || form.querySelector('[data-error-for="search_space"]');
    el.textContent = el.textContent ? `${el.textContent} ${message}` : message;
  }

  // "objective.constraints[1].max" goes beside the second limit, failing that beside the objective.
  const parentField = /(\.[^.[\]]*|\[\d+\])$/;
  function errorPlace(key) {
    for (let at = key; ; at = at.replace(parentField, "")) {
      const el = form.querySelector(`[data-error-for="${CSS.escape(at)}"]`);
      if (el || !parentField.test(at)) return el;
    }
  }

  function showErrors(errors, fields) {
    let shown = 0;
    for (const [key, messages] of Object.entries(errors || {})) {
      if (fields && !fields.some((f) => key === f || key.startsWith(`${f}.`) || key.startsWith(`${f}[`))) continue;
      const texts = Array.isArray(messages) ? messages : [String(messages)];
      shown += 1;
      if (key === "search_space") { texts.forEach(placeSpaceMessage); continue; }
      const el = errorPlace(key);
      if (el) el.textContent = texts.join(" ");
      else { $("review-errors").hidden = false; $("review-errors").textContent += `${key}: ${texts.join(" ")} `; }
    }
    return shown;
  }

  async function check(fields) {
    clearErrors(fields);
    const answer = await window.tunerApi("POST", urls.validate, spec());
    $("space-status").textContent = "";
    if (answer.ok) { if (fields.includes("search_space")) $("space-status").textContent = "✓ the space is valid"; return 0; }
    return showErrors(answer.data, fields);
  }

  // ---- step 4: review and create ------------------------------------------------------
  function review() {
    const body = spec();
    const o = body.objective;
    const items = [
      ["Name", body.name],
      ["Objective", o.kind === "external" ? `your own code: ${body.objective_names ? body.objective_names[0] : "its number"}, ${catalogue.goals[body.direction]}` : `${estimatorLabel(o.estimator)} on ${dataset && o.dataset.startsWith("csv:") ? dataset.name : o.dataset}${o.target ? ` → ${o.target}` : ""}, ${metricLabel(o.metric)}, ${o.cv}-fold CV`],
      ...(o.exclude ? [["Left out", o.exclude.join(", ")]] : []),
      ...(o.constraints ? [["Only accept models whose", o.constraints.map(limitWords).join("; ")]] : []),
      ["Parameters", Object.keys(body.search_space).join(", ") || "none"],
      ["Sampler", titleOf(catalogue.samplers, body.sampler.name)], ["Pruner", body.pruner ? titleOf(catalogue.pruners, body.pruner.name) : "none"],
      ["Budget", `${body.budget.n_trials || "∞"} trials${body.budget.parallelism ? `, ${body.budget.parallelism} at once` : ""}${body.budget.timeout_s ? `, at most ${body.budget.timeout_s / 60} min` : ""}`],
      ...(stopWords(body.budget) ? [["Stop early", stopWords(body.budget)]] : []),
    ];
    $("review").replaceChildren(...items.flatMap(([k, v]) => {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v;
      return [dt, dd];
    }));
    $("review-json").textContent = JSON.stringify(body, null, 2);
  }

  function stopWords(b) {
    const rules = [];
    if (b.target !== undefined) rules.push(`when the best score reaches ${b.target}`);
    if (b.patience !== undefined) rules.push(`after ${b.patience} trials in a row without a better score${b.min_delta ? ` (by at least ${b.min_delta})` : ""}`);
    if (b.regret_bound) rules.push("when more trials are unlikely to beat the best by more than the noise");
    return rules.join("; ");
  }

  // What "Start with recommended settings" sends: the first step as chosen, the rest as recommended.
  function recommendedSpec() {
    const body = spec();
    const estimator = catalogue.estimators.find((e) => e.name === body.objective.estimator);
    body.search_space = estimator.spaces[task || estimator.tasks[0]];
    body.sampler = { name: catalogue.default_sampler };
    body.pruner = null;
    body.budget = { ...budget };
    return body;
  }

  const estimatorLabel = (name) => (catalogue.estimators.find((e) => e.name === name) || { label: name }).label;

  async function create(start, body) {
    $("review-errors").hidden = true;
    $("review-errors").textContent = "";
    const buttons = [$("create"), $("create-start"), $("quick-start")];
    for (const b of buttons) b.disabled = true;
    const answer = await window.tunerApi("POST", urls.studies, body || spec());
    if (answer.ok && start && kind() !== "external") await window.tunerApi("POST", `${urls.studies}${answer.data.id}/start/`);
    for (const b of buttons) b.disabled = false;
    if (answer.ok) { window.location.assign(urls.study_page.replace("/0/", `/${answer.data.id}/`)); return; }
    const firstStep = Object.keys(answer.data).some((k) => k.startsWith("name") || k.startsWith("objective")) ? 1
      : Object.keys(answer.data).includes("search_space") ? 2 : 3;
    show(firstStep);
    showErrors(answer.data);
  }
  $("create").addEventListener("click", () => create(false));
  $("create-start").addEventListener("click", () => create(true));
  $("quick-start").addEventListener("click", () => create(true, recommendedSpec()));

  // ---- prefill (duplicate or template) ------------------------------------------------
  async function applyPrefill() {
    if (prefill.name) $("name").value = prefill.name;
    const o = prefill.objective || {};
    if (o.kind === "external") {
      form.querySelector('input[name="kind"][value="external"]').checked = true;
      $("direction").value = (prefill.directions || ["minimize"])[0];
      $("value-name").value = (prefill.objective_names || [])[0] || "";
    }
    if (o.kind === "sklearn") {
      if (o.dataset && o.dataset.startsWith("csv:")) {
        const answer = await window.tunerApi("GET", `${urls.datasets}${o.dataset.slice(4)}/`);
        if (answer.ok) await useDataset(answer.data, o.target);
      } else if (o.dataset) {
        form.querySelector('input[name="source"][value="bundled"]').checked = true;
        $("bundled").value = o.dataset;
      }
    }
    showObjective();
    if (o.estimator) $("estimator").value = o.estimator;
    if (o.metric) { $("metric").value = o.metric; showMetricReason(); }
    if (o.cv) $("cv").value = o.cv;
    if (o.constraints) { limits = o.constraints.map(fromConstraint); renderLimits(); }
    if (prefill.search_space) rows = toRows(prefill.search_space);
    else loadDefaultSpace();
    const budget = prefill.budget || {};
    if (budget.n_trials) $("n_trials").value = budget.n_trials;
    if (budget.timeout_s) $("timeout_min").value = Math.round(budget.timeout_s / 60);
    if (budget.parallelism) $("parallelism").value = budget.parallelism;
    for (const key of ["target", "patience", "min_delta"]) if (budget[key] !== undefined && budget[key] !== null) $(`stop_${key}`).value = budget[key];
    $("stop_regret_bound").checked = Boolean(budget.regret_bound);
    const pick = (name, value) => { const el = form.querySelector(`input[name="${name}"][value="${value}"]`); if (el) el.checked = true; };
    if (prefill.sampler) { pick("sampler", prefill.sampler.name); if (prefill.sampler.seed !== undefined) $("seed").value = prefill.sampler.seed; }
    if (prefill.pruner) pick("pruner", prefill.pruner.name);
  }

  $("bundled").dispatchEvent(new Event("change"));
  setTask(null);
  applyPrefill().then(() => show(1));
})();
