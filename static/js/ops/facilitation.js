// Facilitation ops' reducers: the twins of boards/ops/facilitation.py's @reducer functions
// (phases, settings, the timer, people, locking, moderation).
import { dropNote, findNote, insertNote, setPrivateCounts } from "./place.js";

function setTimer(state, data) {
  state.facilitation.timer = data.timer;
}

export const REDUCERS = {
  "phase.set"(state, data) {
    state.facilitation.phase = data.phase;
    for (const note of data.revealed) {
      dropNote(state, note.id);
      insertNote(state, { ...note }, null);
    }
    setPrivateCounts(state, data);
  },
  "workshop.settings"(state, data) {
    Object.assign(state.facilitation, data);
  },
  "workshop.joining"(state, data) {
    state.facilitation.joining_open = data.joining_open;
  },
  "board.lock"(state, data) {
    state.facilitation.locked = data.locked;
  },
  "timer.start": setTimer,
  "timer.pause": setTimer,
  "timer.resume": setTimer,
  "timer.extend": setTimer,
  "timer.stop": setTimer,
  // People are not part of a board's state, but a note's author carries their current role.
  // A note's (or an opportunity's, decisions app) author carries their current role.
  "participant.role"(state, data) {
    for (const item of [...state.notes, ...(state.opportunities || [])]) {
      if (item.author && item.author.id === data.id) item.author.role = data.role;
    }
  },
  "participant.remove"() {},
  "note.hide"(state, data) {
    dropNote(state, data.id);
    insertNote(state, { ...data.note }, null);
    setPrivateCounts(state, data);
  },
  "note.merge"(state, data) {
    dropNote(state, data.removed);
    state.votes = (state.votes || []).filter((v) => v.note !== data.removed);
    setPrivateCounts(state, data);
    if ("id" in data) {
      const into = findNote(state, data.id);
      if (into) into.text = data.text;
    }
  },
};
