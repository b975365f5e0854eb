// The event-stream fallback (static/js/event-stream.js) and its hook in sync.js:
// sockets that never open (or are cut at once) three times switch the page to the
// event stream, whose frames feed the same state and whose ops are POSTed with the
// same client_op_id and the CSRF token; a lost POST answer is sent again; a refused
// stream ends like the socket's close code; the socket is tried again later.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { EventStreamSocket, TransportChooser } from "../../static/js/event-stream.js";
import { BoardSync } from "../../static/js/sync.js";

const BOARD = {
  id: 3,
  kind: "empathy-map",
  title: "Empathy map",
  seq: 4,
  sections: ["says", "thinks", "does", "feels"].map((key) => ({ key, title: key, prompt: "" })),
  notes: [],
  personas: [],
};

class FakeEventSource {
  constructor(url, all) {
    this.url = url;
    this.listeners = {};
    this.closed = false;
    all.push(this);
  }
  addEventListener(type, fn) {
    (this.listeners[type] ??= []).push(fn);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({});
  }
  emit(frame) {
    for (const fn of this.listeners[frame.type] || []) fn({ data: JSON.stringify(frame) });
  }
  fail() {
    for (const fn of this.listeners.error || []) fn({});
    this.onerror?.({});
  }
}

class FailingSocket {
  constructor(all) {
    this.readyState = 0;
    all.push(this);
    setTimeout(() => {
      this.readyState = 3;
      this.onclose?.({ code: 1006 });
    }, 1);
  }
  send() {}
  close() {}
}

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check, what) {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await tick(5);
  }
  assert.fail(`timed out waiting for ${what}`);
}

const running = [];
afterEach(() => {
  while (running.length) running.pop().stop();
});

function harness({ answer = (body) => ({ status: 200, body: { seq: 5, client_op_id: body.client_op_id } }) } = {}) {
  const sockets = [];
  const sources = [];
  const posts = [];
  const fetchFn = async (url, init = {}) => {
    if (init.method === "POST") {
      const body = JSON.parse(init.body);
      posts.push({ url, headers: init.headers, body });
      const reply = answer(body, posts.length);
      if (reply instanceof Error) throw reply;
      return { ok: reply.status === 200, status: reply.status, json: async () => reply.body };
    }
    return { ok: false, status: harness.streamStatus ?? 200, json: async () => ({}) };
  };
  globalThis.document = { cookie: "sessionid=x; csrftoken=tok%2B1" };
  const sync = new BoardSync({
    boardId: 3,
    me: { id: 5, name: "Ana", role: "participant" },
    url: "ws://test/ws/boards/3/",
    storage: { getItem: () => null, setItem() {}, removeItem() {} },
    stateStorage: { getItem: () => null, setItem() {}, removeItem() {} },
    openSocket: () => new FailingSocket(sockets),
    openFallback: (url) => new EventStreamSocket(url, { boardId: 3, fetchFn, EventSourceClass: class extends FakeEventSource { constructor(u) { super(u, sources); } } }),
    fallbackOptions: { retryWebSocketMs: 200 },
    backoffMs: 1,
    maxBackoffMs: 2,
    retryMs: 5,
  });
  running.push(sync);
  sync.start();
  return { sync, sockets, sources, posts };
}

test("three sockets that never open switch to the event stream, which feeds the same state", async () => {
  const { sync, sockets, sources } = harness();
  await until(() => sources.length === 1, "an event stream");
  assert.equal(sockets.length, 3);
  assert.equal(sync.transport, "event-stream");
  assert.equal(sources[0].url, "/api/v1/boards/3/events/");
  sources[0].open();
  sources[0].emit({ type: "snapshot", seq: 4, server_now: 1, board: BOARD });
  assert.equal(sync.status, "live");
  sources[0].emit({ type: "op", seq: 5, op: "note.add", actor: null, client_op_id: null, data: { id: 1, section: "says", text: "hi", color: "yellow", author: null } });
  assert.equal(sync.state.seq, 5);
  assert.deepEqual(sync.state.notes.map((n) => n.text), ["hi"]);
});

