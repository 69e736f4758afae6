// Trial page: draws the trial's intermediate values and, while the trial is waiting or running
// and the visitor may read the trial's API (not a share link), polls it so the state, value and
// curve move without a reload.
(function () {
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const fmt = window.tunerFormat;
  const chart = document.getElementById("chart-reports");
  const field = (name) => document.querySelector(`[data-field="${name}"]`);

  function draw(reports, state) {
    document.getElementById("empty-reports").hidden = reports.length > 0;
    chart.hidden = !reports.length;
    if (!reports.length) return;
    const trace = { type: "scatter", mode: "lines+markers", x: reports.map((r) => r.step), y: reports.map((r) => r.value),
                    line: { color: page.states.trial[state] || page.states.trial.complete } };
    Plotly.react(chart, [trace], {
      height: 320, margin: { t: 10, r: 10, b: 40, l: 60 }, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: { title: { text: "step" } }, yaxis: { title: { text: "intermediate value" } }, uirevision: "reports",
    }, { responsive: true, displaylogo: false });
  }

  function show(trial) {
    window.tunerBadge(field("state"), trial.state);
    field("value").textContent = trial.values ? trial.values.map(fmt.value).join(", ") : fmt.value(trial.value);
    field("duration").textContent = fmt.duration(trial.duration_s);
    field("worker").textContent = trial.worker || "—";
    field("heartbeat").textContent = trial.heartbeat_at ? new Date(trial.heartbeat_at).toISOString().slice(0, 19).replace("T", " ") : "—";
    field("error").textContent = trial.error;
    document.getElementById("error-card").hidden = !trial.error;
    draw(trial.intermediate, trial.state);
  }

  // Exclude… asks for a reason in a dialog; Include again needs none. Either reloads the page,
  // which the server draws with the trial's new mark.
  const controls = document.getElementById("exclusion-controls");
  const dialog = document.getElementById("exclude-dialog");
  const failed = (answer) => {
    const error = document.getElementById("exclusion-error");
    error.hidden = false;
    error.textContent = (answer.data && answer.data.detail) || `could not change the trial (HTTP ${answer.status})`;
  };
  if (controls) controls.addEventListener("click", async (event) => {
    if (event.target.closest("[data-open-dialog]")) { dialog.showModal(); return; }
    if (!event.target.closest("[data-include-trial]")) return;
    const answer = await window.tunerApi("POST", page.include);
    if (answer.ok) window.location.reload(); else failed(answer);
  });
  if (dialog) {
    dialog.querySelector("[data-close-dialog]").addEventListener("click", () => dialog.close());
    document.getElementById("exclude-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const answer = await window.tunerApi("POST", page.exclude, { reason: event.target.reason.value });
      if (answer.ok) { window.location.reload(); return; }
      const messages = answer.data && answer.data.reason;
      if (messages) dialog.querySelector('[data-error-for="reason"]').textContent = messages.join(" ");
      else { dialog.close(); failed(answer); }
    });
  }

  draw(page.reports, page.state);
  if (!page.api || !["waiting", "running"].includes(page.state)) return;
  window.tunerPoll(async () => {
    const answer = await window.tunerApi("GET", page.api);
    if (!answer.ok) throw new Error(`trial: HTTP ${answer.status}`);
    show(answer.data);
    return ["waiting", "running"].includes(answer.data.state);
  });
})();
