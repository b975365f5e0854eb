// Replays recorded ops with static/js/journey-state.js and prints the state it
// reaches, for tests/journey/test_js_reducer_parity.py to compare with Python's.
import { readFileSync } from "node:fs";
import { applyOp } from "../../../static/js/journey-state.js";

const { before, events } = JSON.parse(readFileSync(process.argv[2], "utf8"));
let state = before;
for (const event of events) state = applyOp(state, event);
process.stdout.write(JSON.stringify(state));
