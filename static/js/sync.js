// The board's WebSocket and its outbox: keeps the page's copy of the board in step
// with the server and makes sure nothing the user did is lost or doubled.
//
// - The server's state is only ever changed by the server's ops (board-state.js
//   applyOp, seq by seq); what the user did and the server has not applied yet
//   waits in the outbox and is shown on top (applyPending), marked pending.
// - The outbox lives in localStorage (per board and participant), so a reload or
//   a dropped network does not lose it. Each entry keeps its client_op_id for
//   life: re-sent after a reconnect, the server answers an op it already applied
//   with the original ack (G4), so nothing is applied twice.
// - After a drop the socket comes back with `?since=<seq>` and gets exactly the
//   ops it missed (G3); a heartbeat whose seq is ahead of ours means a lost op:
//   reconnect with since.
// - Where WebSockets are blocked, the same frames come over the event stream and
//   ops go up as POSTs (event-stream.js); `transport` says which is in use.

import { applyOp, applyPending, fromSnapshot, isPendingId, pendingId, resolveId } from "./board-state.js";
import { EventStreamSocket, TransportChooser, eventsUrl } from "./event-stream.js";

const FATAL_CLOSE = { 4001: "Your session has ended: log in or join again.", 4003: "You may not open this board.", 4004: "This board does not exist any more." };
const REMOVED_MESSAGE = "A facilitator removed you from this workshop. Your notes stay on the board; ask them if you should rejoin.";
const PING_AFTER_MS = 15_000;
const DEAD_AFTER_MS = 35_000;
const MAX_IN_FLIGHT = 50;
const RATE_LIMIT_RETRY_MS = 1_500;
const MAX_REMEMBERED_IDS = 500;

function uuid() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
  });
}

