// A period list follows its date: when the date changes, each period is
// relabelled with that day's times (a late-start day has its own bell
// schedule) and the note under the list says whose times they are.
// Marked up by scheduling.forms.PeriodChoiceField: data-period-times is the
// address that answers, data-period-date the name of the date field.
(function () {
  "use strict";
  const asked = new WeakMap();

  async function relabel(select, date) {
    const url = new URL(select.dataset.periodTimes, window.location.href);
    url.searchParams.set("date", date);
    const token = {};
    asked.set(select, token);
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      data = await response.json();
    } catch (error) {
      return;
    }
    // A later date's answer wins over an earlier one that arrives late.
    if (asked.get(select) !== token) return;
    for (const option of select.options) {
      const label = data.labels[option.value];
      if (option.value && label) option.textContent = label;
    }
    const help = document.getElementById(select.id + "_helptext");
    if (help && data.note) help.textContent = data.note;
    select.dispatchEvent(new CustomEvent("period-times", { bubbles: true }));
  }

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "date" || !input.form) {
      return;
    }
    for (const select of input.form.querySelectorAll("select[data-period-times]")) {
      if (select.dataset.periodDate === input.name) relabel(select, input.value);
    }
  });
})();
