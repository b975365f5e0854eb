"""Seeded random workshops: clients add, edit, move and delete at once, drop off
and come back re-sending what they had not seen acked. At the end every client's
state equals the server's (G5) and the log has no gaps or doubles (G1, G4); each
client saw every op once and in order (G3): apply_op refuses anything else.
"""

import random

import pytest
from channels.db import database_sync_to_async

from boards.models import Note, Op
from boards.state import board_snapshot
from tests.boards.simclient import SimulatedClient, run_workshop
from tests.boards.ws import connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


class CommunicatorClient(SimulatedClient):
    """A simulated participant talking to the consumer in-process."""

    def __init__(self, participant, board_id, rng):
        super().__init__(participant.display_name, rng)
        self.token, self.board_id, self.ws = participant.token, board_id, None

    async def _open(self, query):
        self.ws = await connect(self.board_id, self.token, query=query)

    async def _send(self, text):
        await self.ws.send_to(text_data=text)

    async def _receive(self):
        if await self.ws.receive_nothing(timeout=0.01, interval=0.005):
            return None
        message = await self.ws.receive_output(timeout=1)
        assert message["type"] == "websocket.send", message
        return message["text"]

    async def _close(self):
        await self.ws.disconnect()


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_workshops_converge(board, guest, second_guest, host, seed):
    rng = random.Random(seed)
    clients = [
        CommunicatorClient(p, board.id, random.Random(rng.random())) for p in (guest, second_guest, host)
    ]
    snapshot = database_sync_to_async(board_snapshot)

    async def board_seq():
        return (await snapshot(board.id))["seq"]

    await run_workshop(clients, rng, board_seq)
    server = await snapshot(board.id)
    for client in clients:
        assert client.state == server, f"{client.name} differs from the server"
        await client.drop()
    seqs = await database_sync_to_async(
        lambda: list(Op.objects.filter(board=board).values_list("seq", flat=True))
    )()
    assert seqs == list(range(1, server["seq"] + 1))
    adds = await database_sync_to_async(lambda: Op.objects.filter(board=board, kind="note.add").count())()
    deletes = await database_sync_to_async(
        lambda: Op.objects.filter(board=board, kind="note.delete").count()
    )()
    assert await database_sync_to_async(Note.objects.filter(board=board).count)() == adds - deletes
    assert server["seq"] > 30
