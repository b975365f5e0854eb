"""A participant on the event-stream fallback: the stream down, `POST .../ops/` up.

Same interface as tests/facilitation/ws.py's Client, so a scenario can run
either transport. `raw` holds every event's data, `answers` every op response body: together all
the text this participant's browser is ever given.
"""

import json

from tests.boards.sse import EventStream, post_op


class EventClient:
    def __init__(self, board_id: int, token: str, since: int | None = None):
        self.board_id, self.token = board_id, token
        self.stream = EventStream(board_id, token, query=f"since={since}" if since is not None else "")
        self.raw: list[str] = []
        self.answers: list[str] = []
        self.frames: list[dict] = []
        self.closed_with = None
        self._n = 0

    async def connect(self):
        await self.stream.open()
        assert self.stream.status == 200, self.stream.body
        await self.drain()
        return self

    async def drain(self, quiet: float = 0.15) -> list[dict]:
        new = []
        idle = 0.0
        while idle < quiet:
            event = await self.stream.poll()
            if event is None:
                if self.stream.ended:
                    self.closed_with = "ended"
                    return new
                idle += 0.01
                continue
            idle = 0.0
            if "data" not in event:
                continue  # a comment (ping) or `retry:`
            self.raw.append(event["data"])
            frame = json.loads(event["data"])
            assert event["event"] == frame["type"], event
            if frame["type"] in ("op", "snapshot", "heartbeat"):
                assert event["id"] == str(frame["seq"]), event
            if frame["type"] == "error" and frame.get("code") == "forbidden":
                self.closed_with = 4003  # what the socket would say: removed
            self.frames.append(frame)
            new.append(frame)
        return new

    async def op(self, kind: str, data: dict | None = None) -> dict:
        self._n += 1
        client_op_id = f"e{id(self)}-{self._n}"
        payload = {"op": kind, "client_op_id": client_op_id, "data": data or {}}
        status, body = await post_op(self.board_id, payload, self.token)
        self.answers.append(json.dumps(body))
        await self.drain(0.05)
        if status == 200:
            return {"type": "ack", "client_op_id": client_op_id, "seq": body["seq"]}
        return {"type": "error", **body}

    async def close(self):
        await self.stream.close()

    def ops(self) -> list[dict]:
        return [f for f in self.frames if f["type"] == "op"]
