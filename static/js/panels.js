// Study and trial pages: the people, read-only links and notes panels. Each panel is optional;
// a form exists only when the visitor's role allows it, and the server checks again.
(function () {
  const api = window.tunerApi;

  function failure(answer) {
    const data = answer.data || {};
    const first = Object.values(data)[0];
    return data.detail || (Array.isArray(first) ? first[0] : null) || `HTTP ${answer.status}`;
  }

  const members = document.getElementById("members");
  if (members) {
    const error = members.querySelector("[data-member-error]");
    const form = members.querySelector("[data-member-form]");
    if (form) form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const answer = await api("POST", members.dataset.membersUrl, { username: form.username.value.trim(), role: form.role.value });
      // An invitation shows nowhere until accepted: say what happens instead of reloading.
      error.textContent = answer.ok ? "" : failure(answer);
      members.querySelector("[data-member-status]").textContent = answer.ok ? answer.data.detail : "";
      if (answer.ok) form.reset();
    });
    members.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-remove-member]");
      if (!button) return;
      const answer = await api("DELETE", `${members.dataset.membersUrl}${encodeURIComponent(button.dataset.removeMember)}/`);
      if (answer.ok) window.location.reload(); else error.textContent = failure(answer);
    });
  }

  const links = document.getElementById("share-links");
  if (links) {
    const error = links.querySelector("[data-link-error]");
    const form = links.querySelector("[data-link-form]");
    const rows = links.querySelector("[data-link-rows]");
    const when = (iso, otherwise) => (iso ? iso.slice(0, 16).replace("T", " ") : otherwise);

    function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }
    // The list comes from the API, and again after every change, so it is never stale.
    async function listLinks() {
      const answer = await api("GET", links.dataset.linksUrl);
      if (!answer.ok) { error.textContent = failure(answer); return; }
      if (!answer.data.length) {
        const td = cell("No links yet."); td.colSpan = 7; td.className = "muted";
        const tr = document.createElement("tr"); tr.append(td);
        rows.replaceChildren(tr);
        return;
      }
      rows.replaceChildren(...answer.data.map((link) => {
        const tr = document.createElement("tr");
        const state = link.revoked_at ? "revoked" : link.active ? "active" : "expired";
        const action = document.createElement("td");
        if (link.active) {
          const revoke = document.createElement("button");
          revoke.type = "button"; revoke.className = "button small danger"; revoke.textContent = "Revoke";
          revoke.dataset.revokeLink = link.id;
          action.append(revoke);
        }
        tr.append(cell(link.created_by || "—"), cell(when(link.created_at, "—")), cell(when(link.expires_at, "never")),
                  cell(when(link.last_opened_at, "never")), cell(link.show_files ? "shown" : "hidden"), cell(state), action);
        return tr;
      }));
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const days = form.expires.value;
      const expires = days ? new Date(Date.now() + Number(days) * 86400000).toISOString() : null;
      const answer = await api("POST", links.dataset.linksUrl, { expires_at: expires, show_files: form.show_files.checked });
      if (!answer.ok) { error.textContent = failure(answer); return; }
      error.textContent = "";
      links.querySelector("[data-new-link]").hidden = false;
      const input = links.querySelector("[data-new-link-url]");
      input.value = answer.data.url;
      input.select();
      listLinks();
    });
    links.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-revoke-link]");
      if (!button) return;
      const answer = await api("DELETE", links.dataset.linkUrl.replace(/0\/$/, `${button.dataset.revokeLink}/`));
      if (answer.ok) listLinks(); else error.textContent = failure(answer);
    });
    window.tunerAfterOpening(listLinks);  // once the study page's charts are drawn (poll.js)
  }

  const notes = document.getElementById("notes");
  const noteForm = notes && notes.querySelector("[data-note-form]");
  if (noteForm) noteForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = notes.querySelector("[data-note-status]");
    const trial = notes.dataset.trial === undefined ? null : Number(notes.dataset.trial);
    const answer = await api("PUT", notes.dataset.notesUrl, { trial, text: noteForm.text.value });
    if (answer.ok) window.location.reload(); else status.textContent = failure(answer);
  });
})();
