"""A bare WebSocket broadcast relay: the floor a Python ASGI server reaches here.

No auth, no validation, no database: it speaks just enough of the Resonance
wire protocol (docs/protocol.md) for bench/loadgen.py to
drive it exactly as it drives Resonance:

- `/ws/boards/<id>/`: on connect a `snapshot` with the room's current seq;
- an `op` frame takes `seq = room.seq + 1`, goes to everyone in the room
  (sender included) as `{"type": "op", "seq": ..., ...}`, then an `ack`
  to the sender;
- a `heartbeat` with the room's seq every ~10 s (jittered, as Resonance must).

It is a plain ASGI app, so the same server (daphne by default, uvicorn too)
carries it and the server's own overhead is the same on both sides:

    daphne -b 127.0.0.1 -p 8001 bench.relay:application
    uvicorn --host 127.0.0.1 --port 8001 bench.relay:application

Every other HTTP path answers 200 "ok" so the harness can poll for readiness.
"""

import asyncio
import itertools
import json
import os
import random
import re

try:  # orjson is ~5x faster than json; the relay is meant to be the floor.
    import orjson

    def dumps(obj) -> str:
        return orjson.dumps(obj).decode()

    loads = orjson.loads
except ImportError:  # pragma: no cover - json works, just slower
    dumps = json.dumps
    loads = json.loads

HEARTBEAT_SECONDS = 10.0

# Fault injection, only to prove that the load generator's checks catch faults
# (bench/selftest.py): drop / duplicate every Nth delivery. 0 = off (the default).
DROP_EVERY = int(os.environ.get("RELAY_DROP_EVERY", "0"))
DUPLICATE_EVERY = int(os.environ.get("RELAY_DUPLICATE_EVERY", "0"))
_deliveries = itertools.count(1)
BOARD_PATH = re.compile(r"^/ws/boards/(\d+)/$")
SECTIONS = ["says", "thinks", "does", "feels"]


class Room:
    """One board: a seq counter and the outboxes of everyone connected."""

    def __init__(self, board_id: int):
        self.board_id = board_id
        self.seq = 0
        self.outboxes: set[asyncio.Queue] = set()


ROOMS: dict[int, Room] = {}


def room_for(board_id: int) -> Room:
    room = ROOMS.get(board_id)
    if room is None:
        room = ROOMS[board_id] = Room(board_id)
    return room


def apply_op(room: Room, frame: dict, actor: dict) -> tuple[str, str]:
    """Number an op and enqueue it to the whole room; returns (op text, ack text).

    There is no await between taking the seq and enqueueing to every outbox,
    so each connection sees the room's ops in seq order, as Resonance's G3
    requires. One serialisation per op, shared by all recipients.
    """
    room.seq += 1
    data = dict(frame.get("data") or {})
    data.setdefault("id", room.seq)
    message = dumps(
        {
            "type": "op",
            "seq": room.seq,
            "op": frame.get("op"),
            "client_op_id": frame.get("client_op_id"),
            "actor": actor,
            "data": data,
        }
    )
    for outbox in room.outboxes:
        if DROP_EVERY or DUPLICATE_EVERY:
            n = next(_deliveries)
            if DROP_EVERY and n % DROP_EVERY == 0:
                continue
            if DUPLICATE_EVERY and n % DUPLICATE_EVERY == 0:
                outbox.put_nowait(message)
        outbox.put_nowait(message)
    ack = dumps({"type": "ack", "client_op_id": frame.get("client_op_id"), "seq": room.seq})
    return message, ack


async def writer(send, outbox: asyncio.Queue) -> None:
    """Drain one connection's outbox; like a Channels consumer's own task.

    A per-connection queue (rather than awaiting every peer's send inside the
    sender's task) keeps one slow socket from stalling the room, and keeps order.
    """
    while True:
        text = await outbox.get()
        if text is None:
            return
        await send({"type": "websocket.send", "text": text})


async def heartbeat(room: Room, outbox: asyncio.Queue) -> None:
    # Jitter, so heartbeats of connections opened together don't fire together.
    await asyncio.sleep(random.uniform(0, HEARTBEAT_SECONDS))
    while True:
        outbox.put_nowait(dumps({"type": "heartbeat", "seq": room.seq}))
        await asyncio.sleep(HEARTBEAT_SECONDS * random.uniform(0.9, 1.1))


async def websocket_app(scope, receive, send) -> None:
    match = BOARD_PATH.match(scope["path"])
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    if not match:
        await send({"type": "websocket.close", "code": 4004})
        return
    room = room_for(int(match.group(1)))
    await send({"type": "websocket.accept"})

    outbox: asyncio.Queue = asyncio.Queue()
    # The snapshot is queued before the connection joins the room, with no await
    # in between: it carries exactly the seq after which this socket's ops start.
    board = {"id": room.board_id, "kind": "empathy-map", "sections": [{"key": k} for k in SECTIONS]}
    outbox.put_nowait(dumps({"type": "snapshot", "seq": room.seq, "board": board}))
    room.outboxes.add(outbox)
    actor = {"id": id(outbox), "display_name": "relay"}
    tasks = [asyncio.create_task(writer(send, outbox)), asyncio.create_task(heartbeat(room, outbox))]
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                break
            if message["type"] != "websocket.receive":
                continue
            try:
                frame = loads(message.get("text") or message.get("bytes") or b"")
            except ValueError:
                continue
            if isinstance(frame, dict) and frame.get("type") == "op":
                _, ack = apply_op(room, frame, actor)
                outbox.put_nowait(ack)
    finally:
        room.outboxes.discard(outbox)
        for task in tasks:
            task.cancel()


async def http_app(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


async def lifespan_app(scope, receive, send) -> None:
    # uvicorn sends lifespan events; daphne does not. Nothing to set up.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope, receive, send) -> None:
    if scope["type"] == "websocket":
        await websocket_app(scope, receive, send)
    elif scope["type"] == "http":
        await http_app(scope, receive, send)
    elif scope["type"] == "lifespan":
        await lifespan_app(scope, receive, send)
