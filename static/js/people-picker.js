// The cycle form's host and observer lists (a school's whole staff): a filter
// box above each, so a few letters leave a short list to Tab through (names
// already ticked stay), and once a date and period are chosen, "free then" or
// "teaching then" beside each name, from the availability the form fetches.
(function () {
  function addFilter(box) {
    if (box.querySelector(".people-filter")) return;
    var group = box.querySelector("fieldset");
    if (!group) return;
    var checks = group.querySelectorAll(".form-check");
    checks.forEach(function (check) {
      var label = check.querySelector("label");
      if (label) check.dataset.name = label.textContent.trim().toLowerCase();
    });
    var id = "filter-" + box.dataset.people;
    var legend = group.querySelector("legend");
    var wrap = document.createElement("div");
    wrap.className = "people-filter mb-2";
    wrap.innerHTML =
      '<label class="form-label small mb-1" for="' + id + '">Find a name in this list</label>' +
      '<input type="search" class="form-control form-control-sm" id="' + id + '" autocomplete="off">';
    if (legend) legend.after(wrap); else group.prepend(wrap);
    wrap.querySelector("input").addEventListener("input", function (event) {
      var words = event.target.value.trim().toLowerCase();
      checks.forEach(function (check) {
        var ticked = check.querySelector("input:checked");
        var match = !words || (check.dataset.name || "").indexOf(words) !== -1;
        check.hidden = !(match || ticked);
      });
    });
  }

  function ids(text) {
    return new Set((text || "").split(" ").filter(Boolean));
  }

  function markAvailability() {
    var info = document.getElementById("availability");
    if (!info) return;
    var free = ids(info.dataset.free);
    var teaching = ids(info.dataset.teaching);
    document.querySelectorAll(".cycle-checks[data-people] input[type=checkbox]").forEach(function (input) {
      var label = document.querySelector("label[for='" + input.id + "']");
      if (!label) return;
      // Beside the label, not in it: the name stays the checkbox's name, the
      // mark is its description.
      var markId = input.id + "-availability";
      var mark = document.getElementById(markId);
      var words = free.has(input.value) ? "free then" : teaching.has(input.value) ? "teaching then" : "";
      if (!words) {
        if (mark) mark.remove();
        input.removeAttribute("aria-describedby");
        return;
      }
      if (!mark) {
        mark = document.createElement("span");
        mark.id = markId;
        label.after(mark);
        input.setAttribute("aria-describedby", markId);
      }
      mark.className = "availability-mark badge ms-1 " + (words === "free then" ? "text-bg-success" : "text-bg-secondary");
      mark.textContent = words;
    });
  }

  function setUp() {
    document.querySelectorAll(".cycle-checks[data-people]").forEach(addFilter);
    markAvailability();
  }
  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
})();
