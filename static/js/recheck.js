// Study page (every visitor, share links too): is the winner real? Reads recheck.json beside the
// page, polls while a re-check is under way, and draws each re-checked trial's mean with its 95%
// interval, the most reliable trial (also beside the best value) and the sentence. Owners and editors may start one (the form
// posts to the API). The server decides everything; this only shows it.
(function () {
  const card = document.getElementById("recheck");
  if (!card) return;
  const PENDING = ["queued", "running"];
  const status = card.querySelector("[data-recheck-status]");
  const error = card.querySelector("[data-recheck-error]");
  const best = card.querySelector("[data-recheck-best]");
  const sentence = card.querySelector("[data-recheck-sentence]");
  const form = card.querySelector("[data-recheck-form]");
  // Beside the study's best value: the most reliable trial, once a re-check found it.
  const robust = document.querySelector("[data-robust-best]");
  let polling = false;

  function show(body) {
    if (!form) card.hidden = body.state === "none";  // a reader sees a re-check once there is one
    status.textContent = body.status;
    status.hidden = !body.status;
    error.hidden = !body.error;
    error.textContent = body.error || "";
    best.hidden = !body.most_reliable;
    best.querySelector("strong").textContent = body.most_reliable;
    sentence.hidden = !body.sentence;
    sentence.textContent = body.sentence;
    if (form) form.querySelector("button").disabled = PENDING.includes(body.state);
    if (robust) {
      robust.hidden = body.robust_best === null;
      const link = robust.querySelector("a");
      link.href = `trials/${body.robust_best}/`;
      link.textContent = `#${body.robust_best}`;
    }
    if (body.figure) window.tunerCharts.draw("recheck", body.figure, { height: 280 });
    card.dataset.state = body.state;
  }

  async function load() {
    const answer = await window.tunerApi("GET", card.dataset.url);
    if (!answer.ok) return answer.status >= 500;
    show(answer.data);
    return PENDING.includes(answer.data.state);
  }

  function watch() {
    if (polling) return;
    polling = true;
    window.tunerPoll(async () => (polling = await load()), { visibleMs: 3000, hiddenMs: 30000 });
  }

  function fault(data, status_) {
    if (!data) return `could not start (HTTP ${status_})`;
    if (data.detail) return data.detail;
    return Object.entries(data).map(([field, messages]) => `${field.replace("_", " ")}: ${[].concat(messages)[0]}`)
      .join("; ");
  }

  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      const body = { top_k: Number(form.top_k.value), repeats: Number(form.repeats.value) };
      const answer = await window.tunerApi("POST", card.dataset.api, body);
      button.disabled = false;
      error.hidden = answer.ok;
      error.textContent = answer.ok ? "" : fault(answer.data, answer.status);
      if (answer.ok) { await load(); watch(); }
    });
  }

  window.tunerAfterOpening(load).then((pending) => { if (pending) watch(); });  // after the charts (poll.js)
})();
