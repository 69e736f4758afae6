// The Import from Optuna page: send the file to the API, open the new study, or show what is wrong.
(function () {
  const form = document.getElementById("optuna-import");
  if (!form) return;
  const button = document.getElementById("optuna-submit");

  function showErrors(data) {
    form.querySelectorAll("[data-error-for]").forEach((p) => { p.textContent = ""; });
    Object.entries(data || {}).forEach(([field, messages]) => {
      const slot = form.querySelector(`[data-error-for="${field}"]`) || form.querySelector('[data-error-for="detail"]');
      slot.textContent = [].concat(messages).join(" ");
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = document.getElementById("optuna-file").files[0];
    if (!file) { showErrors({ file: "Choose an Optuna file first." }); return; }
    const body = new FormData();
    body.append("file", file);
    body.append("study", document.getElementById("optuna-study").value.trim());
    button.disabled = true;
    button.textContent = "Importing…";
    try {
      const answer = await window.tunerApi("POST", form.dataset.apiUrl, body);
      if (answer.ok) { window.location.href = form.dataset.studyPage.replace("/0/", `/${answer.data.id}/`); return; }
      showErrors(answer.data);
    } catch (err) {
      showErrors({ detail: "The server could not be reached; try again." });
    }
    button.disabled = false;
    button.textContent = "Import";
  });
})();
