"""The random convergence test through the per-process hub (boards/fanout.py), with
several sockets per participant in one process and viewers of different visibility
classes: anonymous mode, private writing with and without moderation, a facilitator
beside participants.

Each socket must end with exactly what the server would show its viewer
(`snapshot_for` of the final state), having received every op once and in order
(apply_op refuses anything else) although the hub encoded each op once per class.
"""

import random

import pytest
from channels.db import database_sync_to_async

from boards import fanout
from boards.models import Op
from boards.ops import apply_op_request
from boards.state import board_snapshot
from boards.visibility import snapshot_for, viewer_of
from tests.boards.test_convergence_random import CommunicatorClient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]

SCENARIOS = {
    "anonymous": ({"anonymous": True}, "discuss"),
    "private writing": ({}, "write"),
    "private writing, moderated": ({"moderation": True}, "write"),
}


class ViewerClient(CommunicatorClient):
    """A socket that also applies redacted placeholders as a browser does."""

    def handle(self, frame):
        if frame["type"] == "op" and frame["op"] == "redacted":
            assert frame["seq"] == self.state["seq"] + 1, (self.name, frame["seq"], self.state["seq"])
            self.state = {**self.state, "seq": frame["seq"]}
            if "private_counts" in frame["data"]:
                self.state["facilitation"] = {
                    **self.state["facilitation"],
                    "private_counts": frame["data"]["private_counts"],
                }
            return
        if frame["type"] == "error" and frame["code"] == "forbidden":
            # Someone else's private note, seen by a moderating facilitator.
            self.outbox.pop(frame["client_op_id"], None)
            return
        super().handle(frame)


async def _random_ops(clients, rng, steps):
    for _ in range(steps):
        for client in rng.sample(clients, len(clients)):
            if not client.connected:
                await client.open()
            await client.pump()
            await client.act()
            if rng.random() < 0.1:
                await client.drop()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("seed", [1, 2])
async def test_every_socket_of_every_class_converges(board, guest, second_guest, host, scenario, seed):
    settings_change, phase = SCENARIOS[scenario]

    def prepare():
        if settings_change:
            apply_op_request(board.id, host.id, "workshop.settings", settings_change)
        apply_op_request(board.id, host.id, "phase.set", {"phase": phase})

    await database_sync_to_async(prepare)()
    rng = random.Random(seed)
    # Two sockets each for two participants and the facilitator, all in this process.
    people = [guest, guest, second_guest, second_guest, host, host]
    clients = [ViewerClient(p, board.id, random.Random(rng.random())) for p in people]
    for i, client in enumerate(clients):
        client.name = f"{client.name}#{i}"
        client.participant = people[i]
    for client in clients:
        await client.open()
        await client.pump()
    assert fanout.local_connections(board.id) == len(clients)

    await _random_ops(clients, rng, steps=12)
    for client in clients:
        if not client.connected:
            await client.open()

    def final():
        snapshot = board_snapshot(board.id)
        views = {p.id: snapshot_for(viewer_of(p.__class__.objects.get(id=p.id)), snapshot) for p in people}
        return snapshot, views

    for _ in range(600):
        for client in clients:
            await client.pump()
        snapshot, views = await database_sync_to_async(final)()
        if all(not c.outbox and c.state["seq"] == snapshot["seq"] for c in clients):
            break
    for client in clients:
        assert client.state == views[client.participant.id], f"{client.name} differs from its view"
        await client.drop()
    assert fanout.local_connections(board.id) == 0
    seqs = await database_sync_to_async(
        lambda: list(Op.objects.filter(board=board).values_list("seq", flat=True))
    )()
    assert seqs == list(range(1, snapshot["seq"] + 1))
    assert snapshot["seq"] > 20
