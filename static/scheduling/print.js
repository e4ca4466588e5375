// Print buttons: a plain button that opens the browser's print dialog.
document.querySelectorAll(".js-print").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
