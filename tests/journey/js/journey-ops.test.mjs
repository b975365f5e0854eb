// node --test tests/journey/js/: the journey map's reducers (static/js/ops/journey.js)
// and its notes in cells through the one board reducer (static/js/board-state.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyOp, applyPending, fromSnapshot, REDUCERS } from "../../../static/js/board-state.js";

const board = () =>
  fromSnapshot({
    seq: 4,
    sections: [],
    stages: [{ key: "buy", title: "Buy" }, { key: "use", title: "Use" }],
    lanes: [{ key: "actions", title: "Actions", kind: "notes" }],
    personas: [{ id: 7, name: "Sam", color: "#111111" }],
    notes: [{ id: 1, section: null, stage: "buy", lane: "actions", text: "a", private: false }],
    emotion_scores: [],
    journey_settings: { scores_visible_before_own: true, respondent_floor: 3 },
    facilitation: { phase: "write", private_counts: {} },
    votes: [],
  });

test("every journey op and every facilitation op has a reducer in the one board reducer", () => {
  for (const kind of ["stage.add", "lane.delete", "emotion.set", "journey.settings", "phase.set", "vote.add", "cluster.create", "timer.start", "redacted"]) {
    assert.equal(typeof REDUCERS[kind], "function", kind);
  }
});

test("a private note in a cell goes after the cell's public notes, a revealed one at the end", () => {
  let state = applyOp(board(), { seq: 5, op: "note.add", data: { id: 9, section: null, stage: "buy", lane: "actions", text: "p", private: true } });
  state = applyOp(state, { seq: 6, op: "note.add", data: { id: 10, section: null, stage: "buy", lane: "actions", text: "b", private: false } });
  assert.deepEqual(state.notes.map((n) => n.id), [1, 10, 9]);
  state = applyOp(state, { seq: 7, op: "phase.set", data: { phase: "reveal", revealed: [{ id: 9, section: null, stage: "buy", lane: "actions", text: "p", private: false }] } });
  assert.deepEqual(state.notes.map((n) => [n.id, n.private]), [[1, false], [10, false], [9, false]]);
});

test("as-is and to-be scores of one point are kept apart, as-is first", () => {
  let state = applyOp(board(), { seq: 5, op: "emotion.set", data: { stage: "buy", persona: 7, curve: "to-be", scores: [{ participant: 2, score: 3 }] } });
  state = applyOp(state, { seq: 6, op: "emotion.set", data: { stage: "buy", persona: 7, scores: [{ participant: 2, score: -1 }] } });
  assert.deepEqual(state.emotion_scores.map((s) => [s.curve, s.score]), [["as-is", -1], ["to-be", 3]]);
  state = applyOp(state, { seq: 7, op: "journey.settings", data: { scores_visible_before_own: false, respondent_floor: 5, emotion_scores: [] } });
  assert.deepEqual(state.journey_settings, { scores_visible_before_own: false, respondent_floor: 5 });
});

test("a note added in a cell and a score show at once, pending", () => {
  const outbox = [
    { client_op_id: "c1", op: "note.add", data: { stage: "use", lane: "actions", text: "" } },
    { client_op_id: "c2", op: "emotion.set", data: { stage: "use", persona: 7, curve: "as-is", score: -2 } },
    { client_op_id: "c3", op: "note.add", data: { stage: "gone", lane: "actions", text: "" } },
  ];
  const view = applyPending(board(), outbox, {}, { id: 2, name: "Jo" });
  const added = view.notes.find((n) => n.id === "pending:c1");
  assert.equal(added.stage, "use");
  assert.equal(added.private, true); // silent writing: private until the reveal
  assert.deepEqual(view.emotion_scores.map((s) => [s.participant, s.score, s.pending]), [[2, -2, true]]);
  assert.equal(view.notes.length, 2);
});
