"""Talking to the board's event stream (and the op door over HTTP) in-process, as a client would."""

import asyncio
import json

from asgiref.testing import ApplicationCommunicator
from channels.testing import HttpCommunicator

from workshop.asgi import application


def _headers(token=None, cookie=None, extra=()):
    headers = [(b"host", b"testserver")]
    if token is not None:
        headers.append((b"authorization", f"Token {token}".encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    headers.extend((name.lower().encode(), value.encode()) for name, value in extra)
    return headers


def parse_events(text: str) -> list[dict]:
    """Server-sent events as {event, id, data} (comments as {"comment": ...}), per the SSE format."""
    events = []
    for block in text.split("\n\n"):
        if not block:
            continue
        event = {}
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "":
                event["comment"] = value
            elif field == "data":
                event["data"] = event.get("data", "") + value
            else:
                event[field] = value
        events.append(event)
    return events


class EventStream:
    """One GET /api/v1/boards/{id}/events/ kept open; events are read as they come."""

    def __init__(self, board_id, token=None, query="", cookie=None, headers=()):
        path = f"/api/v1/boards/{board_id}/events/"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": _headers(token, cookie, headers),
            "client": ("127.0.0.1", 40000),
            "server": ("testserver", 80),
        }
        self.communicator = ApplicationCommunicator(application, scope)
        self.status = None
        self.response_headers = {}
        self.buffer = ""
        self.pending: list[dict] = []
        self.ended = False
        self.body = b""

    async def open(self, timeout=5):
        await self.communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await self.communicator.receive_output(timeout=timeout)
        assert start["type"] == "http.response.start", start
        self.status = start["status"]
        self.response_headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        if self.status != 200:
            while True:
                message = await self.communicator.receive_output(timeout=timeout)
                self.body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            self.ended = True
        return self

    def json(self):
        return json.loads(self.body)

    def _take(self, message):
        assert message["type"] == "http.response.body", message
        self.buffer += message.get("body", b"").decode()
        if not message.get("more_body", False):
            self.ended = True
        *blocks, self.buffer = self.buffer.split("\n\n")
        for event in parse_events("\n\n".join(blocks) + "\n\n" if blocks else ""):
            self.pending.append(event)

    async def poll(self) -> dict | None:
        """The next event or comment if one is there very soon, else None."""
        while not self.pending:
            if self.ended:
                return None
            if await self.communicator.receive_nothing(timeout=0.01, interval=0.005):
                return None
            self._take(await self.communicator.receive_output(timeout=1))
        return self.pending.pop(0)

    async def next_event(self, *types, timeout=3.0) -> dict:
        """The next event of one of these types (presence, typing and pings skipped unless asked for)."""
        skip = {"presence", "typing"} - set(types)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            event = await self.poll()
            if event is None:
                if self.ended:
                    raise AssertionError("the stream ended")
                continue
            if "event" not in event or event["event"] in skip:
                continue
            if types and event["event"] not in types:
                raise AssertionError(f"expected {types}, got {event}")
            return {**event, "frame": json.loads(event["data"])}
        raise AssertionError(f"no {types} event within {timeout} s")

    async def close(self):
        if not self.ended:
            await self.communicator.send_input({"type": "http.disconnect"})
        await self.communicator.wait(timeout=5)
        self.ended = True


async def post_op(board_id, payload, token=None, cookie=None, headers=()):
    """POST /api/v1/boards/{id}/ops/: (status, JSON body)."""
    body = json.dumps(payload).encode()
    extra = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers]
    communicator = HttpCommunicator(
        application,
        "POST",
        f"/api/v1/boards/{board_id}/ops/",
        body=body,
        headers=_headers(token, cookie, extra),
    )
    response = await communicator.get_response(timeout=10)
    return response["status"], json.loads(response["body"])
