"""Faults the per-process hub (boards/fanout.py) must survive: a database error in
its heartbeat, its loop dying outright, a consumer that crashes, a channel layer
that refuses messages (ChannelFull)."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer
from django.db import OperationalError

from boards import consumers, fanout
from boards.ops import apply_op_request
from tests.boards.ws import connect, heartbeat_seq, next_frame, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


async def add_unpublished(board, participant, text):
    """A note whose broadcast is lost: only the log and the heartbeat can bring it."""
    from boards import broadcast

    def apply():
        original = broadcast.publish
        broadcast.publish = lambda board_id, event: None
        try:
            return apply_op_request(board.id, participant.id, "note.add", {"section": "says", "text": text})
        finally:
            broadcast.publish = original

    return await database_sync_to_async(apply)()


async def test_heartbeats_and_repair_go_on_after_a_database_error(
    board, guest, second_guest, settings, monkeypatch
):
    settings.WS_HEARTBEAT_SECONDS = 1
    real_seq, failures = fanout._board_seq, []

    def flaky(board_id):
        if len(failures) < 2:
            failures.append(board_id)
            raise OperationalError("the database went away")
        return real_seq(board_id)

    monkeypatch.setattr(fanout, "_board_seq", flaky)
    ws = await connect(board.id, second_guest.token)
    await next_frame(ws, "snapshot")
    await add_unpublished(board, guest, "lost in the layer")
    frame = await next_frame(ws, "op", timeout=8)
    assert (frame["seq"], frame["data"]["text"]) == (1, "lost in the layer")
    assert len(failures) == 2  # it did fail, twice, and went on
    assert heartbeat_seq(await next_frame(ws, "heartbeat", timeout=3)) == 1
    await ws.disconnect()


class Crash(BaseException):
    """Not an Exception: nothing in the loop catches it, so the task dies."""


async def test_a_beat_loop_that_dies_is_restarted(board, guest, second_guest, settings, monkeypatch):
    settings.WS_HEARTBEAT_SECONDS = 1
    real_beat, deaths = fanout.BoardHub._beat, []

    async def dying(self, **kwargs):
        if not deaths:
            deaths.append(1)
            raise Crash()
        return await real_beat(self, **kwargs)

    monkeypatch.setattr(fanout.BoardHub, "_beat", dying)
    ws = await connect(board.id, second_guest.token)
    await next_frame(ws, "snapshot")
    await add_unpublished(board, guest, "after the crash")
    frame = await next_frame(ws, "op", timeout=8)
    assert deaths == [1] and frame["data"]["text"] == "after the crash"
    assert heartbeat_seq(await next_frame(ws, "heartbeat", timeout=3)) == 1
    await ws.disconnect()


async def test_a_crashed_consumer_leaves_the_hub_and_others_presence(board, guest, second_guest, monkeypatch):
    async def crash(self, message):
        raise RuntimeError("a bug in a handler")

    jo = await connect(board.id, guest.token)
    await next_frame(jo, "snapshot")
    ravi = await connect(board.id, second_guest.token)
    await next_frame(ravi, "snapshot")
    for _ in range(10):
        if (await next_frame(ravi, "presence"))["count"] == 2:
            break
    assert fanout.local_connections(board.id) == 2
    monkeypatch.setattr(consumers.BoardConsumer, "_receive_typing", crash)
    await send(jo, {"type": "typing", "section": "says"})
    with pytest.raises(RuntimeError):  # the consumer died of it (daphne: close 1011)
        while True:
            await jo.receive_output(timeout=2)
    assert fanout.local_connections(board.id) == 1
    while (presence := await next_frame(ravi, "presence"))["count"] != 1:
        pass
    assert [p["name"] for p in presence["participants"]] == [second_guest.display_name]
    assert consumers._sockets[guest.id] == 0
    await ravi.disconnect()
    assert fanout.local_connections(board.id) == 0


async def test_a_full_channel_layer_crashes_nobody(board, guest, second_guest, monkeypatch):
    layer = get_channel_layer()
    real_send = layer.group_send

    async def full(group, message):
        if message["type"].startswith("presence."):
            raise ChannelFull()
        return await real_send(group, message)

    monkeypatch.setattr(layer, "group_send", full)
    sockets = []
    for participant in (guest, second_guest, guest):
        ws = await connect(board.id, participant.token)
        await next_frame(ws, "snapshot")
        sockets.append(ws)
    await send(sockets[0], {"type": "typing", "section": "says"})
    await send(
        sockets[0],
        {"type": "op", "op": "note.add", "client_op_id": "c-1", "data": {"section": "says", "text": "x"}},
    )
    for ws in sockets:
        frame = await next_frame(ws, "op", "ack")
        if frame["type"] == "ack":  # the sender's ack may come first
            frame = await next_frame(ws, "op")
        assert frame["seq"] == 1
    await asyncio.sleep(0.3)
    for ws in sockets:
        await ws.disconnect()
    assert fanout.local_connections(board.id) == 0


async def test_an_op_during_a_database_error_gets_unavailable_and_the_socket_stays(board, guest, monkeypatch):
    from boards import batching

    real_apply, failures = batching._apply, []

    def failing_once(requests):
        if not failures:
            failures.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return real_apply(requests)

    monkeypatch.setattr(batching, "_apply", failing_once)
    ws = await connect(board.id, guest.token)
    await next_frame(ws, "snapshot")
    frame = {"type": "op", "op": "note.add", "client_op_id": "c-9", "data": {"section": "says", "text": "x"}}
    await send(ws, frame)
    error = await next_frame(ws, "error")
    assert (error["client_op_id"], error["code"]) == ("c-9", "unavailable")
    # The outbox sends it again a moment later; while this process backs off the
    # database (consumers.DATABASE_BACKOFF_SECONDS) the answer is `unavailable` at once.
    for _ in range(20):
        await asyncio.sleep(0.5)
        await send(ws, frame)
        answer = await next_frame(ws, "ack", "op", "error")
        if answer["type"] == "error":
            assert answer["code"] == "unavailable"
            continue
        if answer["type"] == "op":
            answer = await next_frame(ws, "ack")
        break
    assert answer["type"] == "ack" and answer["seq"] == 1
    await ws.disconnect()
