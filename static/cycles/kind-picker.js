// The planner's "Type of cycle" pills: once htmx has swapped in the chosen
// type's form, the chosen pill is the active one (and the current page for
// screen readers). A listener here, not an inline handler: the
// Content-Security-Policy allows no inline script.
(function () {
  document.addEventListener("htmx:afterRequest", function (event) {
    var chosen = event.detail && event.detail.elt;
    if (!chosen || !chosen.closest || !chosen.closest("#kind-picker")) return;
    document.querySelectorAll("#kind-picker .nav-link").forEach(function (link) {
      var current = link === chosen;
      link.classList.toggle("active", current);
      if (current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
  });
})();
