// Journey map ops' reducers: the twins of boards/ops/journey.py's @reducer functions
// (stages, lanes, personas, emotion scores and the curve's settings).
import { compare, insertNote, sortNotes } from "./place.js";

const DEFAULT_RESPONDENT_FLOOR = 3;

// Board order (boards/visibility.py score_order): stage, persona, curve, participant,
// an unnamed (anonymous) score first: null compares below every id.
function sortScores(state) {
  const stages = new Map(state.stages.map((s, i) => [s.key, i]));
  const personas = new Map(state.personas.map((p, i) => [p.id, i]));
  const key = (s) => [stages.get(s.stage), personas.get(s.persona), s.curve === "as-is" ? 0 : 1, s.participant];
  state.emotion_scores.sort((a, b) => compare(key(a), key(b)));
}

function reorder(items, key, index) {
  const item = items.find((i) => i.key === key);
  items.splice(items.indexOf(item), 1);
  items.splice(index, 0, item);
}

function park(state, ids) {
  for (const id of ids) {
    // Someone else's private note is not in a participant's state: nothing to move there.
    const note = state.notes.find((n) => n.id === id);
    if (!note) continue;
    state.notes.splice(state.notes.indexOf(note), 1);
    note.stage = null;
    note.lane = null;
    insertNote(state, note, null);
  }
}

export const REDUCERS = {
  "stage.add"(s, d) {
    s.stages.splice(d.index, 0, { key: d.stage, title: d.title });
  },
  "stage.rename"(s, d) {
    s.stages.find((x) => x.key === d.stage).title = d.title;
  },
  "stage.move"(s, d) {
    reorder(s.stages, d.stage, d.index);
    sortNotes(s);
    sortScores(s);
  },
  "stage.delete"(s, d) {
    park(s, d.parked);
    s.stages = s.stages.filter((x) => x.key !== d.stage);
    s.emotion_scores = s.emotion_scores.filter((x) => x.stage !== d.stage);
  },
  "lane.add"(s, d) {
    s.lanes.splice(d.index, 0, { key: d.lane, title: d.title, kind: d.kind });
  },
  "lane.rename"(s, d) {
    s.lanes.find((x) => x.key === d.lane).title = d.title;
  },
  "lane.move"(s, d) {
    reorder(s.lanes, d.lane, d.index);
    sortNotes(s);
  },
  "lane.delete"(s, d) {
    park(s, d.parked);
    s.lanes = s.lanes.filter((x) => x.key !== d.lane);
  },
  "persona.add"(s, d) {
    s.personas.push({ ...d });
  },
  "persona.remove"(s, d) {
    s.personas = s.personas.filter((p) => p.id !== d.id);
    s.emotion_scores = s.emotion_scores.filter((x) => x.persona !== d.id);
  },
  "emotion.set"(s, d) {
    // Ops logged before there were to-be curves have no `curve`: they are as-is.
    const curve = d.curve ?? "as-is";
    s.emotion_scores = s.emotion_scores
      .filter((x) => x.stage !== d.stage || x.persona !== d.persona || x.curve !== curve)
      .concat(d.scores.map((x) => ({ stage: d.stage, persona: d.persona, curve, ...x })));
    sortScores(s);
  },
  "journey.settings"(s, d) {
    s.journey_settings = {
      scores_visible_before_own: d.scores_visible_before_own,
      respondent_floor: d.respondent_floor ?? DEFAULT_RESPONDENT_FLOOR,
    };
    s.emotion_scores = d.emotion_scores.map((x) => ({ curve: "as-is", ...x }));
    sortScores(s);
  },
};
