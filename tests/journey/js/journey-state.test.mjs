// node --test tests/journey/js/: which ops the journey page applies itself.
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyOp, canApply } from "../../../static/js/journey-state.js";

test("journey and note ops are applied; facilitation ops are left to a fresh snapshot", () => {
  for (const kind of ["note.add", "note.move", "stage.add", "lane.delete", "emotion.set", "redacted"]) {
    assert.ok(canApply(kind), kind);
  }
  for (const kind of ["phase.set", "vote.add", "cluster.create", "timer.start", "toString", "constructor"]) {
    assert.ok(!canApply(kind), kind);
  }
});

test("a redacted placeholder only moves the seq on", () => {
  const state = { seq: 4, notes: [], sections: [], stages: [], lanes: [], personas: [], emotion_scores: [] };
  const next = applyOp(state, { type: "op", seq: 5, op: "redacted", data: {} });
  assert.deepEqual(next, { ...state, seq: 5 });
});
