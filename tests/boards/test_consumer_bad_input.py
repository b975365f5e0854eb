"""The socket: frames that used to close it with 1011 get an `error` frame, change nothing, keep it open."""

import pytest
from channels.db import database_sync_to_async

from boards.models import Note, Op
from tests.boards.ws import connect, next_frame, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def add_note(text_json: str) -> str:
    return (
        '{"type": "op", "op": "note.add", "client_op_id": "c-1", "data": {"section": "says", "text": '
        + text_json
        + "}}"
    )


@pytest.mark.parametrize(
    "frame",
    [
        add_note('"before\\u0000after"'),
        add_note('"lone \\ud800 surrogate"'),
        add_note('"\\udfff"'),
        add_note('"x", "deep": ' + nested(30000)),
        nested(30000),
        '{"type": "op", "op": "note.add", "data": {"section": "says", "text": "ok", "\\u0000": 1}}',
    ],
    ids=["nul", "lone-high-surrogate", "lone-low-surrogate", "30000-deep-inside", "30000-deep", "nul-key"],
)
async def test_a_bad_frame_gets_an_error_and_the_socket_stays_open(board, guest, frame):
    jo = await connect(board.id, guest.token)
    await next_frame(jo, "snapshot")
    await jo.send_to(text_data=frame)
    error = await next_frame(jo, "error")
    assert error["code"] == "invalid" and error["message"]
    assert not await database_sync_to_async(Op.objects.exists)()
    # Still open, and still working.
    await send(
        jo, {"type": "op", "op": "note.add", "client_op_id": "c-2", "data": {"section": "says", "text": "ok"}}
    )
    # The ack and the op itself come by different paths, in either order.
    frames = {f["type"]: f for f in [await next_frame(jo, "ack", "op"), await next_frame(jo, "ack", "op")]}
    assert frames["ack"]["seq"] == 1 and frames["op"]["seq"] == 1
    assert await database_sync_to_async(lambda: list(Note.objects.values_list("text", flat=True)))() == ["ok"]
    await jo.disconnect()
