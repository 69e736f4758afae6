// Shared by every page. tunerPoll: calls fn quickly while the tab is visible, slowly while it
// is hidden, and stops when fn returns false. tunerApi: JSON requests with the session cookie
// and the CSRF token Django expects (read from the csrftoken cookie, sent as X-CSRFToken).
window.tunerPoll = function (fn, { visibleMs = 1000, hiddenMs = 10000 } = {}) {
  let stopped = false;
  let timer = null;
  async function tick() {
    timer = null;
    if (stopped) return;
    let keepGoing = true;
    try {
      keepGoing = await fn();
    } catch (err) {
      console.warn("poll failed; retrying", err);
    }
    if (keepGoing === false) { stopped = true; return; }
    timer = setTimeout(tick, document.hidden ? hiddenMs : visibleMs);
  }
  // Coming back to a hidden tab should not wait out the slow interval.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && timer !== null && !stopped) { clearTimeout(timer); tick(); }
  });
  tick();
  return () => { stopped = true; };
};

// What a panel asks for as the page opens, once the study page's charts are drawn: study.js sets
// window.tunerOpening as it starts them. The trial table, the share links, the re-check, what if
// and its advice, the model panels: none of them is needed to draw a chart, and sent beside the
// charts' JSON they took the server's threads and the browser's cores while the charts were
// being drawn (bench/README.md, issue 15, eighth round). Never later than 2 s after the charts
// started (a figure the server must build first can take seconds), and at once on other pages.
window.tunerAfterOpening = function (fn) {
  const opening = window.tunerOpening;
  if (!opening) return Promise.resolve().then(fn);
  const cap = new Promise((resolve) => setTimeout(resolve, 2000));
  return Promise.race([opening, cap]).then(fn);
};

window.tunerApi = async function (method, url, body) {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  const headers = { Accept: "application/json", "X-CSRFToken": match ? decodeURIComponent(match[1]) : "" };
  const options = { method, headers, credentials: "same-origin" };
  if (body instanceof FormData) options.body = body;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
  const response = await fetch(url, options);
  let data = null;
  if (response.status !== 204) {
    try { data = await response.json(); } catch (err) { data = { detail: `HTTP ${response.status}` }; }
  }
  return { ok: response.ok, status: response.status, data };
};

// The server's words for a refused request: its `detail`, else every field's messages, else the status.
window.tunerErrorText = function (answer) {
  const data = answer.data || {};
  return [].concat(data.detail || Object.values(data).flat()).join(" ") || `HTTP ${answer.status}`;
};

window.tunerFormat = {
  value(v) { return v === null || v === undefined ? "—" : Number(v.toPrecision(6)).toString(); },
  duration(s) {
    if (s === null || s === undefined) return "—";
    if (s < 10) return `${s.toFixed(1)} s`;
    s = Math.round(s);
    if (s < 90) return `${s} s`;
    let m = Math.floor(s / 60);
    if (m < 90) return `${m} min`;
    let h = Math.floor(m / 60); m %= 60;
    if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
    const d = Math.floor(h / 24); h %= 24;
    return h ? `${d} d ${h} h` : `${d} d`;
  },
  param(v) { return typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(6)).toString() : String(v); },
  // The text of one trial-table cell; `key` is a column: number, value, values, duration_s,
  // params.<name>, or any other trial field.
  trialCell(trial, key) {
    if (key === "number") return `#${trial.number}`;
    if (key === "value") return this.value(trial.value);
    if (key === "values") return trial.values ? trial.values.map((v) => this.value(v)).join(", ") : "—";
    if (key === "duration_s") return this.duration(trial.duration_s);
    if (key.startsWith("params.")) { const v = trial.params[key.slice(7)]; return v === undefined ? "" : this.param(v); }
    if (key.startsWith("metrics.")) { const v = (trial.metrics || {})[key.slice(8)]; return v === undefined ? "" : this.value(v); }
    if (key.startsWith("attrs.")) {  // user text: shown through textContent, as typed
      const v = (trial.attrs || {})[key.slice(6)];
      return v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
    }
    return trial[key] || "";
  },
};

// The plain-language summary list of the study page.
window.tunerShowSummary = function (list, sentences) {
  if (!list || !sentences) return;
  list.replaceChildren(...sentences.map((s) => {
    const li = document.createElement("li");
    li.dataset.key = s.key;
    const figure = document.createElement("span"); figure.className = "figure"; figure.textContent = s.figure;
    const text = document.createElement("span"); text.className = "sentence"; text.textContent = s.text;
    li.append(figure, text);
    return li;
  }));
};

// The state colours of dashboard/states.py, from the #tuner-states block every page carries.
window.tunerStates = (function () {
  const block = document.getElementById("tuner-states");
  return block ? JSON.parse(block.textContent) : { trial: {}, study: {}, best: "#111827" };
})();

// A state badge: its text, and its colour from dashboard/states.py (the CSS reads --state).
window.tunerBadge = function (el, state) {
  if (!el) return;
  el.textContent = (window.tunerStates.words || {})[state] || state;  // "stopped early" for pruned
  el.className = `badge badge-${state}`;  // the class names the state for selectors; the colour is --state
  el.style.setProperty("--state", window.tunerStates.trial[state] || window.tunerStates.study[state] || "#6b7280");
};
