// Forms that undo nothing ask first: <form data-confirm="Erase …?">.
// A listener here instead of inline `onsubmit`, which the Content-Security-Policy forbids.
document.addEventListener("submit", (event) => {
  const question = event.target.closest?.("form[data-confirm]")?.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
