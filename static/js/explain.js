// Study page (every visitor, share links too): what drives the best model. Reads explain.json
// beside the page; while the explanation is being worked out it polls, and once ready it draws
// each chart under its title and one-line caption. Owners and editors may ask for it now when
// it was not worked out. The server decides everything; this only shows it.
(function () {
  const panel = document.getElementById("explain");
  if (!panel) return;
  const PENDING = ["queued", "running"];
  const page = JSON.parse(document.getElementById("page-data").textContent);
  // A study still running explains itself when it completes: keep an eye out for that.
  const mayStart = ["created", "running", "paused"].includes(page.header.state);
  const status = panel.querySelector("[data-explain-status]");
  const error = panel.querySelector("[data-explain-error]");
  const grid = panel.querySelector("[data-explain-charts]");
  const ask = panel.querySelector("[data-explain-ask]");
  let polling = false;
  let drawnFor = null;

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function card(chart) {
    const section = element("section", "card chart-card");
    section.dataset.explainChart = chart.name;
    const box = element("div", "chart");
    box.id = `chart-${chart.name}`;
    const note = element("p", "muted chart-note");
    note.id = `note-${chart.name}`;
    const empty = element("p", "muted chart-empty");
    empty.id = `empty-${chart.name}`;
    empty.hidden = true;
    section.append(element("h3", "", chart.title), element("p", "caption", chart.caption), box, note, empty);
    return section;
  }

  function show(body) {
    status.textContent = body.status;
    status.hidden = !body.status;
    error.hidden = !body.error;
    error.textContent = body.error || "";
    if (ask) ask.hidden = !["none", "failed"].includes(body.state);
    if (body.state === "ready" && drawnFor !== body.trial) {
      grid.replaceChildren(...body.charts.map(card));
      for (const chart of body.charts) window.tunerCharts.draw(chart.name, chart.figure);
      drawnFor = body.trial;
    }
    panel.dataset.state = body.state;
    if (PENDING.includes(body.state) || (body.state === "none" && mayStart)) watch();
  }

  async function load() {
    const answer = await window.tunerApi("GET", panel.dataset.url);
    if (!answer.ok) return answer.status >= 500;
    show(answer.data);
    return PENDING.includes(answer.data.state) || (answer.data.state === "none" && mayStart);
  }

  function watch() {
    if (polling) return;
    polling = true;
    window.tunerPoll(async () => (polling = await load()), { visibleMs: 3000, hiddenMs: 30000 });
  }

  if (ask) {
    ask.addEventListener("click", async () => {
      ask.disabled = true;
      const answer = await window.tunerApi("POST", panel.dataset.api);
      ask.disabled = false;
      if (!answer.ok) {
        error.hidden = false;
        error.textContent = (answer.data && answer.data.detail) || `could not start (HTTP ${answer.status})`;
        return;
      }
      load();
    });
  }

  window.tunerAfterOpening(load);  // once the study page's charts are drawn (poll.js)
})();
