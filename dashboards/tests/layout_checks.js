// Run in a dashboard page by dashboards/tests/test_browser.py: what a person
// would see cut off or drawn over. Returns {cut, overlaps, width}:
// - cut: a filter whose chosen option's words do not fit its select (text
//   width, measured in the select's font, against its inner width);
// - overlaps: two neighbouring category labels of a chart drawn over each
//   other (their sizes in Chart.js's tick font against the distance between
//   their ticks), x labels rotated, or a lying label wider than its axis.
() => {
  const ctx = document.createElement("canvas").getContext("2d");
  const textWidth = (text, font) => { ctx.font = font; return ctx.measureText(text).width; };
  const cut = [];
  document.querySelectorAll("#dashboard-filters select").forEach((select) => {
    const style = getComputedStyle(select);
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const text = select.options[select.selectedIndex].text;
    const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    if (textWidth(text, font) > room + 0.5) { cut.push(`${select.id}: ${text}`); }
  });
  document.querySelectorAll("#dashboard-filters label").forEach((label) => {
    if (label.scrollWidth > label.clientWidth || label.getClientRects().length > 1 && label.offsetHeight > 30) {
      cut.push(`label ${label.textContent}`);
    }
  });
  const overlaps = [];
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const chart = Chart.getChart(canvas);
    if (!chart) { return; }
    const lying = chart.options.indexAxis === "y";
    const scale = lying ? chart.scales.y : chart.scales.x;
    const font = Chart.helpers.toFont(scale.options.ticks.font);
    const boxes = scale.ticks.map((tick) => {
      const lines = [].concat(tick.label);
      const width = Math.max(...lines.map((line) => textWidth(String(line), font.string)));
      return { at: scale.getPixelForValue(tick.value), width, height: lines.length * font.lineHeight, text: lines.join(" ") };
    });
    const name = canvas.dataset.chart;
    if (!lying && scale.labelRotation > 0) { overlaps.push(`${name}: x labels rotated ${scale.labelRotation.toFixed(0)} degrees`); }
    for (let i = 1; i < boxes.length; i++) {
      const gap = Math.abs(boxes[i].at - boxes[i - 1].at);
      const need = lying ? (boxes[i].height + boxes[i - 1].height) / 2 : (boxes[i].width + boxes[i - 1].width) / 2;
      if (need > gap + 0.5) { overlaps.push(`${name}: "${boxes[i - 1].text}" and "${boxes[i].text}" need ${need.toFixed(0)}px, have ${gap.toFixed(0)}px`); }
    }
    if (lying) {
      boxes.forEach((box) => { if (box.width > scale.width + 0.5) { overlaps.push(`${name}: "${box.text}" is wider (${box.width.toFixed(0)}px) than its axis (${scale.width.toFixed(0)}px)`); } });
    }
  });
  return { cut, overlaps, width: document.documentElement.scrollWidth };
}
