"""Over the socket: a guest sees the workshop close, is refused with `closed`, and a deletion closes it (4004)."""

import pytest
from channels.db import database_sync_to_async

from boards.models import Board
from lifecycle import services
from tests.boards.ws import connect, next_frame, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


async def test_a_guest_sees_it_close_and_their_ops_are_refused(maya, workshop, board, guest):
    jo = await connect(board.id, guest.token)
    await next_frame(jo, "snapshot")
    await database_sync_to_async(services.do_close)(maya, workshop.id)
    frame = await next_frame(jo, "op")
    assert frame["op"] == "workshop.close" and frame["data"]["closed_at"]
    await send(jo, {"type": "op", "op": "note.add", "client_op_id": "c-1", "data": {"section": "says"}})
    error = await next_frame(jo, "error")
    assert error["code"] == "closed" and error["client_op_id"] == "c-1"
    assert await database_sync_to_async(lambda: Board.objects.get(id=board.id).seq)() == 1
    # The connection stays open (G6): it still answers a ping.
    await send(jo, {"type": "ping"})
    assert (await next_frame(jo, "heartbeat"))["seq"] == 1
    await jo.disconnect()


async def test_a_snapshot_of_a_closed_board_says_so(maya, workshop, board, guest):
    await database_sync_to_async(services.do_close)(maya, workshop.id)
    jo = await connect(board.id, guest.token)
    snapshot = await next_frame(jo, "snapshot")
    assert snapshot["board"]["closed_at"] is not None
    await jo.disconnect()


async def test_deleting_the_workshop_closes_its_sockets_with_4004(maya, workshop, board, guest):
    jo = await connect(board.id, guest.token)
    await next_frame(jo, "snapshot")
    await database_sync_to_async(services.do_delete)(maya, workshop.id)
    while True:
        message = await jo.receive_output(timeout=3)
        if message["type"] == "websocket.close":
            break
    assert message["code"] == 4004
