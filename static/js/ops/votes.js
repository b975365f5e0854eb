// Dot voting ops' reducers: the twins of boards/ops/votes.py's @reducer functions.

export const REDUCERS = {
  "vote.add"(state, data) {
    // A vote given under anonymity keeps its mark (boards/visibility.py, ANONYMOUS).
    state.votes.push({ note: data.note_id, voter: data.voter, ...(data.anonymous ? { anonymous: true } : {}) });
  },
  "vote.remove"(state, data) {
    const votes = state.votes;
    for (let i = votes.length - 1; i >= 0; i--) {
      if (votes[i].note === data.note_id && votes[i].voter === data.voter) {
        votes.splice(i, 1);
        break;
      }
    }
  },
  "votes.close"(state, data) {
    state.votes = data.votes.map((v) => ({ ...v }));
    state.facilitation.votes_closed = true;
  },
  "votes.reset"(state) {
    state.votes = [];
    state.facilitation.votes_closed = false;
  },
};
