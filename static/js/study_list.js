// Studies page: while any listed study runs, refresh its state, progress and best value.
(function () {
  const table = document.getElementById("studies");
  if (!table) return;
  const fmt = window.tunerFormat;
  const active = ["created", "running", "paused"];
  const rows = () => [...table.querySelectorAll("tr[data-study]")].filter((tr) => active.includes(tr.dataset.state));
  if (!rows().length) return;

  function show(study) {
    const tr = table.querySelector(`tr[data-study="${study.id}"]`);
    if (!tr) return;
    tr.dataset.state = study.state;
    window.tunerBadge(tr.querySelector('[data-field="state"]'), study.state);
    tr.querySelector('[data-field="bar"]').value = study.progress.percent || 0;
    const p = study.progress;
    let text = `${p.done}${study.n_trials ? ` / ${study.n_trials}` : ""} trials`;
    if (p.elapsed_s) text += ` · ${fmt.duration(p.elapsed_s)}`;
    if (p.eta_s) text += ` · ~${fmt.duration(p.eta_s)} left`;
    if (p.waiting_for_code) text += " · waiting for its code";
    tr.querySelector('[data-field="progress"]').textContent = text;
    tr.querySelector('[data-field="best"]').textContent = fmt.value(study.best_value);
  }

  window.tunerPoll(async () => {
    const ids = rows().map((tr) => tr.dataset.study);
    if (!ids.length) return false;
    const answer = await window.tunerApi("GET", `${table.dataset.liveUrl}?ids=${ids.join(",")}`);
    if (!answer.ok) throw new Error(`studies: HTTP ${answer.status}`);
    answer.data.studies.forEach(show);
    return rows().some((tr) => tr.dataset.state !== "created");
  }, { visibleMs: 2000, hiddenMs: 15000 });
})();
