"""The event stream across two real daphne processes sharing a database and Redis.

Fallback clients read their event stream from one process and POST their ops
to the other; WebSocket clients are on both. Every op reaches every stream
exactly once and in order (G3: apply_op refuses anything else), re-sends with
the same client_op_id double nothing (G4), and all end equal to the server (G5).
"""

import asyncio
import json
import random
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.boards.simclient import SimulatedClient, run_workshop
from tests.boards.test_convergence_two_processes import SocketClient, call
from tests.support.servers import run_manage

pytestmark = pytest.mark.multiprocess


def post(server, path, body, token):
    """(status, JSON) of a POST, 4xx answers included."""
    request = urllib.request.Request(
        server.url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class HttpEventStream:
    """A real HTTP/1.1 client of GET .../events/ over a TCP connection, parsing events as they come."""

    def __init__(self, server, board_id, token, query="", last_event_id=None):
        self.server, self.board_id, self.token = server, board_id, token
        self.query, self.last_event_id = query, last_event_id
        self.events: asyncio.Queue = asyncio.Queue()
        self.status = None
        self.reader_task = None

    async def open(self):
        host = urlsplit(self.server.url)
        self.reader, self.writer = await asyncio.open_connection(host.hostname, host.port)
        lines = [
            f"GET /api/v1/boards/{self.board_id}/events/?{self.query} HTTP/1.1",
            f"Host: {host.netloc}",
            f"Authorization: Token {self.token}",
            "Accept: text/event-stream",
        ]
        if self.last_event_id is not None:
            lines.append(f"Last-Event-ID: {self.last_event_id}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        head = (await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 15)).decode()
        self.status = int(head.split(" ", 2)[1])
        self.headers = head.lower()
        self.chunked = "transfer-encoding: chunked" in self.headers
        self.reader_task = asyncio.create_task(self._read())
        return self

    async def _body(self):
        while True:
            if not self.chunked:
                data = await self.reader.read(65536)
                if not data:
                    return
                yield data
                continue
            size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
            if size == 0:
                return
            yield (await self.reader.readexactly(size + 2))[:-2]

    async def _read(self):
        buffer = ""
        try:
            async for data in self._body():
                buffer += data.decode()
                *blocks, buffer = buffer.split("\n\n")
                for block in blocks:
                    fields = {}
                    for line in block.split("\n"):
                        name, _, value = line.partition(": ")
                        fields[name] = value
                    if "data" in fields:
                        await self.events.put(fields)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        await self.events.put(None)

    def close(self):
        self.reader_task.cancel()
        self.writer.transport.abort()


class FallbackClient(SimulatedClient):
    """A simulated participant on the fallback: events from `stream_server`, ops POSTed to `op_server`."""

    def __init__(self, name, stream_server, op_server, board_id, token, rng):
        super().__init__(name, rng)
        self.stream_server, self.op_server = stream_server, op_server
        self.board_id, self.token, self.stream = board_id, token, None
        self.answers: list[str] = []

    async def _open(self, query):
        self.stream = await HttpEventStream(self.stream_server, self.board_id, self.token, query).open()
        assert self.stream.status == 200

    async def _send(self, text):
        frame = json.loads(text)
        body = {key: frame[key] for key in ("op", "client_op_id", "data")}
        status, answer = await asyncio.to_thread(
            post, self.op_server, f"/api/v1/boards/{self.board_id}/ops/", body, self.token
        )
        if status == 200:
            self.answers.append(
                json.dumps({"type": "ack", "client_op_id": frame["client_op_id"], "seq": answer["seq"]})
            )
        else:
            self.answers.append(json.dumps({"type": "error", **answer}))

    async def _receive(self):
        if self.answers:
            return self.answers.pop(0)
        try:
            fields = await asyncio.wait_for(self.stream.events.get(), timeout=0.02)
        except TimeoutError:
            return None
        assert fields is not None, "the stream ended"
        frame = json.loads(fields["data"])
        assert fields["event"] == frame["type"]
        if frame["type"] == "op":
            assert fields["id"] == str(frame["seq"])
        return fields["data"]

    async def _close(self):
        self.stream.close()


async def test_ops_posted_to_one_process_reach_streams_on_the_other(live_app_pair, app_database):
    first, second = live_app_pair
    run_manage(app_database, "seed_demo")
    token = call(first, "/api/v1/auth/token/", {"username": "maya", "password": "resonance-demo"})["token"]
    workshop = call(
        first, "/api/v1/workshops/", {"title": "Blocked sockets", "template": "empathy-map"}, token
    )
    board_id = workshop["boards"][0]["id"]
    rng = random.Random(11)
    clients = []
    for i, name in enumerate(["Jo", "Ravi", "Ana", "Sam"]):
        guest = call(first, "/api/v1/join/", {"code": workshop["join_code"], "display_name": name})
        here, there = ((first, second), (second, first))[i % 2]
        if i < 2:
            clients.append(
                FallbackClient(name, here, there, board_id, guest["token"], random.Random(rng.random()))
            )
        else:
            clients.append(SocketClient(name, here, board_id, guest["token"], random.Random(rng.random())))

    async def board_seq():
        return (await asyncio.to_thread(call, first, f"/api/v1/boards/{board_id}/", None, token))["seq"]

    await run_workshop(clients, rng, board_seq, steps=15)
    server = call(second, f"/api/v1/boards/{board_id}/", token=token)
    server.pop("server_now")
    for client in clients:
        assert client.state == server, client.name
        await client.drop()

    # A stream resumed with Last-Event-ID on the other process gets just the ops after it.
    stream = await HttpEventStream(second, board_id, token, last_event_id=server["seq"] - 1).open()
    status, answer = await asyncio.to_thread(
        post,
        first,
        f"/api/v1/boards/{board_id}/ops/",
        {"op": "note.add", "data": {"section": "says", "text": "late"}},
        token,
    )
    assert status == 200
    ops = []
    while len(ops) < 2:
        fields = await asyncio.wait_for(stream.events.get(), 15)
        assert fields is not None, "the stream ended"
        if fields["event"] == "op":
            ops.append(fields)
        else:
            assert fields["event"] in ("heartbeat", "presence"), fields  # no snapshot: a resume
    assert [o["id"] for o in ops] == [str(server["seq"]), str(answer["seq"])]
    assert json.loads(ops[1]["data"])["data"]["text"] == "late"
    stream.close()
