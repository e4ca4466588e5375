// The cycle form's "Does it fit?" check offers layouts that fit; its buttons
// (data-fit-apply, a JSON object of field name -> value) fill the form with
// one. The change they make is announced as any change is, so the check runs
// again and says whether the new layout fits.
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-fit-apply]");
    if (!button || !button.form) return;
    const form = button.form;
    const fields = JSON.parse(button.dataset.fitApply);
    let changed = null;
    for (const [name, value] of Object.entries(fields)) {
      const inputs = form.querySelectorAll(`[name="${name}"]`);
      if (Array.isArray(value)) {
        const wanted = new Set(value.map(String));
        for (const box of inputs) box.checked = wanted.has(box.value);
      } else {
        for (const input of inputs) input.value = value;
      }
      changed = changed || inputs[0];
    }
    if (!changed) return;
    changed.dispatchEvent(new Event("change", { bubbles: true }));
    changed.focus();
  });
})();
