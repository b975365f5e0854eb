"""The hub's own rules (boards/fanout.py): visibility classes, the broadcast loop,
one subscription per board per process."""

import asyncio
import dataclasses

import pytest

from boards import broadcast, fanout
from boards.visibility import Viewer, op_for
from tests.boards.ws import connect, next_frame

EVENT = {
    "type": "op",
    "seq": 4,
    "op": "note.add",
    "client_op_id": "c",
    "actor": {"id": 7, "name": "Ana", "role": "participant"},
    "data": {"id": 12, "section": "says", "text": "x", "author": {"id": 7}, "private_author": 7},
}


def test_a_viewer_the_op_does_not_mention_shares_the_class_of_everyone_like_them():
    mentioned = fanout._ints_in(EVENT, set())
    for viewer in (
        Viewer(id=3),
        Viewer(id=3, anonymous=True),
        Viewer(id=5, facilitator=True, moderation=True),
    ):
        key = fanout._class_of(viewer, mentioned)
        assert key.id == fanout.NOBODY
        assert op_for(key, EVENT) == op_for(viewer, EVENT)
    # Another viewer with the same settings falls in the same class.
    assert fanout._class_of(Viewer(id=3), mentioned) == fanout._class_of(Viewer(id=9), mentioned)


def test_the_author_is_a_class_of_their_own():
    mentioned = fanout._ints_in(EVENT, set())
    author = Viewer(id=7)
    assert fanout._class_of(author, mentioned) is author
    assert op_for(author, EVENT)["data"]["text"] == "x"
    assert op_for(fanout._class_of(Viewer(id=3), mentioned), EVENT)["op"] == "redacted"


def test_settings_and_roles_make_different_classes():
    mentioned = fanout._ints_in(EVENT, set())
    base = Viewer(id=3)
    variants = [dataclasses.replace(base, **{f: True}) for f in ("facilitator", "anonymous", "moderation")]
    assert len({fanout._class_of(v, mentioned) for v in [base, *variants]}) == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_one_hub_serves_every_socket_of_a_board_and_commits_hand_broadcasts_to_the_loop(
    board, guest, second_guest
):
    sockets = []
    for participant in (guest, second_guest, guest):
        ws = await connect(board.id, participant.token)
        await next_frame(ws, "snapshot")
        sockets.append(ws)
    hub = fanout.hub_for(board.id)
    assert len(hub.connections) == 3 and hub.subscribed
    # The ORM thread must never block on a group_send: it is given the loop.
    assert broadcast._loop is asyncio.get_running_loop()
    for ws in sockets:
        await ws.disconnect()
    assert fanout.local_connections(board.id) == 0 and hub.closed


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_presence_costs_the_layer_a_message_per_change_not_per_pair(
    board, guest, second_guest, monkeypatch
):
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    sent = {"group": 0}
    real_group_send = layer.group_send

    async def group_send(group, message):
        sent["group"] += message["type"].startswith("presence.")
        return await real_group_send(group, message)

    monkeypatch.setattr(layer, "group_send", group_send)
    sockets = []
    for i in range(16):
        ws = await connect(board.id, (guest, second_guest)[i % 2].token)
        await next_frame(ws, "snapshot")
        sockets.append(ws)
    frame = await next_frame(sockets[0], "presence")
    while frame["count"] != 2 or sum(p["connections"] for p in frame["participants"]) != 16:
        frame = await next_frame(sockets[0], "presence")
    # One roster message per change at most (fewer when changes come together),
    # and no greeting between pairs: 16 sockets once cost 16 hellos + 120 answers.
    assert sent["group"] <= 16 + 2
    for ws in sockets:
        await ws.disconnect()
