// Study page (every visitor): the result as workers add to it. While trials run or the baseline or
// the ensemble is being computed, asks the live poll for the result every few seconds and keeps the
// leaderboard, the baseline beside the best value and the summary current; announces each answer
// as a "tuner:results" event (study.js redraws the history's baseline line). Text only, never HTML.
(function () {
  const block = document.getElementById("page-data");
  if (!block) return;
  const page = JSON.parse(block.textContent);
  if (!page.results) return;
  const panel = document.getElementById("leaderboard");
  const baselineLine = document.querySelector("[data-baseline]");
  // Past any revision: the poll then sends no trials, only the header, the summary and the result.
  const NO_TRIALS = Number.MAX_SAFE_INTEGER;

  function cell(content, className) {
    const td = document.createElement("td");
    if (className) td.className = className;
    if (content instanceof Node) td.append(content); else td.textContent = content;
    return td;
  }

  function strong(text) {
    const el = document.createElement("strong");
    el.textContent = text;
    return el;
  }

  function labelled(label, note) {
    const span = document.createElement("span");
    const small = document.createElement("span");
    small.className = "muted";
    small.textContent = note;
    span.append(label, document.createElement("br"), small);
    return span;
  }

  function familyRow(row) {
    const tr = document.createElement("tr");
    const link = document.createElement("a");
    link.href = `trials/${row.trial}/`;
    link.textContent = `#${row.trial}`;
    const name = cell(row.label);
    name.title = row.estimator;
    tr.append(cell(String(row.rank), "num"), name, cell(strong(row.score), "num"), cell(row.spread, "num"),
              cell(row.fit_time, "num"), cell(link), cell(String(row.n_trials), "num"));
    return tr;
  }

  function extraRow(key, label, note, score, spread, fitTime) {
    const tr = document.createElement("tr");
    tr.dataset.row = key;
    tr.append(cell(""), cell(labelled(label, note)), cell(score, "num"), cell(spread, "num"), cell(fitTime, "num"),
              cell(""), cell(""));
    return tr;
  }

  function showLeaderboard(board) {
    const rows = board.families.map(familyRow);
    if (!rows.length) {
      const tr = document.createElement("tr");
      const td = cell("No trial has finished yet.", "muted");
      td.colSpan = 7;
      tr.append(td);
      rows.push(tr);
    }
    panel.querySelector("[data-leaderboard-rows]").replaceChildren(...rows);
    const extra = [];
    const e = board.ensemble;
    if (e) {
      const tr = extraRow("ensemble", e.label, e.verdict, strong(e.score), e.spread, e.fit_time);
      if (e.beats) tr.className = "wins";
      extra.push(tr);
    }
    const b = board.baseline;
    if (b) extra.push(extraRow("baseline", "A guess that ignores every column", b.guess, b.score, b.spread, ""));
    panel.querySelector("[data-leaderboard-extra]").replaceChildren(...extra);
    const note = panel.querySelector("[data-leaderboard-note]");
    note.hidden = !board.note;
    note.textContent = board.note;
  }

  function show(results) {
    if (baselineLine) {
      baselineLine.hidden = !results.baseline;
      baselineLine.textContent = results.baseline ? results.baseline.sentence : "";
    }
    if (panel && results.leaderboard) showLeaderboard(results.leaderboard);
    document.dispatchEvent(new CustomEvent("tuner:results", { detail: results }));
  }

  async function poll() {
    const answer = await window.tunerApi("GET", `live.json?since=${NO_TRIALS}&summary=1`);
    if (!answer.ok) throw new Error(`live: HTTP ${answer.status}`);
    show(answer.data.results);
    window.tunerShowSummary(document.querySelector("[data-summary]"), answer.data.summary);
    return answer.data.results.pending;
  }

  if (page.results.pending) window.tunerAfterOpening(() => window.tunerPoll(poll, { visibleMs: 2000, hiddenMs: 10000 }));
})();
