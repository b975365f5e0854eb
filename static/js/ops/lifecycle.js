// The lifecycle's ops' reducers: the twins of lifecycle/ops.py's @reducer functions
// (closing, reopening, a participant erasing what they wrote), checked by
// tests/lifecycle/test_js_reducer.py.

function setClosed(state, data) {
  state.closed_at = data.closed_at;
}

const same = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);

function dropOne(items, entry) {
  const i = items.findIndex((item) => same(item, entry));
  if (i >= 0) items.splice(i, 1);
}

export const REDUCERS = {
  "workshop.close": setClosed,
  "workshop.reopen": setClosed,
  // A participant erased what they wrote: their notes go, with every vote on them, and their
  // own votes and scores. Where anonymity blanked who gave a dot or score (anonymous mode now,
  // or given under it), only the listed entries (blanked and marked the same way as this
  // page's state) say which go: one matching entry each; then whatever still names them.
  "participant.erase"(state, data) {
    const gone = new Set(data.notes);
    const who = data.participant;
    state.notes = state.notes.filter((n) => !gone.has(n.id));
    if (state.votes) {
      state.votes = state.votes.filter((v) => !gone.has(v.note));
      for (const vote of data.votes) dropOne(state.votes, vote);
      if (who !== null) state.votes = state.votes.filter((v) => v.voter !== who);
    }
    if (state.emotion_scores) {
      for (const score of data.scores) dropOne(state.emotion_scores, score);
      if (who !== null) state.emotion_scores = state.emotion_scores.filter((s) => s.participant !== who);
    }
    if ("private_counts" in data && state.facilitation) state.facilitation.private_counts = data.private_counts;
  },
};
