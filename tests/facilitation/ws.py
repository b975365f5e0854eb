"""Talking to the real ASGI application over WebSockets (channels' WebsocketCommunicator)."""

import json

from channels.testing import WebsocketCommunicator

from workshop.asgi import application


class Client:
    """One participant's socket, keeping every frame it ever received (raw text and JSON)."""

    def __init__(self, board_id: int, token: str, since: int | None = None):
        path = f"/ws/boards/{board_id}/" + (f"?since={since}" if since is not None else "")
        self.comm = WebsocketCommunicator(
            application,
            path,
            headers=[(b"origin", b"http://testserver"), (b"authorization", f"Token {token}".encode())],
        )
        self.raw: list[str] = []
        self.frames: list[dict] = []
        self.closed_with = None
        self._n = 0

    async def connect(self):
        connected, _ = await self.comm.connect(timeout=5)  # a loaded machine: see tests/boards/ws.py
        assert connected
        await self.drain()
        return self

    async def drain(self, quiet: float = 0.15) -> list[dict]:
        """Reads until the socket has been quiet for `quiet` seconds; returns the new frames."""
        new = []
        # receive_output() cancels the application when it times out, so
        # first wait for something to be there.
        while self.closed_with is None and not await self.comm.receive_nothing(timeout=quiet):
            message = await self.comm.receive_output(timeout=5)
            if message["type"] == "websocket.close":
                self.closed_with = message.get("code")
                return new
            if message["type"] == "websocket.send":
                self.raw.append(message["text"])
                frame = json.loads(message["text"])
                self.frames.append(frame)
                new.append(frame)
        return new

    async def op(self, kind: str, data: dict | None = None) -> dict:
        """Sends an op and returns its ack or error (other frames are kept)."""
        self._n += 1
        client_op_id = f"c{id(self)}-{self._n}"
        await self.comm.send_json_to(
            {"type": "op", "op": kind, "client_op_id": client_op_id, "data": data or {}}
        )
        for _ in range(200):
            for frame in await self.drain(0.05):
                if frame.get("client_op_id") == client_op_id and frame["type"] in ("ack", "error"):
                    return frame
        raise AssertionError(f"no answer to {kind}")

    async def typing(self, section: str):
        await self.comm.send_json_to({"type": "typing", "section": section})

    async def close(self):
        await self.comm.disconnect()

    def ops(self) -> list[dict]:
        return [f for f in self.frames if f["type"] == "op"]
