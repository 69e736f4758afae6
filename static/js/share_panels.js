// Study and trial pages: the sharing panels (people, read-only links, notes). Each panel is
// optional; a form exists only when the user's role allows it, and the server checks again.
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
      if (answer.ok) window.location.reload(); else error.textContent = failure(answer);
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
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const days = form.expires.value;
      const expires = days ? new Date(Date.now() + Number(days) * 86400000).toISOString() : null;
      const answer = await api("POST", links.dataset.linksUrl, { expires_at: expires });
      if (!answer.ok) { error.textContent = failure(answer); return; }
      links.querySelector("[data-new-link]").hidden = false;
      const input = links.querySelector("[data-new-link-url]");
      input.value = answer.data.url;
      input.select();
    });
    links.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-revoke-link]");
      if (!button) return;
      const answer = await api("DELETE", links.dataset.linkUrl.replace(/0\/$/, `${button.dataset.revokeLink}/`));
      if (answer.ok) window.location.reload(); else error.textContent = failure(answer);
    });
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
