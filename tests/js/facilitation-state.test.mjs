// The browser reducer's facilitation rules that the parity replay covers only by
// example: private notes' order, redacted placeholders, and vote ranking.
import assert from "node:assert/strict";
import { test } from "node:test";

import { applyOp, applyPending, fromSnapshot } from "../../static/js/board-state.js";
import { ranked, voteTotals } from "../../static/js/empathy-board.js";

const note = (id, section, extra = {}) => ({ id, section, text: `n${id}`, color: "yellow", author: null, private: false, hidden: false, cluster: null, ...extra });

function board(notes = []) {
  return fromSnapshot({
    seq: 0,
    sections: [{ key: "says" }, { key: "thinks" }],
    notes,
    personas: [],
    clusters: [],
    votes: [],
    facilitation: { phase: "write", private_counts: {}, votes_closed: false },
  });
}

const ids = (state) => state.notes.map((n) => n.id);

test("a section keeps its public notes first, then the private ones by id", () => {
  let s = board([note(1, "says"), note(5, "says", { private: true }), note(2, "thinks")]);
  s = applyOp(s, { seq: 1, op: "note.add", data: { ...note(3, "says", { private: true }), private_counts: { says: 2 } } });
  assert.deepEqual(ids(s), [1, 3, 5, 2]);
  assert.deepEqual(s.facilitation.private_counts, { says: 2 });
  s = applyOp(s, { seq: 2, op: "note.add", data: note(6, "says") });
  assert.deepEqual(ids(s), [1, 6, 3, 5, 2]);
  // A move's index counts public notes only.
  s = applyOp(s, { seq: 3, op: "note.move", data: { id: 2, section: "says", index: 9 } });
  assert.deepEqual(ids(s), [1, 6, 2, 3, 5]);
});

test("the reveal puts each revealed note at the end of its section's public notes", () => {
  let s = board([note(1, "says"), note(3, "says", { private: true }), note(4, "says", { private: true, hidden: true })]);
  s = applyOp(s, {
    seq: 1,
    op: "phase.set",
    data: { phase: "reveal", previous: "write", revealed: [note(3, "says")], private_counts: { says: 1 } },
  });
  assert.deepEqual(ids(s), [1, 3, 4]);
  assert.equal(s.notes[1].private, false);
  assert.equal(s.facilitation.phase, "reveal");
});

test("a redacted op only advances seq, and takes the private counts it carries", () => {
  const s = board([note(1, "says")]);
  const next = applyOp(s, { seq: 1, op: "redacted", data: { private_counts: { thinks: 4 } } });
  assert.equal(next.seq, 1);
  assert.deepEqual(next.notes, s.notes);
  assert.deepEqual(next.facilitation.private_counts, { thinks: 4 });
  assert.deepEqual(applyOp(next, { seq: 2, op: "redacted", data: {} }).facilitation.private_counts, { thinks: 4 });
});

test("a note added in silent writing is shown private before the server has it", () => {
  const view = applyPending(board(), [{ client_op_id: "c1", op: "note.add", data: { section: "says", text: "hi" } }], {}, { id: 7 });
  assert.equal(view.notes[0].private, true);
});

test("vote results: totals per note, most votes first, board order breaks ties", () => {
  const s = { notes: [note(1, "says"), note(2, "says"), note(3, "thinks")], votes: [{ note: 3, voter: 1 }, { note: 2, voter: 1 }, { note: 3, voter: 2 }, { note: 1, voter: 2 }] };
  assert.equal(voteTotals(s.votes).get(3), 2);
  assert.deepEqual(ranked(s).map((r) => [r.note.id, r.count]), [[3, 2], [1, 1], [2, 1]]);
});
