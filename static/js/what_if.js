// Study page, What if… panel (every visitor, share links too): one control per parameter (a
// slider for numbers, on a log scale where the space is log; a menu for choices; controls of
// parameters whose condition does not hold are hidden). As they move, asks what-if.json what a
// trial there would score; members who may run the study can queue that trial. Below, draws what
// more trials may bring from advice.json. The server predicts; this script only shows.
(function () {
  const panel = document.getElementById("what-if");
  if (!panel) return;
  const data = JSON.parse(document.getElementById("what-if-data").textContent);
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const space = page.search_space;
  const fmt = window.tunerFormat;
  const form = panel.querySelector("[data-what-if-controls]");
  const mean = panel.querySelector("[data-what-if-mean]");
  const range = panel.querySelector("[data-what-if-range]");
  const nearest = panel.querySelector("[data-what-if-nearest]");
  const error = panel.querySelector("[data-what-if-error]");
  const tryButton = panel.querySelector("[data-what-if-try]");
  const status = panel.querySelector("[data-what-if-status]");
  const SLIDER_STEPS = 1000;
  const controls = {};
  let asked = 0;
  let timer = null;
  let lastParams = null;

  // A number parameter as a slider position in [0, SLIDER_STEPS] and back (log-warped where log).
  function toValue(spec, position) {
    const u = position / SLIDER_STEPS;
    let v = spec.log ? Math.exp(Math.log(spec.low) + u * (Math.log(spec.high) - Math.log(spec.low)))
      : spec.low + u * (spec.high - spec.low);
    if (spec.step) v = spec.low + Math.round((v - spec.low) / spec.step) * spec.step;  // the server snaps float error
    if (spec.type === "int") v = Math.round(v);
    else if (!spec.step) v = Number(v.toPrecision(6));  // a readable value; a step's grid is already short
    return Math.min(spec.high, Math.max(spec.low, v));
  }
  function toPosition(spec, v) {
    const u = spec.log ? (Math.log(v) - Math.log(spec.low)) / (Math.log(spec.high) - Math.log(spec.low))
      : (v - spec.low) / (spec.high - spec.low);
    return Math.round(Math.min(1, Math.max(0, u)) * SLIDER_STEPS);
  }

  function build(name, spec) {
    const field = document.createElement("div");
    field.className = "field";
    const label = document.createElement("label");
    label.htmlFor = `what-if-${name}`;
    // A study where Tuner chose the kind of model names its controls in words (the server's labels).
    // Own keys only: a parameter of your own code may be called "constructor" or "toString".
    const words = (Object.hasOwn(data.labels, name) && data.labels[name]) || name;
    const choiceWords = (Object.hasOwn(data.choice_labels, name) && data.choice_labels[name]) || {};
    label.textContent = words;
    if (words !== name) label.title = name;  // the name the API and the exports use, for engineers
    const shown = document.createElement("output");
    shown.className = "muted";
    let input;
    const start = data.start[name];
    if (spec.type === "categorical") {
      input = document.createElement("select");
      spec.choices.forEach((choice, i) => {
        const option = document.createElement("option");
        option.value = String(i);
        option.textContent = (Object.hasOwn(choiceWords, choice) && choiceWords[choice]) || fmt.param(choice);
        input.append(option);
      });
      const at = spec.choices.findIndex((c) => c === start);
      input.value = String(at >= 0 ? at : 0);
    } else {
      input = document.createElement("input");
      input.type = "range";
      input.min = "0";
      input.max = String(SLIDER_STEPS);
      input.step = "1";
      input.value = String(typeof start === "number" ? toPosition(spec, start) : SLIDER_STEPS / 2);
      if (spec.log) label.textContent = `${words} (log scale)`;
    }
    input.id = `what-if-${name}`;
    input.name = name;
    input.dataset.param = name;
    field.append(label, input, shown);
    form.append(field);
    controls[name] = { spec, input, field, shown };
  }

  function valueOf(name) {
    const { spec, input } = controls[name];
    return spec.type === "categorical" ? spec.choices[Number(input.value)] : toValue(spec, Number(input.value));
  }

  // The params of the active controls, parents first; hides the controls whose condition fails.
  function current() {
    const params = {};
    let changed = true;
    const decided = new Set();
    while (changed) {  // conditions may chain; settle them in as many passes as the chain is long
      changed = false;
      for (const [name, c] of Object.entries(controls)) {
        if (decided.has(name)) continue;
        const condition = c.spec.condition;
        const parent = condition ? Object.keys(condition)[0] : null;
        if (parent && !decided.has(parent)) continue;
        const active = !parent || (parent in params && condition[parent].includes(params[parent]));
        if (active) params[name] = valueOf(name);
        c.field.hidden = !active;
        decided.add(name);
        changed = true;
      }
    }
    // A slider shows its value beside it; a menu shows its own.
    for (const [name, c] of Object.entries(controls)) {
      c.shown.textContent = name in params && c.spec.type !== "categorical" ? fmt.param(params[name]) : "";
    }
    return params;
  }

  function closeness(nearestTrial) {
    const d = nearestTrial.distance;
    const trial = `trial #${nearestTrial.number}`;
    if (d < 0.005) return `These are the parameters of ${trial}.`;
    if (d <= 0.1) return `Close to ${trial}: the guess leans on trials like it.`;
    if (d <= 0.3) return `Some way from anything tried (nearest: ${trial}): take the guess with care.`;
    return `Far from anything tried (nearest: ${trial}): the guess is rough.`;
  }

  function show(answer) {
    error.hidden = true;
    mean.textContent = fmt.value(answer.mean);
    range.textContent = `95% sure a trial there scores between ${fmt.value(answer.low)} and ${fmt.value(answer.high)}`;
    nearest.textContent = closeness(answer.nearest_trial);
    panel.dataset.mean = String(answer.mean);
    if (tryButton) tryButton.disabled = false;
  }

  function refuse(message) {
    mean.textContent = "—";
    range.textContent = "";
    nearest.textContent = "";
    error.hidden = false;
    error.textContent = message;
    if (tryButton) tryButton.disabled = true;
  }

  async function ask() {
    const params = current();
    lastParams = params;
    const mine = ++asked;
    const url = `${data.url}?params=${encodeURIComponent(JSON.stringify(params))}`;
    const answer = await window.tunerApi("GET", url);
    if (mine !== asked) return;  // a later move has asked since; its answer wins
    if (answer.ok) show(answer.data);
    else refuse(window.tunerErrorText(answer));
  }

  function soon() {
    current();
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  }

  async function tryThese() {
    tryButton.disabled = true;
    status.textContent = "Queueing…";
    const answer = await window.tunerApi("POST", data.enqueue, { params: lastParams });
    tryButton.disabled = false;
    status.textContent = answer.ok ? `Queued as trial #${answer.data.number}.`
      : window.tunerErrorText(answer);
  }

  function drawAdvice(advice) {
    const sentence = panel.querySelector("[data-advice-sentence]");
    sentence.textContent = advice.sentence;
    // A horizon the sentence does not quote (its simulations pile at the score's limit) is not drawn.
    const h = advice.horizons.filter((row) => row.quoted);
    // With none quoted the chart would be today's best alone: the sentence says why, without it.
    document.getElementById("chart-advice").hidden = !h.length;
    if (!h.length) return;
    const x = ["now", ...h.map((row) => `${row.more_trials} more`)];
    const y = [advice.best, ...h.map((row) => row.expected_best)];
    const up = [0, ...h.map((row) => row.high - row.expected_best)];
    const down = [0, ...h.map((row) => row.expected_best - row.low)];
    const figure = {
      traces: [{ type: "scatter", mode: "markers+lines", x, y, name: "likely best",
                 error_y: { type: "data", symmetric: false, array: up, arrayminus: down },
                 hovertemplate: "%{x}: about %{y}<extra></extra>" }],
      layout: { height: 260, margin: { t: 10, r: 10, b: 40, l: 60 }, showlegend: false,
                yaxis: { title: { text: `best ${data.value_name || "value"}` } } },
    };
    window.tunerCharts.draw("advice", figure);
  }

  async function advise() {
    const answer = await window.tunerApi("GET", data.advice);
    const sentence = panel.querySelector("[data-advice-sentence]");
    if (answer.ok) drawAdvice(answer.data);
    else sentence.textContent = answer.data.detail || "";
  }

  // As trials finish (study.js's "tuner:progress"), the guess and the advice are asked again: once
  // the finished trials reach the number a guess needs, then each time they have grown by a fifth,
  // and when the study ends. Not on every trial: each new count is a new fit on the server.
  const NEEDS = data.min_trials;
  // Until a guess can be made, one line says when it will be, instead of controls that answer nothing.
  const waiting = panel.querySelector("[data-what-if-waiting]");
  const body = panel.querySelector("[data-what-if-body]");
  function waitFor(complete) {
    waiting.hidden = complete >= NEEDS;
    body.hidden = complete < NEEDS;
    waiting.textContent = `The guesses start once ${NEEDS} trials have completed (${complete} so far).`;
  }
  waitFor(page.header.counts.complete);
  let answeredAt = page.header.counts.complete;
  document.addEventListener("tuner:progress", ({ detail }) => {
    const { complete, finished } = detail;
    waitFor(complete);
    if (complete === answeredAt) return;
    const grown = complete >= NEEDS && (answeredAt < NEEDS || complete >= answeredAt * 1.2);
    if (!grown && !finished) return;
    answeredAt = complete;
    ask();
    advise();
  });

  for (const [name, spec] of Object.entries(space)) build(name, spec);
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  if (tryButton) tryButton.addEventListener("click", tryThese);
  window.tunerAfterOpening(() => { ask(); advise(); });  // once the charts are drawn (poll.js)
})();
