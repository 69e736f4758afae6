// Profile page: copy a new token's key, and ask before revoking a token. Without this script
// the page still works: the key can be selected by hand and Revoke posts at once.
(function () {
  const tokens = document.getElementById("api-tokens");
  const dialog = document.getElementById("revoke-dialog");
  let pending = null;

  tokens.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const input = document.getElementById(button.dataset.copy);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (error) {
      document.execCommand("copy");  // the clipboard API exists only on https and localhost
    }
    button.textContent = "Copied";
  });

  tokens.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-revoke]");
    if (!form) return;
    event.preventDefault();
    pending = form;
    dialog.querySelector("[data-revoke-name]").textContent = form.dataset.revoke;
    dialog.returnValue = "";  // Escape closes without setting it: an earlier answer must not count
    dialog.showModal();
  });

  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "revoke" && pending) pending.submit();
    pending = null;
  });
})();
