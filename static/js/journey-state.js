// The journey map's state in the browser: the same reducer as boards/state.py
// (boards/ops/notes.py and boards/ops/journey.py), applied to the snapshot and
// each op as this viewer receives them. Pure: no DOM, no socket.

function placeRank(state) {
  const index = (items) => new Map(items.map((item, i) => [item.key, i]));
  const sections = index(state.sections || []);
  const stages = index(state.stages || []);
  const lanes = index(state.lanes || []);
  const last = stages.size + lanes.size + 1;
  return (note) => {
    if (note.section != null) return [0, sections.get(note.section), 0];
    if (note.stage == null) return [1, last, last];
    return [1, stages.get(note.stage), lanes.get(note.lane)];
  };
}

function compare(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function sortNotes(state) {
  const rank = placeRank(state);
  // Array.prototype.sort is stable: each place keeps its order.
  state.notes.sort((a, b) => compare(rank(a), rank(b)));
}

function insertNote(state, note, index) {
  const rank = placeRank(state);
  const mine = rank(note);
  const notes = state.notes;
  let start = notes.findIndex((n) => compare(rank(n), mine) >= 0);
  if (start < 0) start = notes.length;
  let end = notes.findIndex((n) => compare(rank(n), mine) > 0);
  if (end < 0) end = notes.length;
  const at = index == null ? end : Math.min(start + index, end);
  notes.splice(at, 0, note);
}

function sortScores(state) {
  const stages = new Map(state.stages.map((s, i) => [s.key, i]));
  const personas = new Map(state.personas.map((p, i) => [p.id, i]));
  state.emotion_scores.sort((a, b) =>
    compare(
      [stages.get(a.stage), personas.get(a.persona), a.curve === "as-is" ? 0 : 1, a.participant],
      [stages.get(b.stage), personas.get(b.persona), b.curve === "as-is" ? 0 : 1, b.participant],
    ),
  );
}

function reorder(items, key, index) {
  const item = items.find((i) => i.key === key);
  items.splice(items.indexOf(item), 1);
  items.splice(index, 0, item);
}

function park(state, ids) {
  for (const id of ids) {
    const note = state.notes.find((n) => n.id === id);
    state.notes.splice(state.notes.indexOf(note), 1);
    note.stage = null;
    note.lane = null;
    insertNote(state, note, null);
  }
}

const without = (obj, ...keys) => Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));

export const REDUCERS = {
  "note.add": (s, d) => insertNote(s, { ...d }, null),
  "note.update": (s, d) => Object.assign(s.notes.find((n) => n.id === d.id), without(d, "id")),
  "note.move": (s, d) => {
    const note = s.notes.find((n) => n.id === d.id);
    s.notes.splice(s.notes.indexOf(note), 1);
    for (const k of ["section", "stage", "lane"]) if (k in d) note[k] = d[k];
    insertNote(s, note, d.index);
  },
  "note.delete": (s, d) => {
    s.notes = s.notes.filter((n) => n.id !== d.id);
  },
  "persona.update": (s, d) => Object.assign(s.personas.find((p) => p.id === d.id), without(d, "id")),
  "stage.add": (s, d) => s.stages.splice(d.index, 0, { key: d.stage, title: d.title }),
  "stage.rename": (s, d) => {
    s.stages.find((x) => x.key === d.stage).title = d.title;
  },
  "stage.move": (s, d) => {
    reorder(s.stages, d.stage, d.index);
    sortNotes(s);
    sortScores(s);
  },
  "stage.delete": (s, d) => {
    park(s, d.parked);
    s.stages = s.stages.filter((x) => x.key !== d.stage);
    s.emotion_scores = s.emotion_scores.filter((x) => x.stage !== d.stage);
  },
  "lane.add": (s, d) => s.lanes.splice(d.index, 0, { key: d.lane, title: d.title, kind: d.kind }),
  "lane.rename": (s, d) => {
    s.lanes.find((x) => x.key === d.lane).title = d.title;
  },
  "lane.move": (s, d) => {
    reorder(s.lanes, d.lane, d.index);
    sortNotes(s);
  },
  "lane.delete": (s, d) => {
    park(s, d.parked);
    s.lanes = s.lanes.filter((x) => x.key !== d.lane);
  },
  "persona.add": (s, d) => s.personas.push({ ...d }),
  "persona.remove": (s, d) => {
    s.personas = s.personas.filter((p) => p.id !== d.id);
    s.emotion_scores = s.emotion_scores.filter((x) => x.persona !== d.id);
  },
  "emotion.set": (s, d) => {
    // Ops logged before there were to-be curves have no `curve`: they are as-is.
    const curve = d.curve ?? "as-is";
    s.emotion_scores = s.emotion_scores
      .filter((x) => x.stage !== d.stage || x.persona !== d.persona || x.curve !== curve)
      .concat(d.scores.map((x) => ({ stage: d.stage, persona: d.persona, curve, ...x })));
    sortScores(s);
  },
  "journey.settings": (s, d) => {
    s.journey_settings = {
      scores_visible_before_own: d.scores_visible_before_own,
      respondent_floor: d.respondent_floor ?? 3,
    };
    s.emotion_scores = d.emotion_scores.map((x) => ({ curve: "as-is", ...x }));
  },
};

/**
 * Whether this page's reducer applies an op itself. A `redacted` placeholder
 * only moves the seq on; any other op (facilitation: phases, votes, groups,
 * the timer) is taken from a fresh snapshot instead (journey-sync.js).
 */
export function canApply(kind) {
  return kind === "redacted" || Object.hasOwn(REDUCERS, kind);
}

/** The state after one op (a new object; `state` is left as it was). */
export function applyOp(state, event) {
  if (event.seq !== state.seq + 1) throw new Error(`op ${event.seq} does not follow state at seq ${state.seq}`);
  const reduce = REDUCERS[event.op];
  const next = structuredClone(state);
  if (reduce) reduce(next, event.data);
  next.seq = event.seq;
  return next;
}

/** Notes of one cell (stage, lane), or of the parking lot with (null, null), in order. */
export function notesIn(state, stage, lane) {
  return state.notes.filter((n) => n.section == null && n.stage === stage && n.lane === lane);
}

/** This participant's own score for a persona at a stage, or null. */
export function ownScore(state, participantId, stage, persona) {
  const found = state.emotion_scores.find(
    (s) => s.stage === stage && s.persona === persona && s.participant === participantId,
  );
  return found ? found.score : null;
}
