// The socket and its outbox (static/js/sync.js) against a scripted fake server:
// ops wait while offline and survive a reload, are re-sent with their original
// client_op_id, leave the outbox on ack or a definitive error, are retried when
// rate limited, and a seq ahead of ours (heartbeat or gap) means "resume from since".
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { pendingId } from "../../static/js/board-state.js";
import { BoardSync } from "../../static/js/sync.js";

const BOARD = {
  id: 3,
  kind: "empathy-map",
  title: "Empathy map",
  seq: 4,
  sections: ["says", "thinks", "does", "feels"].map((key) => ({ key, title: key, prompt: "" })),
  notes: [{ id: 10, section: "says", text: "hello", color: "yellow", author: null, created_at: null }],
  personas: [],
};
const ME = { id: 5, name: "Maya", role: "facilitator" };

function memoryStorage() {
  const data = new Map();
  return {
    data,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

class FakeSocket {
  constructor(url, all) {
    this.url = url;
    this.sent = [];
    this.readyState = 0;
    all.push(this);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({ code: 1000 });
  }
  open() {
    this.readyState = 1;
    this.onopen();
  }
  receive(message) {
    this.onmessage({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose({ code });
  }
  get ops() {
    return this.sent.filter((m) => m.type === "op");
  }
}

const running = [];
afterEach(() => {
  while (running.length) running.pop().stop();
});

function harness(storage = memoryStorage()) {
  const sockets = [];
  const sync = new BoardSync({
    boardId: 3,
    me: ME,
    url: "ws://test/ws/boards/3/",
    storage,
    openSocket: (url) => new FakeSocket(url, sockets),
    backoffMs: 1,
    maxBackoffMs: 5,
    retryMs: 5,
  });
  running.push(sync);
  sync.start();
  return { sync, sockets, storage, last: () => sockets.at(-1) };
}

function live(h, board = BOARD) {
  h.last().open();
  h.last().receive({ type: "snapshot", seq: board.seq, board });
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function event(seq, op, data, clientOpId = null) {
  return { type: "op", seq, op, client_op_id: clientOpId, actor: ME, data };
}

test("an op made offline waits in the outbox, is shown pending, and survives a reload", async () => {
  const h = harness();
  live(h);
  h.sync.disconnect();
  assert.equal(h.sync.status, "offline");
  const cid = h.sync.submit("note.add", { section: "feels", text: "offline", color: "pink" });
  assert.equal(h.sync.waiting, 1);
  const shown = h.sync.view().notes.find((n) => n.id === pendingId(cid));
  assert.deepEqual([shown.text, shown.pending], ["offline", true]);
  h.sync.stop();

  // A reload: a new page on the same storage, still without a network.
  const again = harness(h.storage);
  assert.equal(again.sync.waiting, 1);
  assert.equal(again.sync.view().notes.length, 2, "the last state and the pending note show at once");
  assert.match(again.last().url, /\?since=4$/);
  again.last().open();
  assert.deepEqual(again.last().ops, [{ type: "op", op: "note.add", client_op_id: cid, data: { section: "feels", text: "offline", color: "pink" } }]);
});

test("an op in flight when the socket drops is re-sent with its original client_op_id", async () => {
  const h = harness();
  live(h);
  const cid = h.sync.submit("note.update", { id: 10, text: "changed" });
  assert.equal(h.last().ops[0].client_op_id, cid);
  h.last().drop();
  assert.equal(h.sync.status, "reconnecting");
  await wait(20);
  assert.equal(h.sockets.length, 2);
  assert.match(h.last().url, /\?since=4$/);
  h.last().open();
  assert.deepEqual(h.last().ops.map((m) => m.client_op_id), [cid]);
  // The server had applied it before the drop: the op comes with since, then the original ack.
  h.last().receive(event(5, "note.update", { id: 10, text: "changed" }, cid));
  h.last().receive({ type: "ack", client_op_id: cid, seq: 5 });
  assert.equal(h.sync.outbox.length, 0);
  assert.equal(h.sync.view().notes[0].text, "changed");
  assert.equal(h.storage.getItem("resonance:outbox:3:5"), null);
});

test("an ack leaves the op shown until the state has its seq (no flicker)", () => {
  const h = harness();
  live(h);
  const cid = h.sync.submit("note.add", { section: "does", text: "new" });
  h.last().receive({ type: "ack", client_op_id: cid, seq: 5 });
  assert.equal(h.sync.waiting, 0);
  assert.ok(h.sync.view().notes.some((n) => n.id === pendingId(cid)), "still shown before its op arrives");
  h.last().receive(event(5, "note.add", { id: 11, section: "does", text: "new", color: "yellow", author: ME, created_at: null }, cid));
  assert.equal(h.sync.outbox.length, 0);
  assert.deepEqual(h.sync.view().notes.map((n) => n.id), [10, 11]);
  assert.equal(h.sync.clientOpIdOf(11), cid);
});

test("an op on a note still being added waits for the add, then goes with the real id", () => {
  const h = harness();
  live(h);
  const add = h.sync.submit("note.add", { section: "says", text: "draft" });
  const move = h.sync.submit("note.move", { id: pendingId(add), section: "says", index: 0 });
  assert.deepEqual(h.last().ops.map((m) => m.client_op_id), [add]);
  assert.deepEqual(h.sync.view().notes.map((n) => n.id), [pendingId(add), 10]);
  h.last().receive(event(5, "note.add", { id: 12, section: "says", text: "draft", color: "yellow", author: ME, created_at: null }, add));
  assert.deepEqual(h.last().ops.at(-1), { type: "op", op: "note.move", client_op_id: move, data: { id: 12, section: "says", index: 0 } });
});

test("a definitive error drops the op and those that depend on it", () => {
  const h = harness();
  live(h);
  const rejected = [];
  h.sync.addEventListener("rejected", (e) => rejected.push(e.detail.code));
  const add = h.sync.submit("note.add", { section: "nowhere", text: "x" });
  h.sync.submit("note.update", { id: pendingId(add), color: "blue" });
  h.last().receive({ type: "error", client_op_id: add, code: "invalid", message: "No such section" });
  assert.equal(h.sync.outbox.length, 0);
  assert.deepEqual(rejected, ["invalid"]);
  const gone = h.sync.submit("note.delete", { id: 99 });
  h.last().receive({ type: "error", client_op_id: gone, code: "not_found", message: "No note 99" });
  assert.equal(h.sync.outbox.length, 0);
});

test("a rate-limited op is kept and sent again", async () => {
  const h = harness();
  live(h);
  const cid = h.sync.submit("note.update", { id: 10, color: "green" });
  h.last().receive({ type: "error", client_op_id: cid, code: "rate_limited", message: "slow down" });
  assert.equal(h.sync.waiting, 1);
  await wait(20);
  assert.deepEqual(h.last().ops.map((m) => m.client_op_id), [cid, cid]);
});

test("an op the server could not apply now (unavailable) is kept and sent again", async () => {
  const h = harness();
  live(h);
  const cid = h.sync.submit("note.update", { id: 10, color: "green" });
  h.last().receive({ type: "error", client_op_id: cid, code: "unavailable", message: "database down" });
  assert.equal(h.sync.waiting, 1);
  await wait(20);
  assert.deepEqual(h.last().ops.map((m) => m.client_op_id), [cid, cid]);
});

test("a heartbeat ahead of our seq, or a gap, means resuming with since", async () => {
  const h = harness();
  live(h);
  h.last().receive({ type: "heartbeat", seq: 4 });
  assert.equal(h.sockets.length, 1);
  h.last().receive({ type: "heartbeat", seq: 6 });
  assert.equal(h.sockets.length, 2);
  assert.match(h.last().url, /\?since=4$/);
  h.last().open();
  h.last().receive(event(5, "note.delete", { id: 10 }));
  h.last().receive(event(7, "note.delete", { id: 99 }));
  assert.equal(h.sockets.length, 3);
  assert.match(h.last().url, /\?since=5$/);
  assert.equal(h.sync.state.seq, 5);
});

test("ops already seen are ignored (exactly once)", () => {
  const h = harness();
  live(h);
  h.last().receive(event(5, "note.update", { id: 10, text: "once" }));
  h.last().receive(event(5, "note.update", { id: 10, text: "once" }));
  h.last().receive(event(4, "note.delete", { id: 10 }));
  assert.equal(h.sync.state.seq, 5);
  assert.equal(h.sync.view().notes[0].text, "once");
});

test("refused for good (not found, forbidden, logged out): no reconnecting", async () => {
  const h = harness();
  live(h);
  h.last().drop(4004);
  await wait(20);
  assert.equal(h.sync.status, "closed");
  assert.equal(h.sockets.length, 1);
  assert.match(h.sync.fatal.message, /does not exist/);
});

test("an add not yet sent can be amended or withdrawn; one already sent cannot", () => {
  const h = harness();
  live(h);
  h.sync.disconnect();
  const cid = h.sync.submit("note.add", { section: "says", text: "first" });
  assert.equal(h.sync.amend(cid, { text: "second" }), true);
  assert.equal(h.sync.view().notes.at(-1).text, "second");
  assert.equal(h.sync.withdraw(cid), true);
  assert.equal(h.sync.outbox.length, 0);
  h.sync.connect();
  h.last().open();
  const sent = h.sync.submit("note.add", { section: "says", text: "gone out" });
  assert.equal(h.sync.amend(sent, { text: "too late" }), false);
  assert.equal(h.sync.withdraw(sent), false);
});

test("an op that does not fit our copy of the board means starting again from a snapshot", () => {
  const h = harness();
  live(h);
  h.last().receive(event(5, "note.update", { id: 404, text: "a note we never saw" }));
  assert.equal(h.sockets.length, 2);
  assert.equal(h.last().url, "ws://test/ws/boards/3/", "no since: a fresh snapshot");
  h.last().open();
  h.last().receive({ type: "snapshot", seq: 5, board: { ...BOARD, seq: 5 } });
  assert.equal(h.sync.state.seq, 5);
  assert.equal(h.sync.resync, false);
});
