// The fallback transport: where WebSockets are blocked (some proxies, guest Wi-Fi),
// the board comes down as server-sent events and ops go up as POSTs.
//
// EventStreamSocket looks like the WebSocket that sync.js uses (readyState, send,
// close, onopen/onmessage/onclose), so the sync module, its outbox and its
// client_op_ids stay the same on both transports (docs/protocol.md, "The event
// stream"):
// - GET /api/v1/boards/{id}/events/?since=S gives the same frames as the socket,
//   one event each (`event:` its type, `data:` its JSON);
// - an op is POSTed to /api/v1/boards/{id}/ops/ with the CSRF token; the answer
//   is handed on as the `ack` or `error` frame the socket would have sent. A POST
//   that gets no answer is handed on as `unavailable`: the outbox sends it again
//   with the same client_op_id, and the server answers it once (G4);
// - typing hints and pings have no way up and are dropped (heartbeats still come).
//
// Reconnecting is left to sync.js (with `since`, like the socket): the browser's own
// EventSource retry is stopped at the first error.

const FRAME_TYPES = ["snapshot", "op", "heartbeat", "presence", "typing", "error"];
// The close code a socket would have given for the HTTP status the stream was refused with.
const CLOSE_FOR_STATUS = { 401: 4001, 403: 4003, 404: 4004 };

function cookie(name) {
  const found = (globalThis.document?.cookie || "").split("; ").find((c) => c.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
}

/** The event stream's URL for a board (query added by the caller). */
export function eventsUrl(boardId) {
  return `/api/v1/boards/${boardId}/events/`;
}

export class EventStreamSocket {
  constructor(url, { boardId, fetchFn = globalThis.fetch?.bind(globalThis), EventSourceClass = globalThis.EventSource } = {}) {
    this.readyState = 0;
    this.boardId = boardId;
    this.fetch = fetchFn;
    this.opsUrl = `/api/v1/boards/${boardId}/ops/`;
    this.streamUrl = url;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    this.source = new EventSourceClass(url, { withCredentials: true });
    this.source.onopen = () => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.onopen?.({});
    };
    for (const type of FRAME_TYPES) {
      this.source.addEventListener(type, (event) => {
        if (event.data === undefined) return; // the EventSource's own "error" (below)
        if (this.readyState !== 1) return;
        if (type === "error") {
          const frame = JSON.parse(event.data);
          if (frame.code === "forbidden") return this._closed(4003); // removed from the workshop
        }
        this.onmessage?.({ data: event.data });
      });
    }
    this.source.onerror = () => this._failed();
  }

  send(text) {
    if (this.readyState !== 1) throw new Error("the event stream is not open");
    const message = JSON.parse(text);
    if (message.type !== "op") return; // typing, ping: nothing to carry them up
    this._post(message);
  }

  close() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.source.close();
  }

  async _post(message) {
    const frame = await this._answer(message);
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(frame) });
  }

  async _answer({ op, client_op_id, data }) {
    try {
      const response = await this.fetch(this.opsUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") },
        body: JSON.stringify({ op, client_op_id, data }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) return { type: "ack", client_op_id, seq: body.seq };
      if (response.status >= 500 || !body.code) return { type: "error", client_op_id, code: "unavailable", message: "" };
      return { type: "error", client_op_id, code: body.code, message: body.message };
    } catch {
      return { type: "error", client_op_id, code: "unavailable", message: "" };
    }
  }

  async _failed() {
    if (this.readyState === 3) return;
    const neverOpened = this.readyState === 0;
    this.source.close();
    let code = 1006;
    if (neverOpened && this.fetch) {
      // An EventSource does not say why it was refused: ask once, and stop reading at the headers.
      const abort = new AbortController();
      try {
        const response = await this.fetch(this.streamUrl, { credentials: "same-origin", signal: abort.signal });
        code = CLOSE_FOR_STATUS[response.status] ?? 1006;
      } catch {
        /* the network: an ordinary reconnect */
      }
      abort.abort();
    }
    this._closed(code);
  }

  _closed(code) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.source.close();
    this.onclose?.({ code });
  }
}

/**
 * When to leave the WebSocket for the event stream, and when to try it again.
 *
 * A WebSocket that fails to open `failuresBeforeFallback` times in a row, or
 * is cut within `cutSoonMs` of opening (a proxy that lets the upgrade through
 * and then kills it), counts as blocked: the page goes on over the event
 * stream and tries the socket again every `retryWebSocketMs`. A failure while
 * the browser says it is offline is the network, not a proxy, and not counted.
 */
export class TransportChooser {
  constructor({ failuresBeforeFallback = 3, cutSoonMs = 3_000, retryWebSocketMs = 180_000, available = true, onRetry = null } = {}) {
    this.failuresBeforeFallback = failuresBeforeFallback;
    this.cutSoonMs = cutSoonMs;
    this.retryWebSocketMs = retryWebSocketMs;
    this.available = available;
    this.onRetry = onRetry;
    this.current = "websocket";
    this.failures = 0;
    this.openedAt = null;
    this.timer = null;
  }

  opened() {
    this.openedAt = Date.now();
  }

  /** A connection closed (not for good): true when the transport changed and it should connect again now. */
  closed() {
    const lived = this.openedAt === null ? 0 : Date.now() - this.openedAt;
    this.openedAt = null;
    if (this.current !== "websocket" || !this.available) return false;
    if (lived >= this.cutSoonMs) {
      this.failures = 0;
      return false;
    }
    if (globalThis.navigator?.onLine === false) return false;
    this.failures += 1;
    if (this.failures < this.failuresBeforeFallback) return false;
    this.current = "event-stream";
    this.failures = 0;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this._retry(), this.retryWebSocketMs);
    return true;
  }

  _retry() {
    // One more failure and it is back on the event stream.
    this.current = "websocket";
    this.failures = this.failuresBeforeFallback - 1;
    this.onRetry?.();
  }

  stop() {
    clearTimeout(this.timer);
  }
}
