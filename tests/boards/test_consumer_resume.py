"""Every connection gets every op after its state exactly once, in order (G3)."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from boards import broadcast, fanout
from boards.ops import apply_op_request
from tests.boards.ws import connect, heartbeat_seq, next_frame, no_frame, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


@database_sync_to_async
def add_notes(board, actor, texts, published=True):
    """Applies note.add ops; with published=False their broadcasts are lost, as a lossy layer may."""
    original = broadcast.publish
    if not published:
        broadcast.publish = lambda board_id, event: None
    try:
        return [
            apply_op_request(board.id, actor.id, "note.add", {"section": "says", "text": text}).event
            for text in texts
        ]
    finally:
        broadcast.publish = original


async def test_since_replays_the_ops_after_it_then_a_heartbeat(board, guest):
    await add_notes(board, guest, ["a", "b", "c"])
    ws = await connect(board.id, guest.token, query="since=1")
    assert [(await next_frame(ws, "op"))["data"]["text"] for _ in range(2)] == ["b", "c"]
    assert heartbeat_seq(await next_frame(ws, "heartbeat")) == 3
    await ws.disconnect()


async def test_since_equal_to_the_board_seq_sends_nothing_but_a_heartbeat(board, guest):
    await add_notes(board, guest, ["a"])
    ws = await connect(board.id, guest.token, query="since=1")
    assert heartbeat_seq(await next_frame(ws, "op", "heartbeat", "snapshot")) == 1
    await ws.disconnect()


@pytest.mark.parametrize("since", ["7", "-1", "abc", ""])
async def test_a_since_ahead_of_the_board_or_unreadable_gets_a_snapshot(board, guest, since):
    await add_notes(board, guest, ["a", "b"])
    ws = await connect(board.id, guest.token, query=f"since={since}")
    frame = await next_frame(ws, "op", "heartbeat", "snapshot")
    assert frame["type"] == "snapshot" and frame["seq"] == 2
    await ws.disconnect()


async def test_a_since_too_far_back_gets_a_snapshot(board, guest, monkeypatch):
    monkeypatch.setattr(fanout, "REPLAY_LIMIT", 2)
    await add_notes(board, guest, ["a", "b", "c"])
    ws = await connect(board.id, guest.token, query="since=0")
    frame = await next_frame(ws, "op", "heartbeat", "snapshot")
    assert frame["type"] == "snapshot" and len(frame["board"]["notes"]) == 3
    await ws.disconnect()


async def test_a_gap_is_filled_from_the_log_before_the_next_op(board, guest, second_guest):
    ws = await connect(board.id, second_guest.token)
    await next_frame(ws, "snapshot")
    await add_notes(board, guest, ["lost 1", "lost 2"], published=False)
    await add_notes(board, guest, ["arrives"])
    frames = [await next_frame(ws, "op") for _ in range(3)]
    assert [(f["seq"], f["data"]["text"]) for f in frames] == [(1, "lost 1"), (2, "lost 2"), (3, "arrives")]
    assert await no_frame(ws, "op")
    await ws.disconnect()


async def test_late_and_repeated_broadcasts_are_not_delivered_twice(board, guest, second_guest):
    ws = await connect(board.id, second_guest.token)
    await next_frame(ws, "snapshot")
    events = await add_notes(board, guest, ["a", "b"])
    assert [(await next_frame(ws, "op"))["seq"] for _ in range(2)] == [1, 2]
    layer = get_channel_layer()
    for event in events:  # the layer delivers them again, late
        await layer.group_send(broadcast.group_name(board.id), broadcast.op_message(event))
    assert await no_frame(ws, "op")
    await ws.disconnect()


async def test_an_op_in_the_previous_releases_message_form_is_delivered(board, guest, second_guest):
    """During a rolling deploy, older processes still send {"event": {...}} through Redis."""
    ws = await connect(board.id, second_guest.token)
    await next_frame(ws, "snapshot")
    [event] = await add_notes(board, guest, ["from an old process"], published=False)
    layer = get_channel_layer()
    await layer.group_send(broadcast.group_name(board.id), {"type": "board.op", "event": event})
    frame = await next_frame(ws, "op")
    assert (frame["seq"], frame["data"]["text"]) == (1, "from an old process")
    await ws.disconnect()


async def test_the_heartbeat_repairs_a_lost_last_op(board, guest, second_guest, settings):
    settings.WS_HEARTBEAT_SECONDS = 1
    ws = await connect(board.id, second_guest.token)
    await next_frame(ws, "snapshot")
    await add_notes(board, guest, ["the last of a burst"], published=False)
    frame = await next_frame(ws, "op", timeout=3)
    assert (frame["seq"], frame["data"]["text"]) == (1, "the last of a burst")
    assert heartbeat_seq(await next_frame(ws, "heartbeat", timeout=3)) == 1
    await ws.disconnect()


async def test_a_ping_is_answered_with_the_missing_ops_and_a_heartbeat(board, guest, second_guest):
    ws = await connect(board.id, second_guest.token)
    await next_frame(ws, "snapshot")
    await add_notes(board, guest, ["quiet"], published=False)
    await send(ws, {"type": "ping"})
    assert (await next_frame(ws, "op"))["seq"] == 1
    assert heartbeat_seq(await next_frame(ws, "heartbeat")) == 1
    await ws.disconnect()
