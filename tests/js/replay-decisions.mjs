// Replays a prioritisation board's log with the browser reducers (board-state.js
// plus decisions-state.js) and prints {state, rows} as JSON, rows being the
// matrix numbers (used by tests/decisions/test_js_reducer_parity.py).
// Usage: node tests/js/replay-decisions.mjs <fixture.json>, with {before, events, me, sees_all}
import { readFileSync } from "node:fs";

import { DECISIONS_REDUCERS, matrixRows } from "../../decisions/static/decisions/decisions-state.js";
import { applyOp, fromSnapshot, registerReducer } from "../../static/js/board-state.js";

for (const [kind, reduce] of Object.entries(DECISIONS_REDUCERS)) registerReducer(kind, reduce);

const fixture = JSON.parse(readFileSync(process.argv[2], "utf8"));
let state = fromSnapshot(fixture.before);
for (const event of fixture.events) {
  if (event.type === "snapshot") state = { ...fromSnapshot(event.board), seq: event.seq };
  else state = applyOp(state, event);
}
const rows = matrixRows(state, fixture.me, fixture.sees_all).map(({ mine: _mine, ...row }) => row);
process.stdout.write(JSON.stringify({ state, rows }));
