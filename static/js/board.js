// The board page's entry: reads who and where from #board-app, starts the sync,
// mounts the shared shell (status, presence, facilitation bar, the closed banner)
// and the canvas of the board's kind. A new board kind adds one line to KINDS
// (docs/board-page.md).

import { mountPrioritisationBoard } from "../decisions/prioritisation-board.js";
import { mountShell } from "./board-shell.js";
import { mountEmpathyBoard } from "./empathy-board.js";
import { mountJourneyBoard } from "./journey-board.js";
import { mountLifecycle } from "./lifecycle.js";
import { BoardSync } from "./sync.js";

// Every sectioned board (both empathy maps, interviews, and any kind without a
// canvas of its own yet) is drawn as sections around the persona.
const KINDS = { "journey-map": mountJourneyBoard, prioritisation: mountPrioritisationBoard };

const root = document.getElementById("board-app");
const data = root.dataset;
const me = { id: Number(data.participantId), name: data.participantName || "", role: data.participantRole };
const readOnly = data.participantRole === "observer";

const sync = new BoardSync({ boardId: Number(data.boardId), me });
const shell = mountShell(root, sync, { me });
const board = (KINDS[data.boardKind] || mountEmpathyBoard)(root, sync, { me, readOnly });
// The "closed" banner of every kind follows workshop.close / workshop.reopen (lifecycle).
mountLifecycle(root, sync);
sync.start();

// A handle for the console and the browser tests.
window.__resonance = {
  sync,
  board,
  get facilitation() {
    return shell.facilitation;
  },
};
