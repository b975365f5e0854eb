// The board page's lifecycle banner: shows "closed" the moment the workshop.close op arrives.

import "./lifecycle-state.js";

export function mountLifecycle(root, sync) {
  const banner = root.querySelector("[data-closed-banner]");
  if (!banner) return;
  const render = () => {
    if (!sync.state || !("closed_at" in sync.state)) return;
    const closed = Boolean(sync.state.closed_at);
    banner.hidden = !closed;
    root.classList.toggle("is-closed", closed);
  };
  sync.addEventListener("change", render);
}
