// The core note ops' reducers: the twins of boards/ops/notes.py's @reducer functions.
import { dropNote, findNote, insertNote, setPrivateCounts } from "./place.js";

// Keys of an op's data that describe the board, not the note it carries.
const META = ["private_author", "private_counts", "anonymous_target"];

function withoutMeta(data, ...more) {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !META.includes(key) && !more.includes(key)));
}

export const REDUCERS = {
  "note.add"(state, data) {
    insertNote(state, withoutMeta(data), null);
    setPrivateCounts(state, data);
  },
  "note.update"(state, data) {
    Object.assign(findNote(state, data.id), withoutMeta(data, "id"));
  },
  "note.move"(state, data) {
    const note = findNote(state, data.id);
    state.notes.splice(state.notes.indexOf(note), 1);
    for (const key of ["section", "stage", "lane"]) if (key in data) note[key] = data[key];
    insertNote(state, note, data.index);
    setPrivateCounts(state, data);
  },
  "note.delete"(state, data) {
    dropNote(state, data.id);
    // A note's votes go with it.
    state.votes = (state.votes || []).filter((v) => v.note !== data.id);
    setPrivateCounts(state, data);
  },
  "persona.update"(state, data) {
    const persona = state.personas.find((p) => p.id === data.id);
    const { id: _id, ...rest } = data;
    Object.assign(persona, rest);
  },
  // An op this viewer may not see (docs/protocol.md §7, "Redaction"):
  // nothing changed but the seq, and perhaps the count of private notes.
  redacted(state, data) {
    setPrivateCounts(state, data);
  },
};
