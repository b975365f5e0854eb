// The board page's entry: reads who and where from #board-app, starts the sync,
// and mounts the view for the board's kind.

import { mountEmpathyBoard } from "./empathy-board.js";
import { BoardSync } from "./sync.js";

const root = document.getElementById("board-app");
const data = root.dataset;
const me = { id: Number(data.participantId), name: data.participantName || "", role: data.participantRole };
const readOnly = data.participantRole === "observer";

const sync = new BoardSync({ boardId: Number(data.boardId), me });
// Every sectioned board (both empathy maps, and any kind without a view of its
// own yet) is drawn as sections around the persona.
const board = mountEmpathyBoard(root, sync, { me, readOnly });
sync.start();

for (const button of root.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed";
    }
    setTimeout(() => (button.textContent = "Copy link"), 2000);
  });
}

// A handle for the console and the browser tests.
window.__resonance = { sync, board };
