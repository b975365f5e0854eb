// The browser reducer (static/js/board-state.js): every op, moves within and
// between sections with clamping, pending overlays, and a replay of a log the
// Python side wrote (tests/js/fixtures/python-replay.json, made by
// tests/boards/test_js_reducer_parity.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  applyOp,
  applyPending,
  fromSnapshot,
  indexInSection,
  notesOf,
  pendingId,
  resolveId,
} from "../../static/js/board-state.js";

const SECTIONS = ["says", "thinks", "does", "feels"].map((key) => ({ key, title: key, prompt: "" }));

function board(notes = []) {
  return fromSnapshot({
    id: 1,
    kind: "empathy-map",
    title: "Empathy map",
    seq: 0,
    sections: SECTIONS,
    notes,
    personas: [{ id: 7, name: "", details: { age: "", role: "" }, color: "#6d5dfc" }],
  });
}

let seq = 0;
function op(state, kind, data) {
  seq = state.seq + 1;
  return applyOp(state, { type: "op", seq, op: kind, client_op_id: null, actor: null, data });
}

function note(id, section, text = `n${id}`) {
  return { id, section, text, color: "yellow", author: null, created_at: "2026-01-01T00:00:00+00:00" };
}

const ids = (state, section) => notesOf(state, section).map((n) => n.id);
const order = (state) => state.notes.map((n) => n.id);

test("note.add appends at the end of its section, in board order", () => {
  let s = board();
  s = op(s, "note.add", note(1, "feels"));
  s = op(s, "note.add", note(2, "says"));
  s = op(s, "note.add", note(3, "feels"));
  s = op(s, "note.add", note(4, "thinks"));
  assert.deepEqual(order(s), [2, 4, 1, 3]);
  assert.deepEqual(ids(s, "feels"), [1, 3]);
  assert.equal(s.seq, 4);
});

test("applyOp leaves the old state as it was", () => {
  const s0 = board([note(1, "says")]);
  const s1 = op(s0, "note.update", { id: 1, text: "changed" });
  assert.equal(s0.notes[0].text, "n1");
  assert.equal(s0.seq, 0);
  assert.equal(s1.notes[0].text, "changed");
});

test("note.update changes only the fields it carries", () => {
  let s = board([note(1, "says")]);
  s = op(s, "note.update", { id: 1, color: "pink" });
  assert.equal(s.notes[0].color, "pink");
  assert.equal(s.notes[0].text, "n1");
  s = op(s, "note.update", { id: 1, text: "hello" });
  assert.deepEqual([s.notes[0].text, s.notes[0].color], ["hello", "pink"]);
});

test("note.move within a section, forwards and backwards", () => {
  let s = board([note(1, "says"), note(2, "says"), note(3, "says"), note(4, "says")]);
  s = op(s, "note.move", { id: 1, section: "says", index: 2 });
  assert.deepEqual(ids(s, "says"), [2, 3, 1, 4]);
  s = op(s, "note.move", { id: 4, section: "says", index: 0 });
  assert.deepEqual(ids(s, "says"), [4, 2, 3, 1]);
  assert.equal(indexInSection(s, 3), 2);
});

test("note.move to another section, at an index and clamped to its length", () => {
  let s = board([note(1, "says"), note(2, "says"), note(3, "does"), note(4, "feels")]);
  s = op(s, "note.move", { id: 1, section: "does", index: 0 });
  assert.deepEqual(ids(s, "does"), [1, 3]);
  assert.deepEqual(ids(s, "says"), [2]);
  s = op(s, "note.move", { id: 2, section: "does", index: 99 });
  assert.deepEqual(ids(s, "does"), [1, 3, 2]);
  assert.deepEqual(ids(s, "says"), []);
  s = op(s, "note.move", { id: 4, section: "thinks", index: 5 });
  assert.deepEqual(order(s), [4, 1, 3, 2]);
});

