// The cycle form's staff lists with a team chosen: everyone else waits in a
// closed "Show everyone else". A name typed in the list's filter box may be
// there, so typing opens it (and clearing the box closes it again, unless
// someone in it is ticked).
(function () {
  document.addEventListener("input", function (event) {
    var box = event.target.closest(".people-filter");
    if (!box) return;
    var list = box.closest(".cycle-checks");
    var others = list && list.querySelector("details.people-others");
    if (!others) return;
    var typed = event.target.value.trim() !== "";
    others.open = typed || others.querySelector("input:checked") !== null;
  });
})();
