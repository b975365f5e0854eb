// Every op family's reducers, laid out like boards/ops/*.py (one module per family).
// tests/boards/test_js_reducer_parity.py fails when an op kind the server logs has
// no reducer here, and replays every op kind × board kind × phase through both.
import { REDUCERS as clusters } from "./clusters.js";
import { REDUCERS as facilitation } from "./facilitation.js";
import { REDUCERS as journey } from "./journey.js";
import { REDUCERS as lifecycle } from "./lifecycle.js";
import { REDUCERS as notes } from "./notes.js";
import { REDUCERS as votes } from "./votes.js";

export const REDUCERS = { ...notes, ...facilitation, ...clusters, ...votes, ...journey, ...lifecycle };
