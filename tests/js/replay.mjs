// Replays a log with the browser reducer and prints the final state as JSON.
// Usage: node tests/js/replay.mjs <fixture.json>, with {before, events}
// (used by tests/boards/test_js_reducer_parity.py to compare with Python).
// An event may also be a fresh `snapshot` frame sent mid-stream (when what a
// connection may see changes): it replaces the state, as the page does.
import { readFileSync } from "node:fs";

import { DECISIONS_REDUCERS } from "../../decisions/static/decisions/decisions-state.js";
import { applyOp, fromSnapshot, registerReducer } from "../../static/js/board-state.js";

// As on every board page (static/js/board.js loads the decisions app's reducers).
for (const [kind, reduce] of Object.entries(DECISIONS_REDUCERS)) registerReducer(kind, reduce);

const fixture = JSON.parse(readFileSync(process.argv[2], "utf8"));
let state = fromSnapshot(fixture.before);
for (const event of fixture.events) {
  if (event.type === "snapshot") state = { ...fromSnapshot(event.board), seq: event.seq };
  else state = applyOp(state, event);
}
process.stdout.write(JSON.stringify(state));
