// The board pages' "closed" banner: shown the moment the workshop.close op (or a snapshot
// that says so) arrives, hidden again on workshop.reopen. `root` is #board-app.


export function renderClosed(root, state) {
  const banner = root.querySelector("[data-closed-banner]");
  if (!banner || !state || !("closed_at" in state)) return;
  const closed = Boolean(state.closed_at);
  banner.hidden = !closed;
  root.classList.toggle("is-closed", closed);
}

/** For the sectioned boards' BoardSync (sync.js): follows its "change" events. */
export function mountLifecycle(root, sync) {
  sync.addEventListener("change", () => renderClosed(root, sync.state));
}
