// Draws each dashboard chart from the JSON the server put beside its canvas.
// The data table next to each chart holds the same figures (and says which are
// suppressed); a suppressed figure is a gap in the chart, never a number.
(function () {
  "use strict";
  var palette = ["#1f4e5f", "#b5541c", "#2f7d32", "#6a3d9a", "#8a6d00", "#0b6ea8", "#a12a5e", "#4d4d4d"];

  // Labels are look-fors and cycle types: sentences, not short codes. A bar
  // chart of them lies on its side, so each label has a line of its own; a
  // label too long for its place is wrapped onto two lines and shortened with
  // an ellipsis. The full label is in the tooltip and in the table beside it.
  var LONG_LABEL = 14;
  var LINE_HEIGHT = 15; // px: Chart.js's 12px tick font at its 1.2 line height
  var CHAR_WIDTH = 6.5; // px: a generous average for that font

  function shortened(text, maxChars, maxLines) {
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > maxChars) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    var cut = lines.length > maxLines;
    lines = lines.slice(0, maxLines).map(function (part) {
      return part.length > maxChars ? part.slice(0, maxChars - 1) + "\u2026" : part;
    });
    if (cut) {
      var last = lines[maxLines - 1];
      lines[maxLines - 1] = last.slice(0, maxChars - 1) + "\u2026";
    }
    return lines.length === 1 ? lines[0] : lines;
  }

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
    var labels = spec.labels.map(String);
    var width = canvas.parentNode.clientWidth || 300;
    var lying = spec.type === "bar" && labels.some(function (l) { return l.length > LONG_LABEL; });
    var box = canvas.parentNode;
    // Lying bars: a third of the width at most for the labels, two lines each.
    var labelChars = Math.max(10, Math.floor((width * 0.38) / CHAR_WIDTH));
    if (lying) {
      var perLabel = Math.max(2 * LINE_HEIGHT + 8, datasets.length * 12 + 14);
      box.style.height = Math.max(200, labels.length * perLabel + 70) + "px";
    } else if (datasets.length > 1 && width < 576) {
      // On a phone the legend takes a line a series: room for them and the lines.
      box.style.height = 220 + datasets.length * 22 + "px";
    }
    var values = {
      beginAtZero: true,
      max: percent ? 100 : undefined,
      ticks: {
        precision: 0,
        callback: percent ? function (value) { return value + "%"; } : undefined
      }
    };
    var categories = {
      ticks: {
        autoSkip: !lying,
        autoSkipPadding: 12,
        maxRotation: 0,
        callback: function (value) {
          var text = labels[value];
          if (text === undefined) { return value; }
          return lying ? shortened(text, labelChars, 2) : text;
        }
      }
    };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: lying ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: 8, right: 8 } },
        scales: lying ? { x: values, y: categories } : { x: categories, y: values },
        plugins: {
          legend: {
            display: datasets.length > 1,
            position: "bottom",
            labels: {
              boxWidth: 14,
              generateLabels: function (chart) {
                var items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
                var chars = Math.max(16, Math.floor((width - 40) / CHAR_WIDTH));
                items.forEach(function (item) {
                  var text = String(item.text);
                  item.text = text.length > chars ? text.slice(0, chars - 1) + "\u2026" : text;
                });
                return items;
              }
            }
          },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? labels[items[0].dataIndex] : ""; },
              label: function (item) {
                var value = item.parsed[lying ? "x" : "y"];
                return item.dataset.label + ": " + value + (percent ? "%" : "");
              }
            }
          }
        }
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
