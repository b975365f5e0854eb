"""The seeded random workshops of test_convergence_random.py over the event stream:
everyone on the fallback, and fallback clients mixed with WebSocket clients on
the same board. Ops go up through POST .../ops/; an answer can be lost (the
response never reaches the client) as a frame can with a socket, and the stream
drops; re-sends keep their client_op_id. The same end: every client's state is
the server's (G5), the log has no gaps or doubles (G1, G4), and every client
applied every op once and in order (G3: apply_op refuses anything else).
"""

import json
import random

import pytest
from channels.db import database_sync_to_async

from boards.models import Note, Op
from boards.state import board_snapshot
from tests.boards.simclient import SimulatedClient, run_workshop
from tests.boards.sse import EventStream, post_op
from tests.boards.test_convergence_random import CommunicatorClient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


class EventStreamClient(SimulatedClient):
    """A simulated participant on the fallback: the event stream down, POST up."""

    LOST_ANSWER_CHANCE = 0.1

    def __init__(self, participant, board_id, rng):
        super().__init__(participant.display_name + " (events)", rng)
        self.token, self.board_id, self.stream = participant.token, board_id, None
        self.answers: list[str] = []  # POST answers as the frames a socket would have sent
        self.unanswered: list[str] = []  # posts whose answer was lost: sent again, as the browser does

    async def _open(self, query):
        self.stream = await EventStream(self.board_id, self.token, query=query).open()
        assert self.stream.status == 200, self.stream.body

    async def _send(self, text):
        frame = json.loads(text)
        payload = {key: frame[key] for key in ("op", "client_op_id", "data")}
        status, body = await post_op(self.board_id, payload, self.token)
        if self.rng.random() < self.LOST_ANSWER_CHANCE:
            self.unanswered.append(text)  # applied or not, the answer is lost: send it again later
            return
        if status == 200:
            assert body["client_op_id"] == frame["client_op_id"]
            self.answers.append(
                json.dumps({"type": "ack", "client_op_id": body["client_op_id"], "seq": body["seq"]})
            )
        else:
            assert body["client_op_id"] == frame["client_op_id"], body
            self.answers.append(json.dumps({"type": "error", **body}))

    async def _receive(self):
        if self.answers:
            return self.answers.pop(0)
        while True:
            event = await self.stream.poll()
            if event is None:
                assert not self.stream.ended, "the stream ended by itself"
                if self.unanswered:
                    await self._send(self.unanswered.pop(0))
                    continue
                return None
            if "data" in event:  # not a ping comment or `retry:`
                frame = json.loads(event["data"])
                assert event["event"] == frame["type"], event
                if frame["type"] == "op":
                    assert event["id"] == str(frame["seq"]), event
                return event["data"]

    async def _close(self):
        await self.stream.close()


async def _run(board, clients, rng):
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


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_workshops_converge_over_the_event_stream(board, guest, second_guest, host, seed):
    rng = random.Random(seed)
    clients = [
        EventStreamClient(p, board.id, random.Random(rng.random())) for p in (guest, second_guest, host)
    ]
    await _run(board, clients, rng)


@pytest.mark.parametrize("seed", [3, 4])
async def test_event_stream_and_websocket_clients_converge_on_one_board(
    board, guest, second_guest, host, seed
):
    rng = random.Random(seed)
    clients = [
        EventStreamClient(guest, board.id, random.Random(rng.random())),
        CommunicatorClient(second_guest, board.id, random.Random(rng.random())),
        EventStreamClient(host, board.id, random.Random(rng.random())),
        CommunicatorClient(host, board.id, random.Random(rng.random())),
    ]
    await _run(board, clients, rng)
