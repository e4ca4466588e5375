// "Go back" links (data-jel-back): back in the browser's history when there is
// one, else their href. A listener, not a javascript: URL, which the
// Content-Security-Policy refuses.
(function () {
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-jel-back]");
    if (!link || window.history.length < 2) return;
    event.preventDefault();
    window.history.back();
  });
})();