function defaultUrl(boardId) {
  const scheme = globalThis.location?.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${globalThis.location?.host}/ws/boards/${boardId}/`;
}

function memoryStorage() {
  const data = new Map();
  return { getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), removeItem: (k) => data.delete(k) };
}

/**
 * status: "connecting" | "live" | "reconnecting" | "offline" | "closed".
 * Events: "change" (board or outbox), "op" (each op applied), "status", "presence", "typing",
 * "rejected" (detail {entry, code, message}: an op the server refused for good),
 * "clock" (detail: the server's clock, `server_now`, from a snapshot, heartbeat or timer op).
 * `presence` carries the participants; `presenceCount` says how many are here
 * (in anonymous mode the list holds only oneself).
 */
export class BoardSync extends EventTarget {
  constructor({
    boardId,
    me = null,
    url = null,
    storage = globalThis.localStorage ?? memoryStorage(),
    // The last state is kept per tab only: enough for a reload without network,
    // and it does not leave a board's notes on a shared computer.
    stateStorage = globalThis.sessionStorage ?? storage,
    openSocket = (u) => new WebSocket(u),
    // The fallback (event-stream.js): null where the browser has no EventSource.
    openFallback = globalThis.EventSource ? (u) => new EventStreamSocket(u, { boardId }) : null,
    fallbackOptions = {},
    backoffMs = 500,
    maxBackoffMs = 15_000,
    retryMs = RATE_LIMIT_RETRY_MS,
  }) {
    super();
    this.boardId = boardId;
    this.me = me;
    this.url = url ?? defaultUrl(boardId);
    this.storage = storage;
    this.stateStorage = stateStorage;
    this.openSocket = openSocket;
    this.openFallback = openFallback;
    this.transports = new TransportChooser({
      ...fallbackOptions,
      available: !!openFallback,
      onRetry: () => this._transportChanged(),
    });
    this.backoffMs = backoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.retryMs = retryMs;
    this.storageKey = `resonance:outbox:${boardId}:${me?.id ?? "anon"}`;
    // The last state seen, so that a page reloaded without a network still
    // shows the board (and resumes from its seq when the network is back).
    this.stateKey = `resonance:board:${boardId}:${me?.id ?? "anon"}`;
    this.state = null; // the server's state: snapshot + ops, nothing else
    this.outbox = []; // {client_op_id, op, data, status: queued|sent|acked, seq?}
    this.ids = {}; // client_op_id of a note.add -> the note id the server gave it
    this.status = "connecting";
    this.ws = null;
    this.attempts = 0;
    this.lastHeard = 0;
    this.lastPing = 0;
    this.manualOffline = false;
    this.fatal = null;
    this.removed = false; // a facilitator removed us: the 4003 that follows says so
    this.serverNow = null; // {server, local}: the server's clock and ours when it came
    this.presenceCount = 0;
    this.resync = false; // true: the next connection asks for a snapshot, not `since`
    this.timers = { reconnect: null, flush: null, watchdog: null, saveState: null };
    this._load();
  }

  // --- public -----------------------------------------------------------------

  start() {
    this.connect();
    this.timers.watchdog = setInterval(() => this._watchdog(), 5_000);
    if (globalThis.addEventListener) {
      globalThis.addEventListener("offline", () => this._browserOffline());
      globalThis.addEventListener("online", () => this._browserOnline());
    }
    globalThis.addEventListener?.("pagehide", () => this._saveState());
    if (globalThis.document?.addEventListener) {
      globalThis.document.addEventListener("visibilitychange", () => {
        if (globalThis.document.visibilityState === "visible") this._ping();
      });
    }
    return this;
  }

  /** Closes the socket and stops every timer (the outbox and the last state stay saved). */
  stop() {
    this.manualOffline = true;
    for (const timer of Object.values(this.timers)) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    this.timers.saveState = null;
    this.transports.stop();
    this._dropSocket();
    this._saveState();
    this._save();
  }

  /** What to show: the server's state with the outbox's ops on top. */
  view() {
    if (!this.state) return null;
    return applyPending(this.state, this.outbox, this.ids, this.me);
  }

  /** Ops the server has not confirmed yet. */
  get waiting() {
    return this.outbox.filter((e) => e.status !== "acked").length;
  }

  /** Queues one op (data as the wire wants it; a note id may be a pending ref). */
  submit(op, data) {
    const entry = { client_op_id: uuid(), op, data, status: "queued" };
    this.outbox.push(entry);
    this._changed();
    this._flush();
    return entry.client_op_id;
  }

  /**
   * Changes a queued op that has not left yet (e.g. the text of a note added
   * offline): true when done, false when it may be on the server already and a
   * new op is needed instead.
   */
  amend(clientOpId, data) {
    const entry = this.outbox.find((e) => e.client_op_id === clientOpId);
    if (!entry || entry.status !== "queued" || entry.everSent) return false;
    entry.data = { ...entry.data, ...data };
    this._changed();
    return true;
  }

  /** Takes back a queued op that never left (a note added and deleted while offline). */
  withdraw(clientOpId) {
    const entry = this.outbox.find((e) => e.client_op_id === clientOpId);
    if (!entry || entry.status !== "queued" || entry.everSent) return false;
    this._drop(entry);
    this._changed();
    return true;
  }

  /** The note id a pending ref stands for now, or the ref itself. */
  resolve(id) {
    return resolveId(id, this.ids);
  }

  /** The client_op_id a note was added with by this page (to keep its element), or null. */
  clientOpIdOf(noteId) {
    if (isPendingId(noteId)) return noteId.slice(8);
    this._byNote ??= new Map(Object.entries(this.ids).map(([cid, id]) => [id, cid]));
    return this._byNote.get(noteId) ?? null;
  }

  typing(section) {
    this._send({ type: "typing", section });
  }

  /** Goes offline on purpose (and for tests): ops wait in the outbox until connect(). */
  disconnect() {
    this.manualOffline = true;
    clearTimeout(this.timers.reconnect);
    this._dropSocket();
    this._setStatus("offline");
  }

  connect() {
    this.manualOffline = false;
    if (this.fatal) return;
    clearTimeout(this.timers.reconnect);
    this._dropSocket();
    this._setStatus(this._waitingStatus());
    const since = this.state && !this.resync ? `?since=${this.state.seq}` : "";
    let socket;
    try {
      socket =
        this.transport === "event-stream" ? this.openFallback(eventsUrl(this.boardId) + since) : this.openSocket(this.url + since);
    } catch {
      this._scheduleReconnect();
      return;
    }
    this.ws = socket;
    socket.onopen = () => {
      if (this.ws !== socket) return;
      this.attempts = 0;
      this.transports.opened();
      this.lastHeard = Date.now();
      this._requeue();
      this._setStatus("live");
      this._flush();
    };
    socket.onmessage = (event) => {
      if (this.ws !== socket) return;
      this.lastHeard = Date.now();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this._receive(message);
    };
    socket.onclose = (event) => {
      if (this.ws !== socket) return;
      this.ws = null;
      this._requeue();
      if (FATAL_CLOSE[event.code]) {
        const message = event.code === 4003 && this.removed ? REMOVED_MESSAGE : FATAL_CLOSE[event.code];
        this.fatal = { code: event.code, message, removed: event.code === 4003 && this.removed };
        this._setStatus("closed");
        return;
      }
      if (this.manualOffline) this._setStatus("offline");
      else if (this.transports.closed()) this._transportChanged();
      else this._scheduleReconnect();
    };
    socket.onerror = () => {};
  }

  // --- from the server ------------------------------------------------------------

  _receive(message) {
    if (Number.isFinite(message.server_now)) this._clock(message.server_now);
    switch (message.type) {
      case "snapshot":
        this.state = fromSnapshot(message.board);
        this.state.seq = message.seq;
        this.resync = false;
        this._absorb();
        break;
      case "op":
        this._receiveOp(message);
        break;
      case "ack": {
        const entry = this.outbox.find((e) => e.client_op_id === message.client_op_id);
        if (entry) {
          entry.status = "acked";
          entry.seq = message.seq;
          this._absorb();
        }
        break;
      }
      case "error":
        this._receiveError(message);
        break;
      case "heartbeat":
        if (this.state && message.seq > this.state.seq) this._reconnectNow();
        break;
      case "presence":
        this.presenceCount = message.count ?? (message.participants || []).length;
        this.dispatchEvent(new CustomEvent("presence", { detail: message.participants || [] }));
        break;
      case "typing":
        this.dispatchEvent(new CustomEvent("typing", { detail: message }));
        break;
      default:
        break;
    }
  }

  _receiveOp(event) {
    if (!this.state || event.seq <= this.state.seq) return; // already have it
    if (event.seq !== this.state.seq + 1) {
      this._reconnectNow(); // a gap: the server fills it from `since`
      return;
    }
    try {
      this.state = applyOp(this.state, event);
    } catch (error) {
      // Our copy disagrees with the log (it should not): start again from a snapshot.
      console.error("Board state out of step; reloading it.", error);
      this.resync = true;
      this._reconnectNow();
      return;
    }
    if (Number.isFinite(event.data?.server_now)) this._clock(event.data.server_now);
    if (event.op === "participant.role" && event.data.id === this.me?.id) this.me = { ...this.me, role: event.data.role };
    if (event.op === "participant.remove" && event.data.id === this.me?.id) this.removed = true;
    this.dispatchEvent(new CustomEvent("op", { detail: event }));
    const entry = event.client_op_id && this.outbox.find((e) => e.client_op_id === event.client_op_id);
    if (entry) {
      if (entry.op === "note.add" && event.data?.id !== undefined) this._rememberId(entry.client_op_id, event.data.id);
      entry.status = "acked";
      entry.seq = event.seq;
    }
    this._absorb();
  }

  _clock(serverNow) {
    this.serverNow = { server: serverNow, local: Date.now() };
    this.dispatchEvent(new CustomEvent("clock", { detail: serverNow }));
  }

  _receiveError(message) {
    const entry = this.outbox.find((e) => e.client_op_id === message.client_op_id);
    if (!entry) return;
    // rate_limited, unavailable: the same op is fine a moment later. Anything else (invalid,
    // forbidden, not_found, too_large) would fail the same way every time.
    if (message.code === "rate_limited" || message.code === "unavailable") {
      entry.status = "queued";
      clearTimeout(this.timers.flush);
      this.timers.flush = setTimeout(() => this._flush(), this.retryMs);
      this._changed();
      return;
    }
    this._drop(entry);
    this._changed();
    this.dispatchEvent(new CustomEvent("rejected", { detail: { entry, code: message.code, message: message.message } }));
    this._flush();
  }

  /** Acked entries leave the outbox once the state has their seq (no flicker in between). */
  _absorb() {
    this._saveStateSoon();
    const seq = this.state ? this.state.seq : -1;
    this.outbox = this.outbox.filter((e) => !(e.status === "acked" && e.seq <= seq));
    this._changed();
    this._flush();
  }

  // --- to the server -----------------------------------------------------------------

  _flush() {
    if (!this._isOpen()) return;
    let inFlight = this.outbox.filter((e) => e.status === "sent").length;
    for (const entry of [...this.outbox]) {
      if (inFlight >= MAX_IN_FLIGHT) break;
      if (entry.status !== "queued") continue;
      const data = this._resolved(entry);
      if (data === null) {
        this._drop(entry); // it refers to a note whose add was refused
        this._changed();
        continue;
      }
      if (data === undefined) break; // waits for the add it refers to; keeps order
      if (!this._send({ type: "op", op: entry.op, client_op_id: entry.client_op_id, data })) break;
      entry.status = "sent";
      entry.everSent = true;
      inFlight += 1;
    }
    this._save();
  }

  /** The entry's data with pending refs replaced; undefined: not yet; null: never. */
  _resolved(entry) {
    const data = entry.data || {};
    if (!isPendingId(data.id)) return data;
    const id = resolveId(data.id, this.ids);
    if (!isPendingId(id)) return { ...data, id };
    const cid = data.id.slice(8);
    const add = this.outbox.find((e) => e.client_op_id === cid);
    if (!add) return null;
    return undefined;
  }

  _send(message) {
    if (!this._isOpen()) return false;
    try {
      this.ws.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  _isOpen() {
    return this.ws && this.ws.readyState === 1 && this.status === "live";
  }

  _ping() {
    if (this._send({ type: "ping" })) this.lastPing = Date.now();
  }

  _watchdog() {
    if (!this._isOpen()) return;
    const quiet = Date.now() - this.lastHeard;
    if (quiet > DEAD_AFTER_MS) this._reconnectNow();
    else if (quiet > PING_AFTER_MS && Date.now() - this.lastPing > PING_AFTER_MS) this._ping();
  }

  // --- connection ------------------------------------------------------------------

  _requeue() {
    for (const entry of this.outbox) if (entry.status === "sent") entry.status = "queued";
  }

  _dropSocket() {
    const socket = this.ws;
    this.ws = null;
    this._requeue();
    if (socket) {
      try {
        socket.close();
      } catch {
        /* already closed */
      }
    }
  }

  /** "websocket" or "event-stream" (the fallback where sockets are blocked). */
  get transport() {
    return this.transports.current;
  }

  _transportChanged() {
    this.attempts = 0;
    this.dispatchEvent(new CustomEvent("status", { detail: this.status }));
    this._reconnectNow();
  }

  _reconnectNow() {
    if (this.manualOffline || this.fatal) return;
    this.connect();
  }

  _scheduleReconnect() {
    if (this.manualOffline || this.fatal) return;
    this.attempts += 1;
    this._setStatus(this._waitingStatus());
    const base = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (this.attempts - 1));
    const delay = base * (0.5 + Math.random() * 0.5);
    clearTimeout(this.timers.reconnect);
    this.timers.reconnect = setTimeout(() => this.connect(), delay);
  }

  /** What to call the time until the socket is open again. */
  _waitingStatus() {
    if (globalThis.navigator?.onLine === false || this.attempts > 3) return "offline";
    return this.attempts === 0 && !this.state ? "connecting" : "reconnecting";
  }

  _browserOffline() {
    if (this.manualOffline || this.fatal) return;
    // An open socket can outlive the network for minutes before it notices.
    this._dropSocket();
    this._scheduleReconnect();
  }

  _browserOnline() {
    if (this.manualOffline || this.fatal) return;
    this.attempts = 0;
    this.connect();
  }

  _setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.dispatchEvent(new CustomEvent("status", { detail: status }));
  }

  // --- outbox bookkeeping ----------------------------------------------------------

  _drop(entry) {
    const ref = pendingId(entry.client_op_id);
    this.outbox = this.outbox.filter((e) => e !== entry && !(entry.op === "note.add" && e.data?.id === ref));
  }

  _rememberId(cid, id) {
    this.ids[cid] = id;
    this._byNote = null;
    const keys = Object.keys(this.ids);
    if (keys.length > MAX_REMEMBERED_IDS) delete this.ids[keys[0]];
  }

  _changed() {
    this._save();
    this.dispatchEvent(new CustomEvent("change"));
  }

  _save() {
    try {
      if (this.outbox.length) {
        const entries = this.outbox.map(({ client_op_id, op, data, status, seq, everSent }) => ({
          client_op_id,
          op,
          data,
          status: status === "sent" ? "queued" : status,
          seq,
          everSent,
        }));
        this.storage.setItem(this.storageKey, JSON.stringify({ entries, ids: this.ids }));
      } else {
        this.storage.removeItem(this.storageKey);
      }
    } catch {
      /* storage full or disabled: the outbox still lives in memory */
    }
  }

  _saveStateSoon() {
    if (this.timers.saveState) return;
    this.timers.saveState = setTimeout(() => {
      this.timers.saveState = null;
      this._saveState();
    }, 1_000);
  }

  _saveState() {
    try {
      if (this.state) this.stateStorage.setItem(this.stateKey, JSON.stringify(this.state));
    } catch {
      /* a board too big for storage is simply not kept offline */
    }
  }

  _load() {
    try {
      const state = JSON.parse(this.stateStorage.getItem(this.stateKey) || "null");
      if (state && Number.isInteger(state.seq) && Array.isArray(state.notes)) this.state = state;
    } catch {
      this.state = null;
    }
    try {
      const saved = JSON.parse(this.storage.getItem(this.storageKey) || "null");
      if (saved && Array.isArray(saved.entries)) {
        this.outbox = saved.entries.map((e) => ({ ...e, status: e.status === "acked" ? "acked" : "queued" }));
        this.ids = saved.ids || {};
        this._byNote = null;
      }
    } catch {
      this.outbox = [];
    }
  }
}
