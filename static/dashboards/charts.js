// Draws each dashboard chart from the JSON the server put beside its canvas.
// The data table next to each chart holds the same figures (and says which are
// suppressed); a suppressed figure is a gap in the chart, never a number.
(function () {
  "use strict";
  var palette = ["#1f4e5f", "#b5541c", "#2f7d32", "#6a3d9a", "#8a6d00", "#0b6ea8", "#a12a5e", "#4d4d4d"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    if (!spec || !spec.labels || spec.labels.length === 0) {
      canvas.closest("figure").hidden = true;
      return;
    }
    var datasets = spec.datasets.map(function (set, i) {
      var colour = palette[i % palette.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        spanGaps: false,
        tension: 0.2
      };
    });
    var percent = spec.percent === true;
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, max: percent ? 100 : undefined, ticks: { precision: 0 } } },
        plugins: { legend: { display: datasets.length > 1 } }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  var opener = document.getElementById("open-teacher");
  if (opener) {
    opener.addEventListener("submit", function (event) {
      var choice = document.getElementById("teacher-report").value;
      event.preventDefault();
      if (choice) { window.location.assign(choice); }
    });
  }
})();
