// Replays recorded ops with the board reducer (static/js/board-state.js, whose
// journey reducers are static/js/ops/journey.js) and prints the state it reaches,
// for tests/journey/test_js_reducer_parity.py to compare with Python's.
import { readFileSync } from "node:fs";
import { applyOp, fromSnapshot } from "../../../static/js/board-state.js";

const { before, events } = JSON.parse(readFileSync(process.argv[2], "utf8"));
let state = fromSnapshot(before);
for (const event of events) {
  if (event.type === "snapshot") state = { ...fromSnapshot(event.board), seq: event.seq };
  else state = applyOp(state, event);
}
process.stdout.write(JSON.stringify(state));
