"""Socket limits (docs/protocol.md, "Limits"): every frame kind is rate-limited, a
participant's sockets and ops are capped, and a socket's inbound queue is bounded."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from boards import batching, consumers
from boards.models import Note
from tests.boards.ws import close_code, connect, next_frame, send, socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


def op(client_op_id, text="x"):
    return {
        "type": "op",
        "op": "note.add",
        "client_op_id": client_op_id,
        "data": {"section": "says", "text": text},
    }


async def frames_until_close(ws, timeout=5):
    """Every frame up to the close, and the close code."""
    frames = []
    while True:
        message = await ws.receive_output(timeout=timeout)
        if message["type"] == "websocket.close":
            return frames, message["code"]
        frames.append(json.loads(message["text"]))


async def count_frames(ws, kind, wait=0.6):
    """How many frames of one type arrive until nothing has come for `wait` seconds."""
    count = 0
    while not await ws.receive_nothing(timeout=wait, interval=0.02):
        message = await ws.receive_output(timeout=1)
        assert message["type"] == "websocket.send", message
        count += json.loads(message["text"])["type"] == kind
    return count


async def answers(ws, n):
    """The next n acks and errors, skipping the ops broadcast meanwhile."""
    found = []
    while len(found) < n:
        frame = await next_frame(ws, "ack", "error", "op")
        if frame["type"] != "op":
            found.append(frame)
    return found


async def test_typing_past_its_rate_is_dropped_then_the_socket_closed(
    board, guest, second_guest, monkeypatch
):
    monkeypatch.setattr(consumers, "TYPING_PER_SECOND", 0.0)
    jo = await connect(board.id, guest.token)
    await next_frame(jo, "snapshot")
    ravi = await connect(board.id, second_guest.token)
    await next_frame(ravi, "snapshot")
    for _ in range(consumers.MAX_RATE_LIMITED + consumers.TYPING_BURST + 1):
        await send(jo, {"type": "typing", "section": "says"})
    _, code = await frames_until_close(jo)
    assert code == consumers.CLOSE_FLOODING
    # Only the burst reached Ravi; he is still connected.
    assert 0 < await count_frames(ravi, "typing") <= consumers.TYPING_BURST
    await send(ravi, {"type": "ping"})
    assert (await next_frame(ravi, "heartbeat"))["type"] == "heartbeat"
    await ravi.disconnect()


async def test_pings_past_their_rate_get_no_answer(board, guest, monkeypatch):
    monkeypatch.setattr(consumers, "PING_PER_SECOND", 0.0)
    jo = await connect(board.id, guest.token)
    await next_frame(jo, "snapshot")
    for _ in range(consumers.PING_BURST + 10):
        await send(jo, {"type": "ping"})
    assert await count_frames(jo, "heartbeat") == consumers.PING_BURST
    await jo.disconnect()


async def test_a_participant_holds_at_most_ten_sockets(board, guest, second_guest):
    sockets = [await connect(board.id, guest.token) for _ in range(consumers.MAX_SOCKETS_PER_PARTICIPANT)]
    for ws in sockets:
        await next_frame(ws, "snapshot")
    assert await close_code(socket(board.id, guest.token)) == consumers.CLOSE_TOO_MANY_SOCKETS
    # Someone else still gets in, and a closed tab frees a place.
    other = await connect(board.id, second_guest.token)
    await next_frame(other, "snapshot")
    await sockets.pop().disconnect()
    again = await connect(board.id, guest.token)
    await next_frame(again, "snapshot")
    for ws in [*sockets, other, again]:
        await ws.disconnect()


async def test_ops_per_participant_are_capped_across_their_sockets(board, guest, monkeypatch):
    monkeypatch.setattr(consumers, "PARTICIPANT_OPS_PER_MINUTE", 6)
    monkeypatch.setattr(consumers, "OP_RATE_PER_SECOND", 0.0)
    tabs = [await connect(board.id, guest.token) for _ in range(2)]
    for ws in tabs:
        await next_frame(ws, "snapshot")
    for i in range(5):
        for n, ws in enumerate(tabs):
            await send(ws, op(f"c-{n}-{i}"))
    got = [a for ws in tabs for a in await answers(ws, 5)]
    assert sum(a["type"] == "ack" for a in got) == 6
    assert {a["code"] for a in got if a["type"] == "error"} == {"rate_limited"}
    assert await database_sync_to_async(Note.objects.count)() == 6
    for ws in tabs:
        await ws.disconnect()


async def test_a_full_inbound_queue_closes_the_socket(board, guest, second_guest, monkeypatch):
    monkeypatch.setattr(consumers, "INBOUND_QUEUE_FRAMES", 5)
    real_apply = batching.apply

    async def slow(*args):
        await asyncio.sleep(0.5)  # the database is slow today
        return await real_apply(*args)

    monkeypatch.setattr(batching, "apply", slow)
    jo = await connect(board.id, guest.token)
    await next_frame(jo, "snapshot")
    ravi = await connect(board.id, second_guest.token)
    await next_frame(ravi, "snapshot")
    for i in range(20):
        await send(jo, op(f"q-{i}"))
    _, code = await frames_until_close(jo)
    assert code == consumers.CLOSE_FLOODING
    # What was queued before the close is applied; the rest is not.
    await asyncio.sleep(4)
    assert 0 < await database_sync_to_async(Note.objects.count)() <= 6
    await send(ravi, {"type": "ping"})
    assert (await next_frame(ravi, "op", "heartbeat"))["type"] in {"op", "heartbeat"}
    await ravi.disconnect()


async def test_a_socket_that_does_not_read_is_cut_off_and_the_others_go_on(
    board, guest, second_guest, monkeypatch
):
    """Under a server whose send waits while the client's window is full (uvicorn), the
    frames for a client that never reads pile up: past the bound, 4008, and the hub
    never waited for it."""
    monkeypatch.setattr(consumers, "OUTBOUND_QUEUE_FRAMES", 5)
    stalled = asyncio.Event()  # never set: every write to Jo's client waits for good
    real_accept = consumers.BoardConsumer.accept

    async def accept_then_stall(self, *args, **kwargs):
        await real_accept(self, *args, **kwargs)
        if self.participant is not None and self.participant.id == guest.id:

            async def never_returns(message):
                await stalled.wait()

            self.frame_send = never_returns

    monkeypatch.setattr(consumers.BoardConsumer, "accept", accept_then_stall)
    jo = await connect(board.id, guest.token)
    ravi = await connect(board.id, second_guest.token)
    await next_frame(ravi, "snapshot")
    for i in range(10):
        await send(ravi, op(f"r-{i}"))
    seen = []
    while len(seen) < 10:
        frame = await next_frame(ravi, "op", "ack")
        if frame["type"] == "op":
            seen.append(frame["seq"])
    assert seen == list(range(1, 11))  # Ravi got every op in order, Jo's stall notwithstanding
    message = await jo.receive_output(timeout=5)
    assert message == {"type": "websocket.close", "code": consumers.CLOSE_FLOODING}
    await ravi.disconnect()
