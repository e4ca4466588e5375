// The reflection form shows the prompts of the chosen cycle's type (a
// journal's when no cycle is chosen: the block's "" key). The prompts come
// from the page's json_script block, so no inline script is needed (CSP).
(function () {
  "use strict";
  var data = document.getElementById("cycle-prompts");
  var select = document.getElementById("id_cycle");
  var list = document.getElementById("prompts");
  if (!data || !select || !list) return;
  var prompts = JSON.parse(data.textContent);
  select.addEventListener("change", function () {
    var chosen = prompts[select.value] || prompts[""];
    list.textContent = "";
    chosen.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
  });
})();
