"""A simulated workshop participant for convergence tests, over any transport.

It keeps a state and an outbox as a real client must (docs/protocol.md §3.5):
ops wait in the outbox until acked or finally refused, are re-sent with their
original client_op_id after a reconnect, and every op frame is applied with
boards.state.apply_op, which refuses anything but the next seq (G3).
"""

import asyncio
import json
import urllib.request
import uuid

import websockets

from boards.state import apply_op

SECTIONS = ["says", "thinks", "does", "feels"]
FINAL_ERRORS = {"invalid", "forbidden", "not_found"}


class SimulatedClient:
    def __init__(self, name, rng):
        self.name, self.rng = name, rng
        self.state = None
        self.outbox = {}  # client_op_id -> op frame
        self.connected = False

    # transports implement these four
    async def _open(self, query: str) -> None:
        raise NotImplementedError

    async def _send(self, text: str) -> None:
        raise NotImplementedError

    async def _receive(self) -> str | None:
        """The next frame if one arrives very soon, else None."""
        raise NotImplementedError

    async def _close(self) -> None:
        raise NotImplementedError

    async def open(self):
        await self._open(f"since={self.state['seq']}" if self.state else "")
        self.connected = True
        for frame in list(self.outbox.values()):  # re-send with the original ids
            await self._send(json.dumps(frame))

    async def drop(self):
        """The Wi-Fi goes: whatever was in flight is lost with the socket."""
        await self._close()
        self.connected = False

    def handle(self, frame):
        if frame["type"] == "snapshot":
            self.state = frame["board"]
        elif frame["type"] == "op":
            self.state = apply_op(self.state, frame)
        elif frame["type"] == "ack":
            self.outbox.pop(frame["client_op_id"], None)
        elif frame["type"] == "error":
            assert frame["code"] in FINAL_ERRORS, frame
            self.outbox.pop(frame["client_op_id"], None)

    async def pump(self):
        while (text := await self._receive()) is not None:
            self.handle(json.loads(text))

    def next_op(self):
        notes = self.state["notes"] if self.state else []
        choice = self.rng.random()
        if not notes or choice < 0.4:
            kind = "note.add"
            data = {"section": self.rng.choice(SECTIONS), "text": f"{self.name} {uuid.uuid4().hex[:6]}"}
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
        await self._send(json.dumps(frame))


def call(server, path, body=None, token=None):
    """A JSON request to `server.url + path` (POST when there is a body); the decoded answer."""
    request = urllib.request.Request(
        server.url + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Token {token}"} if token else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


class SocketClient(SimulatedClient):
    """A simulated participant on a real WebSocket to a server (or to nginx in front of several).

    `server` is anything with `ws_url` and `origin`: a ServerProcess, or tests/support/stack.py's Stack.
    """

    def __init__(self, name, server, board_id, token, rng):
        super().__init__(name, rng)
        self.server, self.board_id, self.token, self.ws = server, board_id, token, None

    async def _open(self, query):
        self.ws = await websockets.connect(
            f"{self.server.ws_url}/ws/boards/{self.board_id}/?{query}",
            additional_headers={"Origin": self.server.origin, "Authorization": f"Token {self.token}"},
        )

    async def _send(self, text):
        await self.ws.send(text)

    async def _receive(self):
        try:
            return await asyncio.wait_for(self.ws.recv(), timeout=0.02)
        except TimeoutError:
            return None

    async def _close(self):
        self.ws.transport.abort()  # no closing handshake: the network just went


async def run_workshop(clients, rng, board_seq, steps=25, drop_chance=0.15):
    """Everyone acts in random order, sometimes dropping off; returns once all have converged.

    `board_seq` is an async callable giving the server's current seq.
    """
    for client in clients:
        await client.open()
        await client.pump()
    for _ in range(steps):
        for client in rng.sample(clients, len(clients)):
            if not client.connected:
                await client.open()
            await client.pump()
            await client.act()
            if rng.random() < drop_chance:
                await client.drop()  # before its ack could arrive
    for client in clients:
        if not client.connected:
            await client.open()
    for _ in range(600):
        for client in clients:
            await client.pump()
        seq = await board_seq()
        if all(not c.outbox and c.state["seq"] == seq for c in clients):
            return
        await asyncio.sleep(0.01)
    waiting = {c.name: (len(c.outbox), c.state["seq"]) for c in clients}
    raise AssertionError(f"clients did not converge on seq {seq}: {waiting}")
