// A form with data-confirm="question" asks before it is sent (deleting a
// reflection): an inline onsubmit would need 'unsafe-inline' in the CSP.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
