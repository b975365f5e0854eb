// Prints the op kinds the browser reducer knows, as JSON (tests/boards/test_js_reducer_matrix.py):
// board-state.js (static/js/ops/*.js) plus the decisions app's reducers, which every board
// page registers (static/js/board.js imports the prioritisation canvas).
import { DECISIONS_REDUCERS } from "../../decisions/static/decisions/decisions-state.js";
import { REDUCERS, registerReducer } from "../../static/js/board-state.js";

for (const [kind, reduce] of Object.entries(DECISIONS_REDUCERS)) registerReducer(kind, reduce);
process.stdout.write(JSON.stringify(Object.keys(REDUCERS).sort()));
