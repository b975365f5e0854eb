// Prints the op kinds the browser reducer knows, as JSON (tests/boards/test_js_reducer_matrix.py).
import { REDUCERS } from "../../static/js/board-state.js";

process.stdout.write(JSON.stringify(Object.keys(REDUCERS).sort()));
