"""Seeded random workshops: clients add, edit, move and delete at once, drop off
and come back re-sending what they had not seen acked. At the end every client's
state equals the server's (G5) and the log has no gaps or doubles (G1, G4); each
client saw every op once and in order (G3): apply_op refuses anything else.
"""

import json
import random
import uuid

import pytest
from channels.db import database_sync_to_async

from boards.models import Note, Op
from boards.state import apply_op, board_snapshot
from tests.boards.ws import connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]

SECTIONS = ["says", "thinks", "does", "feels"]
FINAL = {"invalid", "forbidden", "not_found"}  # errors after which an op is dropped, not re-sent


class SimulatedClient:
    def __init__(self, name, board_id, token, rng):
        self.name, self.board_id, self.token, self.rng = name, board_id, token, rng
        self.state = None
        self.outbox = {}  # client_op_id -> op frame, until acked or finally refused
        self.ws = None

    async def open(self):
        query = f"since={self.state['seq']}" if self.state else ""
        self.ws = await connect(self.board_id, self.token, query=query)
        for frame in self.outbox.values():  # re-send with the original ids
            await self.ws.send_to(text_data=json.dumps(frame))

    async def drop(self):
        """The Wi-Fi goes: whatever was in flight is lost with the socket."""
        await self.ws.disconnect()
        self.ws = None

    def handle(self, frame):
        if frame["type"] == "snapshot":
            self.state = frame["board"]
        elif frame["type"] == "op":
            self.state = apply_op(self.state, frame)  # raises unless seq == state seq + 1
        elif frame["type"] == "ack":
            self.outbox.pop(frame["client_op_id"], None)
        elif frame["type"] == "error":
            assert frame["code"] in FINAL, frame
            self.outbox.pop(frame["client_op_id"], None)

    async def pump(self):
        while not await self.ws.receive_nothing(timeout=0.01, interval=0.005):
            message = await self.ws.receive_output(timeout=1)
            assert message["type"] == "websocket.send", message
            self.handle(json.loads(message["text"]))

    def next_op(self):
        notes = self.state["notes"] if self.state else []
        choice = self.rng.random()
        if not notes or choice < 0.4:
            data = {"section": self.rng.choice(SECTIONS), "text": f"{self.name} {uuid.uuid4().hex[:6]}"}
            kind = "note.add"
        else:
            note = self.rng.choice(notes)
            if choice < 0.6:
                kind, data = (
                    "note.update",
                    {"id": note["id"], "text": f"{self.name} edit {self.rng.random():.4f}"},
                )
            elif choice < 0.85:
                kind = "note.move"
                data = {
                    "id": note["id"],
                    "section": self.rng.choice(SECTIONS),
                    "index": self.rng.randint(0, 4),
                }
            else:
                kind, data = "note.delete", {"id": note["id"]}
        return {"type": "op", "op": kind, "client_op_id": str(uuid.uuid4()), "data": data}

    async def act(self):
        frame = self.next_op()
        self.outbox[frame["client_op_id"]] = frame
        await self.ws.send_to(text_data=json.dumps(frame))


async def run_workshop(board, participants, seed, steps=25):
    rng = random.Random(seed)
    clients = [
        SimulatedClient(p.display_name, board.id, p.token, random.Random(rng.random())) for p in participants
    ]
    for client in clients:
        await client.open()
        await client.pump()
    for _ in range(steps):
        for client in rng.sample(clients, len(clients)):
            if client.ws is None:
                await client.open()
            await client.pump()
            await client.act()
            if rng.random() < 0.15:
                await client.drop()  # before its ack could arrive
    for client in clients:  # everyone comes back and finishes sending
        if client.ws is None:
            await client.open()
    final_seq = None
    for _ in range(400):
        for client in clients:
            await client.pump()
        final_seq = await database_sync_to_async(lambda: board_snapshot(board.id)["seq"])()
        if all(not c.outbox and c.state["seq"] == final_seq for c in clients):
            break
    server = await database_sync_to_async(board_snapshot)(board.id)
    for client in clients:
        assert not client.outbox, f"{client.name} still waits for {list(client.outbox)}"
        assert client.state == server, f"{client.name} differs from the server"
        await client.ws.disconnect()
    return server


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_workshops_converge(board, guest, second_guest, host, seed):
    server = await run_workshop(board, [guest, second_guest, host], seed)
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
