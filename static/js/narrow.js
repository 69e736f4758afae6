// Study page, "Narrow the search" card (owner and editors): a from/to pair per number parameter
// and a tick box per choice, prefilled with the study's space. Dragging a range on an axis of the
// parallel coordinates chart, or drawing a box on a slice, fills them in. "Continue in this
// narrower space" asks the API for a child study and opens it; the server checks every rule.
(function () {
  const card = document.getElementById("narrow-search");
  if (!card) return;
  const data = JSON.parse(document.getElementById("narrow-data").textContent);
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const space = page.search_space;
  // Named in words where Tuner chose the kind of model (the server's, names.control_words).
  // Own keys only: a parameter of your own code may be called "constructor" or "toString".
  const own = (object, key) => (object && Object.hasOwn(object, key) ? object[key] : undefined);
  const said = (name) => own(page.words.labels, name) || name;
  const saidChoice = (name, choice) => own(own(page.words.choice_labels, name), String(choice));
  const fields = document.getElementById("narrow-fields");
  const error = document.getElementById("narrow-error");
  const budgetError = card.querySelector('[data-error-for="budget"]');
  const status = document.getElementById("narrow-status");
  const inputs = {};

  function numberField(name, spec, bound) {
    const input = document.createElement("input");
    input.type = "number";
    input.step = spec.step || (spec.type === "int" ? 1 : "any");
    input.min = spec.low;
    input.max = spec.high;
    input.value = spec[bound];
    input.id = `narrow-${name}-${bound}`;
    input.setAttribute("aria-label", `${said(name)} ${bound === "low" ? "from" : "to"}`);
    return input;
  }

  function build(name, spec) {
    const field = document.createElement("div");
    field.className = "field";
    const label = document.createElement("label");
    label.textContent = spec.log ? `${said(name)} (log scale)` : said(name);
    if (said(name) !== name) label.title = name;
    field.append(label);
    if (spec.type === "categorical") {
      inputs[name] = spec.choices.map((choice) => {
        const box = document.createElement("input");
        box.type = "checkbox";
        box.checked = true;
        const wrap = document.createElement("label");
        wrap.className = "toggle";
        wrap.append(box, ` ${saidChoice(name, choice) || window.tunerFormat.param(choice)}`);
        field.append(wrap);
        return box;
      });
    } else {
      label.htmlFor = `narrow-${name}-low`;
      inputs[name] = { low: numberField(name, spec, "low"), high: numberField(name, spec, "high") };
      const row = document.createElement("div");
      row.className = "range-pair";
      row.append(inputs[name].low, "to", inputs[name].high);
      field.append(row);
    }
    fields.append(field);
  }

  // The child's space: every parameter as in this study, with the bounds and choices chosen here.
  function narrowed() {
    const out = {};
    for (const [name, spec] of Object.entries(space)) {
      const copy = { ...spec };
      if (spec.type === "categorical") copy.choices = spec.choices.filter((_, i) => inputs[name][i].checked);
      else {
        const read = (input) => (input.value === "" ? NaN : Number(input.value));
        copy.low = read(inputs[name].low);
        copy.high = read(inputs[name].high);
      }
      out[name] = copy;
    }
    // A condition keeps only the choices still there; a parameter none of them activates is left
    // out (it could never be active), and so are those that depend on it.
    for (let changed = true; changed;) {
      changed = false;
      for (const [name, spec] of Object.entries(out)) {
        if (!spec.condition) continue;
        const [parent, values] = Object.entries(spec.condition)[0];
        const kept = out[parent] ? values.filter((v) => out[parent].choices.includes(v)) : [];
        if (kept.length) spec.condition = { [parent]: kept };
        else { delete out[name]; changed = true; }
      }
    }
    return out;
  }

  function setRange(name, low, high) {
    const spec = space[name];
    if (!spec || spec.type === "categorical" || !(low <= high)) return;
    const snap = (v) => {
      let x = Math.min(spec.high, Math.max(spec.low, v));
      if (spec.step) x = spec.low + Math.round((x - spec.low) / spec.step) * spec.step;
      if (spec.type === "int") x = Math.round(x);
      return Number(x.toPrecision(6));
    };
    inputs[name].low.value = snap(low);
    inputs[name].high.value = snap(high);
  }

  function keepChoices(name, kept) {
    if (!space[name] || space[name].type !== "categorical") return;
    space[name].choices.forEach((choice, i) => { inputs[name][i].checked = kept(choice, i); });
  }

  // Parallel coordinates: an axis's chosen range, in its own units (log10 on a log axis), as
  // charts.js announces them when a box is dragged on the chart. An axis's label may be in
  // words: its parameter is `param` (plots.parallel).
  function fromParallel(chart) {
    const dimensions = (chart.tunerParallel && chart.tunerParallel.dimensions) || [];
    for (const dimension of dimensions) {
      const name = dimension.param;
      if (!space[name] || !dimension.constraintrange) continue;
      const ranges = Array.isArray(dimension.constraintrange[0]) ? dimension.constraintrange : [dimension.constraintrange];
      if (space[name].type === "categorical") {
        keepChoices(name, (_, i) => ranges.some(([a, b]) => a <= i && i <= b));
        continue;
      }
      const unlog = (v) => (/ \(log\)$/.test(dimension.label) ? 10 ** v : v);
      setRange(name, unlog(Math.min(...ranges.map((r) => r[0]))), unlog(Math.max(...ranges.map((r) => r[1]))));
    }
  }

  // Slices: the points inside the box drawn on one parameter's panel. The panels share one pair
  // of axes (charts.js), so a dot's own value is its `customdata`; tick labels have none.
  function fromSlices(chart, event) {
    const points = ((event && event.points) || []).filter((point) => point.customdata !== undefined);
    const byName = {};
    // A panel's trace is named for the hover; its parameter is its `meta` (plots.slices).
    for (const point of points) (byName[chart.data[point.curveNumber].meta] ||= []).push(point.customdata);
    for (const [name, xs] of Object.entries(byName)) {
      if (space[name] && space[name].type === "categorical") keepChoices(name, (choice) => xs.includes(String(choice)) || xs.includes(choice));
      else setRange(name, Math.min(...xs), Math.max(...xs));
    }
  }

  // The charts are drawn by charts.js when their data arrives; listen as soon as each is drawn
  // (a box drawn in the second after was lost while this looked once a second).
  function listen(id, event, handler) {
    const chart = document.getElementById(id);
    if (!chart) return;
    const attach = () => chart.on(event, (e) => handler(chart, e));
    if (typeof chart.on === "function") attach();
    else chart.addEventListener("tuner:drawn", attach, { once: true });
  }

  async function submit(event) {
    event.preventDefault();
    error.textContent = budgetError.textContent = "";
    const body = { search_space: narrowed() };
    const n = document.getElementById("narrow-n-trials").value;
    if (n !== "") body.budget = { n_trials: Number(n) };
    status.textContent = "Creating the narrower study…";
    const answer = await window.tunerApi("POST", data.url, body);
    if (answer.ok) {
      status.textContent = `Created study #${answer.data.id}; opening it…`;
      window.location.href = data.child_url.replace("/0/", `/${answer.data.id}/`);
      return;
    }
    status.textContent = "";
    const faults = answer.data || {};
    const lines = [];
    for (const [key, messages] of Object.entries(faults)) {
      const text = [].concat(messages).join(" ");
      if (key.startsWith("budget")) budgetError.textContent += `${text} `;
      else lines.push(key === "detail" || key === "non_field_errors" ? text : `${key.replace(/^search_space\./, "")}: ${text}`);
    }
    error.textContent = lines.join(" · ");
  }

  Object.entries(space).forEach(([name, spec]) => build(name, spec));
  document.getElementById("narrow-form").addEventListener("submit", submit);
  const parallelChart = document.getElementById("chart-parallel");
  if (parallelChart) parallelChart.addEventListener("tuner:parallel", () => fromParallel(parallelChart));
  listen("chart-slices", "plotly_selected", fromSlices);
})();
