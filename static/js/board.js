// The board page's entry: reads who and where from #board-app, starts the sync,
// and mounts the view for the board's kind.

import { mountEmpathyBoard } from "./empathy-board.js";
import { mountFacilitation } from "./facilitation.js";
import { mountLifecycle } from "./lifecycle.js";
import { BoardSync } from "./sync.js";

const root = document.getElementById("board-app");
const data = root.dataset;
const me = { id: Number(data.participantId), name: data.participantName || "", role: data.participantRole };
const readOnly = data.participantRole === "observer";

const sync = new BoardSync({ boardId: Number(data.boardId), me });
// Every sectioned board (both empathy maps, and any kind without a view of its
// own yet) is drawn as sections around the persona.
const board = mountEmpathyBoard(root, sync, { me, readOnly });

// The facilitation bar: phase and timer for everyone, the controls for facilitators.
// It reads the server's state (facilitation ops are never shown before they apply).
let facilitation = null;
function serverNow() {
  // The server's clock now, from the latest frame that carried it.
  return sync.serverNow ? sync.serverNow.server + (Date.now() - sync.serverNow.local) : undefined;
}
function renderFacilitation() {
  const state = sync.state;
  if (!state?.facilitation) return;
  const participant = { id: me.id, role: sync.me.role };
  if (!facilitation) {
    facilitation = mountFacilitation(root.querySelector("[data-facilitation]"), {
      state,
      participant,
      sendOp: (kind, data) => sync.submit(kind, data),
      joinCode: data.joinCode,
      joinUrl: data.joinUrl,
      serverNow: serverNow(),
    });
  } else {
    facilitation.setParticipant(participant);
    facilitation.update(state);
  }
}
sync.addEventListener("change", renderFacilitation);
sync.addEventListener("clock", (event) => facilitation?.setServerNow(event.detail));
mountLifecycle(root, sync);
sync.start();

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

for (const button of root.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    button.textContent = (await copy(button.dataset.copy)) ? "Copied" : "Select and copy the link";
    setTimeout(() => (button.textContent = "Copy link"), 2000);
  });
}

// A handle for the console and the browser tests.
window.__resonance = { sync, board, get facilitation() {
  return facilitation;
} };
