// A thin board socket for the journey map, until the shared static/js/sync.js
// lands. The interface the journey page needs, and all it uses:
//
//   const sync = connect(boardId, { reduce })   // reduce(state, event) -> new state
//   sync.onState((state, event) => ...)         // after the snapshot (event null) and every op
//   sync.onStatus((status) => ...)              // "connecting" | "live" | "offline"
//   sync.sendOp(kind, data) -> Promise<seq>     // resolves on ack, rejects with {code, message}
//
// Ops wait in an outbox until acknowledged and are re-sent with the same
// client_op_id after a reconnect (the server answers a re-send with the
// original ack, G4). Reconnects ask for the ops after the last seq seen.

const RETRY_MS = [500, 1000, 2000, 4000, 8000];
const QUIET_MS = 15000;

export function connect(boardId, { reduce, canApply = () => true }) {
  let socket = null;
  let state = null;
  let attempts = 0;
  let heardAt = Date.now();
  const stateListeners = [];
  const statusListeners = [];
  const outbox = new Map(); // client_op_id -> {frame, resolve, reject}

  const setStatus = (status) => statusListeners.forEach((fn) => fn(status));
  const publish = (event) => stateListeners.forEach((fn) => fn(state, event));

  function open() {
    setStatus("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const since = state ? `?since=${state.seq}` : "";
    socket = new WebSocket(`${scheme}://${location.host}/ws/boards/${boardId}/${since}`);
    socket.addEventListener("open", () => {
      attempts = 0;
      heardAt = Date.now();
      setStatus("live");
      for (const { frame } of outbox.values()) socket.send(frame);
    });
    socket.addEventListener("message", (message) => {
      heardAt = Date.now();
      receive(JSON.parse(message.data));
    });
    socket.addEventListener("close", (event) => {
      setStatus("offline");
      if (event.code >= 4001 && event.code <= 4004) return; // not allowed here: retrying will not help
      const delay = RETRY_MS[Math.min(attempts++, RETRY_MS.length - 1)];
      setTimeout(open, delay * (0.8 + Math.random() * 0.4));
    });
  }

  function receive(message) {
    switch (message.type) {
      case "snapshot":
        state = { ...message.board, seq: message.seq };
        publish(null);
        break;
      case "op":
        if (!state || message.seq <= state.seq) return;
        if (message.seq !== state.seq + 1) {
          socket.close(); // a gap the server should never leave: start again from our seq
          return;
        }
        if (!canApply(message.op)) {
          state = null; // an op this page does not draw itself: start again from a snapshot
          socket.close();
          return;
        }
        state = reduce(state, message);
        publish(message);
        break;
      case "ack": {
        const pending = outbox.get(message.client_op_id);
        outbox.delete(message.client_op_id);
        if (pending) pending.resolve(message.seq);
        break;
      }
      case "error": {
        const pending = outbox.get(message.client_op_id);
        outbox.delete(message.client_op_id);
        if (pending) pending.reject({ code: message.code, message: message.message });
        else console.warn("board error", message);
        break;
      }
      case "heartbeat":
        if (state && message.seq > state.seq) socket.send(JSON.stringify({ type: "ping" }));
        break;
      default:
        break; // presence and typing: not used by the journey page yet
    }
  }

  // The server beats at least every 10 s; silence longer than that is a dead socket.
  setInterval(() => {
    if (socket && socket.readyState === WebSocket.OPEN && Date.now() - heardAt > QUIET_MS) {
      socket.send(JSON.stringify({ type: "ping" }));
      heardAt = Date.now();
    }
  }, 5000);

  open();

  return {
    onState(fn) {
      stateListeners.push(fn);
      if (state) fn(state, null);
    },
    onStatus(fn) {
      statusListeners.push(fn);
    },
    get state() {
      return state;
    },
    sendOp(kind, data) {
      const clientOpId = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
      const frame = JSON.stringify({ type: "op", op: kind, client_op_id: clientOpId, data });
      return new Promise((resolve, reject) => {
        outbox.set(clientOpId, { frame, resolve, reject });
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(frame);
      });
    },
  };
}