test("ops go up as POSTs with the CSRF token and their client_op_id; a lost answer is sent again", async () => {
  let lost = true;
  const { sync, sources, posts } = harness({
    answer: (body) => {
      if (lost) {
        lost = false;
        return new Error("network");
      }
      return { status: 200, body: { seq: 5, client_op_id: body.client_op_id } };
    },
  });
  await until(() => sources.length === 1, "an event stream");
  sources[0].open();
  sources[0].emit({ type: "snapshot", seq: 4, server_now: 1, board: BOARD });
  const cid = sync.submit("note.add", { section: "says", text: "hello" });
  await until(() => posts.length === 2, "the POST sent again");
  assert.deepEqual(posts.map((p) => p.body.client_op_id), [cid, cid]);
  assert.equal(posts[0].url, "/api/v1/boards/3/ops/");
  assert.equal(posts[0].headers["X-CSRFToken"], "tok+1");
  await until(() => sync.outbox[0]?.status === "acked", "the ack");
  sources[0].emit({ type: "op", seq: 5, op: "note.add", actor: 5, client_op_id: cid, data: { id: 9, section: "says", text: "hello", color: "yellow", author: 5 } });
  assert.equal(sync.waiting, 0);
  assert.equal(sync.outbox.length, 0);
});

test("a refused op is dropped for good, as the socket's error frame would", async () => {
  const { sync, sources } = harness({ answer: () => ({ status: 400, body: { code: "invalid", message: "no" } }) });
  await until(() => sources.length === 1, "an event stream");
  sources[0].open();
  sources[0].emit({ type: "snapshot", seq: 4, server_now: 1, board: BOARD });
  const rejected = [];
  sync.addEventListener("rejected", (e) => rejected.push(e.detail.code));
  sync.submit("note.add", { section: "says", text: "x" });
  await until(() => rejected.length === 1, "the rejection");
  assert.deepEqual(rejected, ["invalid"]);
  assert.equal(sync.outbox.length, 0);
});

test("a stream refused with 404 ends the page's sync like the socket's 4004", async () => {
  harness.streamStatus = 404;
  try {
    const { sync, sources } = harness();
    await until(() => sources.length === 1, "an event stream");
    sources[0].fail();
    await until(() => sync.status === "closed", "closed");
    assert.equal(sync.fatal.code, 4004);
  } finally {
    harness.streamStatus = undefined;
  }
});

test("a dropped stream comes back with since, and removal ends it like a 4003", async () => {
  const { sync, sources } = harness();
  await until(() => sources.length === 1, "an event stream");
  sources[0].open();
  sources[0].emit({ type: "snapshot", seq: 4, server_now: 1, board: BOARD });
  sources[0].fail(); // the network: the stream is open again with since
  await until(() => sources.length === 2, "a second stream");
  assert.equal(sources[1].url, "/api/v1/boards/3/events/?since=4");
  assert.equal(sources[0].closed, true);
  sources[1].open();
  sources[1].emit({ type: "op", seq: 5, op: "participant.remove", actor: null, client_op_id: null, data: { id: 5 } });
  sources[1].emit({ type: "error", client_op_id: null, code: "forbidden", message: "removed" });
  assert.equal(sync.status, "closed");
  assert.equal(sync.fatal.code, 4003);
});

test("the socket is tried again later, and one more failure goes back to the stream", async () => {
  const { sync, sockets, sources } = harness();
  await until(() => sources.length === 1, "an event stream");
  sources[0].open();
  await until(() => sockets.length === 4, "the socket tried again");
  await until(() => sources.length === 2, "back on the event stream");
  assert.equal(sync.transport, "event-stream");
});

test("a socket that lives past the cut-off resets the count", () => {
  const chooser = new TransportChooser({ cutSoonMs: 0 });
  for (let i = 0; i < 5; i++) {
    chooser.opened();
    assert.equal(chooser.closed(), false);
  }
  assert.equal(chooser.current, "websocket");
  const unavailable = new TransportChooser({ available: false });
  for (let i = 0; i < 5; i++) assert.equal(unavailable.closed(), false);
  assert.equal(unavailable.current, "websocket");
});

test("sockets cut right after opening count as blocked too", () => {
  const chooser = new TransportChooser({ cutSoonMs: 60_000, retryWebSocketMs: 60_000 });
  chooser.opened();
  assert.equal(chooser.closed(), false);
  chooser.opened();
  assert.equal(chooser.closed(), false);
  chooser.opened();
  assert.equal(chooser.closed(), true);
  assert.equal(chooser.current, "event-stream");
  chooser.stop();
});