test("note.move within a section clamps to the end", () => {
  let s = board([note(1, "says"), note(2, "says"), note(3, "thinks")]);
  s = op(s, "note.move", { id: 1, section: "says", index: 10 });
  assert.deepEqual(order(s), [2, 1, 3]);
});

test("note.delete removes the note; others keep their order", () => {
  let s = board([note(1, "says"), note(2, "says"), note(3, "says")]);
  s = op(s, "note.delete", { id: 2 });
  assert.deepEqual(ids(s, "says"), [1, 3]);
});

test("persona.update sets the name and the merged details", () => {
  let s = board();
  s = op(s, "persona.update", { id: 7, name: "Sam" });
  s = op(s, "persona.update", { id: 7, details: { age: "34", role: "Commuter", quote: "" } });
  assert.equal(s.personas[0].name, "Sam");
  assert.deepEqual(s.personas[0].details, { age: "34", role: "Commuter", quote: "" });
});

test("an op that does not follow the state's seq is refused", () => {
  const s = board();
  assert.throws(() => applyOp(s, { seq: 2, op: "note.delete", data: { id: 1 } }), /does not follow/);
});

test("an unknown op kind only advances seq", () => {
  const s = applyOp(board([note(1, "says")]), { seq: 1, op: "vote.cast", data: { id: 1 } });
  assert.equal(s.seq, 1);
  assert.deepEqual(order(s), [1]);
});

test("pending ops are laid over the server state without changing it", () => {
  const s = board([note(1, "says"), note(2, "says"), note(3, "does")]);
  const entries = [
    { op: "note.add", client_op_id: "a", data: { section: "says", text: "draft", color: "blue" } },
    { op: "note.update", client_op_id: "b", data: { id: pendingId("a"), text: "draft 2" } },
    { op: "note.move", client_op_id: "c", data: { id: 3, section: "says", index: 0 } },
    { op: "note.delete", client_op_id: "d", data: { id: 2 } },
    { op: "note.update", client_op_id: "e", data: { id: 99, text: "gone meanwhile" } },
    { op: "persona.update", client_op_id: "f", data: { id: 7, details: { age: "40" } } },
  ];
  const view = applyPending(s, entries, {}, { id: 5, name: "Me" });
  assert.deepEqual(order(view), [3, 1, pendingId("a")]);
  const added = view.notes.at(-1);
  assert.deepEqual([added.text, added.color, added.pending, added.author.name], ["draft 2", "blue", true, "Me"]);
  assert.equal(view.notes[0].pending, true);
  assert.equal(view.personas[0].details.age, "40");
  assert.equal(view.personas[0].details.role, "");
  assert.deepEqual(order(s), [1, 2, 3]);
});

test("a reference to a pending add resolves once the add is applied", () => {
  assert.equal(resolveId(pendingId("a"), { a: 12 }), 12);
  assert.equal(resolveId(pendingId("b"), { a: 12 }), pendingId("b"));
  assert.equal(resolveId(4, {}), 4);
  const s = board([note(12, "feels")]);
  const view = applyPending(s, [{ op: "note.update", client_op_id: "x", data: { id: pendingId("a"), text: "t" } }], {
    a: 12,
  });
  assert.equal(view.notes[0].text, "t");
});

test("replaying the Python side's log gives the Python side's final snapshot", () => {
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/python-replay.json", import.meta.url)));
  let s = fromSnapshot(fixture.before);
  for (const event of fixture.events) s = applyOp(s, event);
  assert.deepEqual(s, fixture.after);
  assert.ok(fixture.events.length >= 10);
});

test("replaying a facilitated workshop's log gives the Python side's final snapshot", () => {
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/python-replay-facilitated.json", import.meta.url)));
  let s = fromSnapshot(fixture.before);
  for (const event of fixture.events) s = applyOp(s, event);
  assert.deepEqual(s, fixture.after);
  assert.ok(fixture.events.some((e) => e.op === "votes.close"));
});
