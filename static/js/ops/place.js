// Where a note goes in the board's notes list: boards/ops/notes.py place_rank and
// insert_note. Board order: by place (sections in order; on a journey map cells by
// stage then lane, the parking lot last), then the public notes by position, then
// the private ones by id.

export function placeRank(state) {
  const index = (items) => new Map((items || []).map((item, i) => [item.key, i]));
  const sections = index(state.sections);
  const stages = index(state.stages);
  const lanes = index(state.lanes);
  const last = stages.size + lanes.size + 1;
  return (note) => {
    if (note.section != null) return [0, sections.get(note.section), 0];
    if (note.stage == null) return [1, last, last];
    return [1, stages.get(note.stage), lanes.get(note.lane)];
  };
}

export function compare(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** Restores board order after places were reordered (stable: keeps each place's order). */
export function sortNotes(state) {
  const rank = placeRank(state);
  state.notes.sort((a, b) => compare(rank(a), rank(b)));
}

/** Puts `note` at `index` of its place (null: at the end of the public notes); a private note's index is ignored. */
export function insertNote(state, note, index) {
  const rank = placeRank(state);
  const mine = rank(note);
  const notes = state.notes;
  let start = notes.findIndex((n) => compare(rank(n), mine) >= 0);
  if (start < 0) start = notes.length;
  let end = notes.findIndex((n) => compare(rank(n), mine) > 0);
  if (end < 0) end = notes.length;
  let publicEnd = end;
  for (let i = start; i < end; i++) {
    if (notes[i].private) {
      publicEnd = i;
      break;
    }
  }
  let at;
  if (note.private) {
    at = end;
    for (let i = publicEnd; i < end; i++) {
      if (notes[i].id > note.id) {
        at = i;
        break;
      }
    }
  } else {
    at = index === null || index === undefined ? publicEnd : Math.min(start + index, publicEnd);
  }
  notes.splice(at, 0, note);
}

export function findNote(state, id) {
  return state.notes.find((n) => n.id === id);
}

export function dropNote(state, id) {
  state.notes = state.notes.filter((n) => n.id !== id);
}

/** Private notes per place (every op touching a private note carries the new counts). */
export function setPrivateCounts(state, data) {
  if ("private_counts" in data && state.facilitation) state.facilitation.private_counts = data.private_counts;
}
