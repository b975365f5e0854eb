// The board shell every board kind plugs into (docs/board-page.md): the sync
// (static/js/sync.js: persistent outbox, presence, typing, connection status), the
// header's connection status and "Retry now", who is here, the banner when the
// board can no longer be reached, and the facilitation bar (static/js/facilitation.js).
// A board kind only draws its canvas: `mount(root, sync, {me, readOnly})`.

import { h, hue, initials, plural } from "./dom.js";
import { mountFacilitation } from "./facilitation.js";

const STATUS_TEXT = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", offline: "Offline", closed: "Disconnected" };

export function mountShell(root, sync, { me }) {
  const ui = {
    status: root.querySelector("[data-connection]") || h("p"),
    retry: root.querySelector("[data-retry]") || h("button"),
    presence: root.querySelector("[data-presence]") || h("div"),
    banner: h("div", { class: "board-banner", role: "alert", hidden: true }),
    bar: root.querySelector("[data-facilitation]"),
  };
  root.querySelector(".board-loading")?.before(ui.banner);
  if (!ui.banner.isConnected) root.prepend(ui.banner);
  let presence = [];
  let presenceAnonymous = false;
  let facilitation = null;

  function renderStatus() {
    const waiting = sync.waiting;
    const status = sync.status;
    // Live over the event stream where WebSockets are blocked (event-stream.js).
    let text = status === "live" && sync.transport === "event-stream" ? "Live (fallback)" : STATUS_TEXT[status];
    if (waiting && status !== "live") text += ` · ${plural(waiting, "change")} waiting`;
    else if (waiting) text += " · saving…";
    ui.status.dataset.status = status;
    ui.status.dataset.waiting = String(waiting);
    ui.status.textContent = text;
    ui.status.title =
      status === "live" ? "Connected: changes reach everyone at once." : "Your changes are kept on this device and sent when the connection is back.";
    ui.retry.hidden = !(status === "offline" || status === "reconnecting") || !!sync.fatal;
    if (sync.fatal) {
      ui.banner.hidden = false;
      ui.banner.replaceChildren(h("span", { text: sync.fatal.message }), " ", h("a", { href: "", text: "Reload" }));
    }
  }

  function renderPresence(everyone = presence) {
    presence = everyone;
    presenceAnonymous = !!sync.state?.facilitation?.anonymous;
    // Anonymous mode: the server sends only our own entry and how many are here;
    // a list from before anonymous mode was turned on must not show names either.
    const total = Math.max(sync.presenceCount || 0, everyone.length);
    const people = presenceAnonymous ? everyone.filter((p) => p.id === me?.id) : everyone;
    const others = Math.max(0, total - people.length);
    const more = others
      ? h(
          "li",
          { class: "avatar avatar--more", title: `${plural(others, "other person")} (anonymous)`.replace("persons", "people") },
          h("span", { "aria-hidden": "true", text: `+${others}` }),
          h("span", { class: "visually-hidden", text: `and ${plural(others, "other")}` }),
        )
      : null;
    ui.presence.replaceChildren(
      ...people.map((p) =>
        h(
          "li",
          { class: `avatar${p.id === me?.id ? " is-me" : ""}`, title: `${p.name}${p.id === me?.id ? " (you)" : ""} · ${p.role}`, "--avatar-hue": String(hue(p.id)) },
          h("span", { "aria-hidden": "true", text: initials(p.name) }),
          h("span", { class: "visually-hidden", text: `${p.name}${p.id === me?.id ? " (you)" : ""}` }),
        ),
      ),
      ...(more ? [more] : []),
    );
    const count = people.length + others;
    ui.presence.setAttribute("aria-label", `${plural(count, "person")} here`.replace("persons", "people"));
    ui.presence.dataset.count = String(count);
  }

  function serverNow() {
    // The server's clock now, from the latest frame that carried it.
    return sync.serverNow ? sync.serverNow.server + (Date.now() - sync.serverNow.local) : undefined;
  }

  // The bar reads the server's state: facilitation ops are never shown before they apply.
  function renderFacilitation() {
    const state = sync.state;
    if (!state?.facilitation || !ui.bar) return;
    const participant = { id: me.id, role: sync.me.role };
    if (!facilitation) {
      facilitation = mountFacilitation(ui.bar, {
        state,
        participant,
        sendOp: (kind, data) => sync.submit(kind, data),
        joinCode: root.dataset.joinCode,
        joinUrl: root.dataset.joinUrl,
        serverNow: serverNow(),
      });
    } else {
      facilitation.setParticipant(participant);
      facilitation.update(state);
    }
  }

  ui.retry.addEventListener("click", () => sync.connect());
  sync.addEventListener("status", renderStatus);
  sync.addEventListener("presence", (event) => renderPresence(event.detail));
  sync.addEventListener("change", () => {
    renderStatus();
    if (!!sync.state?.facilitation?.anonymous !== presenceAnonymous) renderPresence();
    renderFacilitation();
  });
  sync.addEventListener("clock", (event) => facilitation?.setServerNow(event.detail));
  renderStatus();

  for (const button of root.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      button.textContent = (await copy(button.dataset.copy)) ? "Copied" : "Select and copy the link";
      setTimeout(() => (button.textContent = "Copy link"), 2000);
    });
  }

  return {
    get facilitation() {
      return facilitation;
    },
  };
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No async clipboard on plain http over the LAN: the old way still works there.
    const field = Object.assign(document.createElement("textarea"), { value: text });
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.append(field);
    field.select();
    const done = document.execCommand("copy");
    field.remove();
    return done;
  }
}
