// The summary page's small helpers, here rather than in onclick/onfocus
// attributes: the Content-Security-Policy runs no inline script.

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

document.addEventListener("focusin", (event) => {
  const input = event.target.closest("input[data-select-on-focus]");
  if (input) input.select();
});
