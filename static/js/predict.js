// Study page, predict panel (members who may use the model; never share links): uploads a CSV
// to the API, which checks it at once (a bad file is refused with the fault named) and queues
// it; then follows the worker's progress and offers the download. The server decides everything.
(function () {
  const panel = document.getElementById("predict");
  if (!panel) return;
  const PENDING = ["queued", "running"];
  const form = panel.querySelector("#predict-form");
  const input = panel.querySelector("#predict-file");
  const button = form.querySelector("button[type=submit]");
  const progress = panel.querySelector("[data-predict-progress]");
  const status = panel.querySelector("[data-predict-status]");
  const error = panel.querySelector("[data-predict-error]");
  const download = panel.querySelector("[data-predict-download]");
  const link = download.querySelector("a");
  let stopPolling = null;

  function fault(message) {
    error.hidden = !message;
    error.textContent = message || "";
  }

  function describe(p) {
    if (p.state === "queued") return `${p.name}: waiting for a worker…`;
    if (p.state === "running") return `${p.name}: predicting, ${p.rows.toLocaleString()} of ${p.n_rows.toLocaleString()} rows done…`;
    if (p.state === "failed") return `${p.name}: the predictions could not be made.`;
    const done = `${p.name}: ${p.rows.toLocaleString()} rows predicted with the best model (trial #${p.trial}).`;
    // Regressors never have chances; a classifier without them is worth a word, as the panel promises them.
    return p.probabilities || !panel.dataset.classifier ? done
      : `${done} This kind of model gives only the answer, not how sure it is, so the file has no probability columns.`;
  }

  function show(p) {
    const pending = PENDING.includes(p.state);
    status.textContent = describe(p);
    progress.hidden = !pending;
    if (p.state === "running" && p.n_rows) progress.value = Math.round((100 * p.rows) / p.n_rows);
    else progress.removeAttribute("value");  // an indeterminate bar while it waits
    fault(p.state === "failed" ? p.error : "");
    download.hidden = p.state !== "ready";
    if (p.state === "ready") link.href = p.url;
    button.disabled = pending;
    panel.dataset.state = p.state;
  }

  function follow(p) {
    show(p);
    if (stopPolling) stopPolling();
    const url = panel.dataset.follow.replace(/0\/$/, `${p.id}/`);
    stopPolling = window.tunerPoll(async () => {
      const answer = await window.tunerApi("GET", url);
      if (!answer.ok) return answer.status >= 500;
      show(answer.data);
      return PENDING.includes(answer.data.state);
    }, { visibleMs: 1000, hiddenMs: 10000 });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    download.hidden = true;
    if (!input.files.length) { fault("Choose a CSV file first."); return; }
    const body = new FormData();
    body.append("file", input.files[0]);
    fault("");
    button.disabled = true;
    status.textContent = "Uploading and checking the file…";
    const answer = await window.tunerApi("POST", panel.dataset.url, body);
    if (answer.ok) { follow(answer.data); return; }
    button.disabled = false;
    status.textContent = "";
    const data = answer.data || {};
    fault(answer.status === 413 ? (data.detail || "The file is too large.")
      : (data.file || data.detail ? [].concat(data.file || data.detail).join(" ") : `could not upload (HTTP ${answer.status})`));
  });
})();
