"""Ops over the socket: acks, broadcasts, errors that change nothing (G2, G4, G6)."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from boards import consumers
from boards.models import Note, Op, Participant, ParticipantRole
from tests.boards.ws import connect, next_frame, no_frame, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


def op(kind, client_op_id, **data):
    return {"type": "op", "op": kind, "client_op_id": client_op_id, "data": data}


async def two_sockets(board, a, b):
    first, second = await connect(board.id, a.token), await connect(board.id, b.token)
    await next_frame(first, "snapshot")
    await next_frame(second, "snapshot")
    return first, second


async def test_an_op_is_acked_to_its_sender_and_sent_to_everyone(board, guest, second_guest):
    jo, ravi = await two_sockets(board, guest, second_guest)
    await send(jo, op("note.add", "c-1", section="says", text="Needs it by Monday"))
    frames = [await next_frame(jo, "ack", "op"), await next_frame(jo, "ack", "op")]
    assert {f["type"] for f in frames} == {"ack", "op"}
    ack = next(f for f in frames if f["type"] == "ack")
    assert ack == {"type": "ack", "client_op_id": "c-1", "seq": 1}
    seen = await next_frame(ravi, "op")
    assert seen["seq"] == 1 and seen["op"] == "note.add" and seen["client_op_id"] == "c-1"
    assert seen["data"]["text"] == "Needs it by Monday"
    assert seen["actor"]["name"] == "Jo"
    assert await database_sync_to_async(Note.objects.count)() == 1
    await jo.disconnect()
    await ravi.disconnect()


async def test_a_resent_op_is_acked_with_its_original_seq_and_not_applied_twice(board, guest, second_guest):
    jo, ravi = await two_sockets(board, guest, second_guest)
    await send(jo, op("note.add", "c-1", section="says", text="once"))
    await next_frame(ravi, "op")
    await send(jo, op("note.add", "c-1", section="says", text="once"))
    acks = []
    while len(acks) < 2:
        frame = await next_frame(jo, "ack", "op")
        if frame["type"] == "ack":
            acks.append(frame["seq"])
    assert acks == [1, 1]
    assert await no_frame(ravi, "op")
    assert await database_sync_to_async(Note.objects.count)() == 1
    await jo.disconnect()
    await ravi.disconnect()


@pytest.mark.parametrize(
    "payload, code",
    [
        (op("note.fly", "c-9"), "invalid"),
        (op("note.add", "c-9"), "invalid"),
        (op("note.add", "c-9", section="nowhere"), "invalid"),
        (op("note.add", "c-9", section="says", text="x" * 2001), "invalid"),
        (op("note.update", "c-9", id=123456, text="x"), "not_found"),
        ({"type": "op", "op": "note.add", "client_op_id": "c-9", "data": "says"}, "invalid"),
        ({"type": "dance", "client_op_id": "c-9"}, "invalid"),
    ],
)
async def test_a_bad_op_gets_an_error_naming_it_and_the_socket_stays_open(
    board, guest, second_guest, payload, code
):
    jo, ravi = await two_sockets(board, guest, second_guest)
    await send(jo, payload)
    error = await next_frame(jo, "error")
    assert error["code"] == code
    assert error["client_op_id"] == "c-9"
    assert error["message"]
    assert await no_frame(ravi, "op")
    assert await database_sync_to_async(Op.objects.count)() == 0
    await send(jo, op("note.add", "c-10", section="says"))
    assert (await next_frame(jo, "ack", "op"))["seq"] == 1
    await jo.disconnect()
    await ravi.disconnect()


async def test_malformed_json_gets_an_error_and_the_socket_stays_open(board, guest):
    ws = await connect(board.id, guest.token)
    await next_frame(ws, "snapshot")
    await ws.send_to(text_data="{not json")
    error = await next_frame(ws, "error")
    assert error["code"] == "invalid" and error["client_op_id"] is None
    await ws.send_to(text_data="[1, 2]")
    assert (await next_frame(ws, "error"))["code"] == "invalid"
    await send(ws, op("note.add", "c-1", section="says"))
    assert (await next_frame(ws, "ack", "op"))["seq"] == 1
    await ws.disconnect()


async def test_a_stream_of_garbage_closes_the_socket_with_4002(board, guest):
    ws = await connect(board.id, guest.token)
    await next_frame(ws, "snapshot")
    for _ in range(25):
        await ws.send_to(text_data="garbage")
    codes = []
    while not codes:
        message = await ws.receive_output(timeout=2)
        if message["type"] == "websocket.close":
            codes.append(message["code"])
    assert codes == [4002]


async def test_a_frame_over_64_kib_closes_the_socket_with_4009(board, guest, second_guest):
    jo, ravi = await two_sockets(board, guest, second_guest)
    await jo.send_to(text_data=json.dumps(op("note.add", "c-1", section="says", text="x" * (65 * 1024))))
    message = await jo.receive_output(timeout=2)
    while message["type"] != "websocket.close":
        message = await jo.receive_output(timeout=2)
    assert message["code"] == 4009
    assert await no_frame(ravi, "op")
    assert await database_sync_to_async(Note.objects.count)() == 0
    await ravi.disconnect()


async def test_flooding_is_rate_limited_then_closed_with_4008(board, guest, second_guest, monkeypatch):
    # No refill during the test, so what gets through does not depend on how fast this machine is.
    monkeypatch.setattr(consumers, "OP_RATE_PER_SECOND", 0.0)
    jo, ravi = await two_sockets(board, guest, second_guest)
    for i in range(400):
        await send(jo, op("note.add", f"c-{i}", section="says"))
    rate_limited, closed_with = 0, None
    while closed_with is None:
        message = await jo.receive_output(timeout=5)
        if message["type"] == "websocket.close":
            closed_with = message["code"]
        else:
            frame = json.loads(message["text"])
            rate_limited += frame.get("code") == "rate_limited"
    assert closed_with == 4008
    assert rate_limited == consumers.MAX_RATE_LIMITED
    # The burst went through (ops read before the close are still applied,
    # in the background); the flood did not.
    count = database_sync_to_async(Note.objects.count)
    for _ in range(200):
        if await count() >= consumers.OP_BURST:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)
    assert await count() == consumers.OP_BURST
    # Ravi is undisturbed: still connected, seeing the ops that were applied.
    first = await next_frame(ravi, "op")
    assert first["seq"] == 1
    await ravi.disconnect()


async def test_an_observer_writing_gets_forbidden(board, guest):
    await database_sync_to_async(Participant.objects.filter(id=guest.id).update)(
        role=ParticipantRole.OBSERVER
    )
    ws = await connect(board.id, guest.token)
    await next_frame(ws, "snapshot")
    await send(ws, op("note.add", "c-1", section="says"))
    error = await next_frame(ws, "error")
    assert (error["code"], error["client_op_id"]) == ("forbidden", "c-1")
    assert await database_sync_to_async(Note.objects.count)() == 0
    await ws.disconnect()


async def test_typing_hints_reach_the_others(board, guest, second_guest):
    jo, ravi = await two_sockets(board, guest, second_guest)
    await send(jo, {"type": "typing", "section": "feels"})
    hint = await next_frame(ravi, "typing")
    assert hint["section"] == "feels" and hint["participant"]["name"] == "Jo"
    assert await no_frame(jo, "typing")
    await jo.disconnect()
    await ravi.disconnect()
