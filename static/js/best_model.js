// Study page, best-model panel (for visitors who may use the model): "Prepare the best model" asks a worker to refit the best trial
// on the whole dataset; the panel then polls the export's state and shows the downloads when
// it is ready, or the reason when it failed. The server decides everything; this only shows it.
(function () {
  const panel = document.getElementById("best-model");
  if (!panel) return;
  const PENDING = ["queued", "running"];
  const button = panel.querySelector("[data-model-prepare]");
  const files = panel.querySelector("[data-model-files]");
  const status = panel.querySelector("[data-model-status]");
  const error = panel.querySelector("[data-model-error]");
  let polling = false;

  function describe(exp) {
    if (!exp) return "A worker refits the best trial on the whole dataset; then you can download it.";
    if (exp.state === "queued") return `Preparing: trial #${exp.trial} waits for a worker…`;
    if (exp.state === "running") return `Preparing: a worker is refitting trial #${exp.trial} on the whole dataset…`;
    if (exp.state === "failed") return `Trial #${exp.trial} could not be refitted.`;
    const what = exp.members ? `The average of trials ${exp.members.map((n) => `#${n}`).join(", ")}`
                             : `Trial #${exp.trial}`;
    return `${what}, refitted on the whole dataset.` + (exp.is_best ? "" : " The best trial has changed since.");
  }

  function show(exp) {
    const pending = Boolean(exp) && PENDING.includes(exp.state);
    const ready = Boolean(exp) && exp.state === "ready";
    button.hidden = pending || (ready && exp.is_best);
    button.textContent = !exp ? "Prepare the best model" : exp.state === "failed" ? "Try again" : "Prepare the new best model";
    files.hidden = !ready;
    status.textContent = describe(exp);
    error.hidden = !exp || exp.state !== "failed";
    error.textContent = error.hidden ? "" : exp.error;
    if (pending) watch();
  }

  function watch() {
    if (polling) return;
    polling = true;
    window.tunerPoll(async () => {
      const answer = await window.tunerApi("GET", panel.dataset.url);
      if (!answer.ok) return answer.status >= 500;  // a 404 means nothing to wait for; a 503 may pass
      polling = PENDING.includes(answer.data.state);
      show(answer.data);
      return polling;
    }, { visibleMs: 2000, hiddenMs: 15000 });
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    const answer = await window.tunerApi("POST", panel.dataset.url);
    button.disabled = false;
    if (answer.ok) { show(answer.data); return; }
    error.hidden = false;
    error.textContent = (answer.data && answer.data.detail) || `could not prepare the model (HTTP ${answer.status})`;
  });

  // The latest export, as the API shows it (404 when none was prepared yet).
  window.tunerAfterOpening(() => window.tunerApi("GET", panel.dataset.url))  // after the charts (poll.js)
    .then((answer) => show(answer.ok ? answer.data : null));
})();
