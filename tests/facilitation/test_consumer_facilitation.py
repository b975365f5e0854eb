"""The board socket and facilitation: workshop-wide ops, removal, role changes, server_now."""

import pytest
from channels.db import database_sync_to_async

from boards.models import Template
from boards.workshops import create_workshop, join_workshop
from tests.facilitation.ws import Client

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_workshop_wide_op_reaches_every_board(team, maya_user, maya):
    template = await database_sync_to_async(Template.objects.create)(
        team=team,
        name="Two boards",
        structure={
            "boards": [
                {"kind": "empathy-map", "title": "One", "sections": [{"key": "says", "title": "Says"}]},
                {"kind": "jtbd", "title": "Two", "sections": [{"key": "job", "title": "Job"}]},
            ]
        },
    )
    workshop = await database_sync_to_async(create_workshop)(maya_user, team, "Two", template)
    first, second = await database_sync_to_async(lambda: list(workshop.boards.all()))()
    ana = await database_sync_to_async(join_workshop)(workshop.join_code, "Ana")
    facilitator = await database_sync_to_async(lambda: workshop.participants.get(user=maya_user))()
    on_first = await Client(first.id, facilitator.token).connect()
    on_second = await Client(second.id, ana.token).connect()
    assert (await on_first.op("phase.set", {"phase": "write"}))["type"] == "ack"
    await on_second.drain()
    [op] = on_second.ops()
    assert (op["op"], op["seq"], op["data"]["phase"]) == ("phase.set", 1, "write")
    await on_first.close()
    await on_second.close()


async def test_a_removed_participant_is_disconnected(board, maya, ana, ben):
    facilitator = await Client(board.id, maya.token).connect()
    removed = await Client(board.id, ana.token).connect()
    bystander = await Client(board.id, ben.token).connect()
    assert (await facilitator.op("participant.remove", {"id": ana.id}))["type"] == "ack"
    await removed.drain()
    assert removed.ops()[-1]["op"] == "participant.remove"
    assert removed.closed_with == 4003
    await bystander.drain()
    assert bystander.ops()[-1]["op"] == "redacted"
    await facilitator.close()
    await bystander.close()


async def test_a_new_facilitator_gets_a_fresh_snapshot(board, maya, ana):
    facilitator = await Client(board.id, maya.token).connect()
    promoted = await Client(board.id, ana.token).connect()
    await facilitator.op("participant.role", {"id": ana.id, "role": "facilitator"})
    frames = []
    for _ in range(20):  # the fresh snapshot is read after the op: give a loaded machine time
        frames += await promoted.drain()
        if any(f["type"] == "snapshot" for f in frames):
            break
    assert [f["type"] for f in frames if f["type"] in ("op", "snapshot")] == ["op", "snapshot"]
    assert (await promoted.op("timer.start", {"seconds": 60}))["type"] == "ack"
    await facilitator.close()
    await promoted.close()


async def test_timer_frames_carry_the_servers_clock(board, maya, ana):
    participant = await Client(board.id, ana.token).connect()
    snapshot = participant.frames[0]
    assert snapshot["type"] == "snapshot" and isinstance(snapshot["server_now"], int)
    assert snapshot["board"]["facilitation"]["timer"] == {
        "state": "stopped",
        "ends_at": None,
        "remaining_ms": None,
        "duration_ms": None,
    }
    facilitator = await Client(board.id, maya.token).connect()
    await facilitator.op("timer.start", {"seconds": 600})
    # The op and the facilitator's ack come by different paths (ack/op order is not promised).
    for _ in range(20):
        await participant.drain()
        if participant.ops():
            break
    op = participant.ops()[-1]
    timer = op["data"]["timer"]
    assert timer["state"] == "running" and timer["duration_ms"] == 600_000
    assert 599_000 <= timer["ends_at"] - op["data"]["server_now"] <= 600_000
    await participant.comm.send_json_to({"type": "ping"})
    [heartbeat] = [f for f in await participant.drain() if f["type"] != "presence"]
    assert heartbeat["type"] == "heartbeat" and isinstance(heartbeat["server_now"], int)
    await facilitator.close()
    await participant.close()


async def test_observers_and_locked_boards_get_errors_not_closed_sockets(board, maya, ana, observer):
    watcher = await Client(board.id, observer.token).connect()
    error = await watcher.op("note.add", {"section": "says"})
    assert error["code"] == "forbidden"
    facilitator = await Client(board.id, maya.token).connect()
    await facilitator.op("board.lock", {"locked": True})
    writer = await Client(board.id, ana.token).connect()
    error = await writer.op("note.add", {"section": "says"})
    assert (error["code"], error["message"]) == ("forbidden", "The facilitator has locked this board.")
    assert writer.closed_with is None
    for client in (watcher, facilitator, writer):
        await client.close()
