"""Decisions ops over the WebSocket: acked, broadcast per recipient (the floor), bad input keeps the socket."""

import pytest
from channels.db import database_sync_to_async

from decisions.models import Opportunity, OpportunityScore
from tests.boards.conftest import fresh_channel_layer  # noqa: F401  (a channel layer per test)
from tests.boards.ws import connect, next_frame, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


def op(kind, client_op_id, **data):
    return {"type": "op", "op": kind, "client_op_id": client_op_id, "data": data}


async def _acked(socket, client_op_id):
    while True:
        frame = await next_frame(socket, "ack", "error", "op")
        if frame["type"] in ("ack", "error") and frame["client_op_id"] == client_op_id:
            return frame


async def test_scores_reach_each_socket_as_that_person_may_see_them(matrix, guest, second_guest, host):
    opportunity = await database_sync_to_async(Opportunity.objects.create)(
        workshop=matrix.workshop, title="Loans"
    )
    jo, ravi, maya = [await connect(matrix.id, p.token) for p in (guest, second_guest, host)]
    for socket in (jo, ravi, maya):
        snapshot = await next_frame(socket, "snapshot")
        assert snapshot["board"]["opportunities"][0]["title"] == "Loans"
    await send(jo, op("opportunity.score", "s-1", opportunity=opportunity.id, impact=4, value=2))
    assert (await _acked(jo, "s-1"))["type"] == "ack"
    # Below the floor Ravi learns that someone scored, not what; Maya facilitates and sees it.
    seen_by_ravi = await next_frame(ravi, "op")
    assert seen_by_ravi["data"]["scores"] == [] and seen_by_ravi["data"]["count"] == 1
    seen_by_maya = await next_frame(maya, "op")
    assert [s["impact"] for s in seen_by_maya["data"]["scores"]] == [4]
    for socket in (jo, ravi, maya):
        await socket.disconnect()


async def test_bad_input_gets_an_error_and_the_socket_stays(matrix, guest):
    opportunity = await database_sync_to_async(Opportunity.objects.create)(
        workshop=matrix.workshop, title="Loans"
    )
    jo = await connect(matrix.id, guest.token)
    await next_frame(jo, "snapshot")
    await send(jo, op("opportunity.score", "bad-1", opportunity=opportunity.id, impact=7, value=2))
    error = await _acked(jo, "bad-1")
    assert (error["type"], error["code"]) == ("error", "invalid")
    await send(jo, op("action.add", "bad-2", opportunity=opportunity.id, owner={"user": 999999}))
    assert (await _acked(jo, "bad-2"))["code"] == "invalid"
    await send(jo, op("opportunity.score", "ok-1", opportunity=opportunity.id, impact=3, value=2))
    assert (await _acked(jo, "ok-1"))["type"] == "ack"
    assert await database_sync_to_async(OpportunityScore.objects.count)() == 1
    await jo.disconnect()


async def test_a_workshop_wide_op_reaches_the_other_boards(board, matrix, guest):
    on_map = await connect(board.id, guest.token)
    on_matrix = await connect(matrix.id, guest.token)
    await next_frame(on_map, "snapshot")
    await next_frame(on_matrix, "snapshot")
    await send(on_matrix, op("opportunity.add", "o-1", title="Text when ready"))
    frame = await next_frame(on_map, "op")
    assert frame["op"] == "opportunity.add" and frame["data"]["opportunity"]["title"] == "Text when ready"
    await on_map.disconnect()
    await on_matrix.disconnect()
