// Study page, "Tune again on new data": uploads the CSV (POST /api/datasets/), then asks for a new
// study of the same model and settings on it (POST /api/studies/{id}/retune/) and opens it. The
// server checks everything; this shows its words beside the form.
(function () {
  const card = document.getElementById("retune");
  if (!card) return;
  const form = document.getElementById("retune-form");
  const file = document.getElementById("retune-file");
  const error = document.getElementById("retune-error");
  const status = document.getElementById("retune-status");
  const button = form.querySelector("button[type=submit]");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!file.files.length) { error.textContent = "Choose the CSV with the new data first."; return; }
    button.disabled = true;
    status.textContent = "Uploading…";
    const body = new FormData();
    body.append("file", file.files[0]);
    const uploaded = await window.tunerApi("POST", card.dataset.datasets, body);
    const made = uploaded.ok ? await window.tunerApi("POST", card.dataset.retune, { dataset: uploaded.data.reference }) : uploaded;
    if (made.ok) {
      status.textContent = "Opening the new study…";
      window.location.assign(card.dataset.studyUrl.replace("/0/", `/${made.data.id}/`));
      return;
    }
    button.disabled = false;
    status.textContent = "";
    error.textContent = window.tunerErrorText(made);
  });
})();
