// Replays a log with the browser reducer plus the lifecycle's reducers and prints the state as JSON.
// Usage: node tests/lifecycle/js/replay.mjs <fixture.json>, with {before, events}
// (tests/lifecycle/test_js_reducer.py compares it with Python).
import { readFileSync } from "node:fs";

import { applyOp, fromSnapshot } from "../../../static/js/board-state.js";
// The lifecycle reducers are part of board-state.js (static/js/ops/lifecycle.js).

const fixture = JSON.parse(readFileSync(process.argv[2], "utf8"));
let state = fromSnapshot(fixture.before);
for (const event of fixture.events) state = applyOp(state, event);
process.stdout.write(JSON.stringify(state));
