// The reducers of the lifecycle's ops (lifecycle/ops.py), registered with the board's reducer:
// the browser twins of the Python ones, checked by tests/lifecycle/test_js_reducer.py.

import { registerReducer } from "./board-state.js";

function setClosed(state, data) {
  state.closed_at = data.closed_at;
}

registerReducer("workshop.close", setClosed);
registerReducer("workshop.reopen", setClosed);

// A participant erased what they wrote: their notes go, with every vote on them, and their
// own votes and scores. `participant` is null when anonymous mode blanked who it was.
registerReducer("participant.erase", (state, data) => {
  const gone = new Set(data.notes);
  const who = data.participant;
  state.notes = state.notes.filter((n) => !gone.has(n.id));
  if (state.votes) state.votes = state.votes.filter((v) => !gone.has(v.note) && (who === null || v.voter !== who));
  if (who !== null && state.emotion_scores) {
    state.emotion_scores = state.emotion_scores.filter((s) => s.participant !== who);
  }
  if ("private_counts" in data && state.facilitation) state.facilitation.private_counts = data.private_counts;
});
