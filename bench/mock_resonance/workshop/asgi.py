"""Stand-in for Resonance's ASGI app, speaking the wire contract of docs/protocol.md.

REST: auth/token, workshops, join (answers shaped as the contract says; no
checks beyond the token being present). WebSocket: demands the Token header
and an Origin, then hands the socket to the bare relay. Only for
bench/selftest.py: it proves the harness's Resonance path (REST set-up, token
and Origin headers, board grouping), not anything about Resonance.
"""

import itertools
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/, for relay.py

import relay  # noqa: E402

_ids = itertools.count(1)
_codes: dict[str, int] = {}


async def _body(receive) -> dict:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return json.loads(b"".join(chunks) or b"{}")


async def _reply(send, status: int, payload: dict) -> None:
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(payload).encode()})


def _has_token(scope) -> bool:
    return any(k == b"authorization" and v.startswith(b"Token ") for k, v in scope.get("headers", []))


async def http_app(scope, receive, send) -> None:
    path = scope["path"]
    body = await _body(receive) if scope["method"] == "POST" else {}
    if path == "/healthz":
        await _reply(send, 200, {"status": "ok"})
    elif path == "/api/v1/auth/token/" and body.get("username"):
        await _reply(send, 200, {"token": "owner-token"})
    elif path == "/api/v1/workshops/" and _has_token(scope):
        board_id = next(_ids)
        code = f"CODE{board_id}"
        _codes[code] = board_id
        board = {"id": board_id, "kind": "empathy-map", "title": "Empathy map"}
        await _reply(
            send, 201, {"id": board_id, "title": body["title"], "join_code": code, "boards": [board]}
        )
    elif path == "/api/v1/join/" and body.get("code") in _codes:
        board_id = _codes[body["code"]]
        participant = {"id": next(_ids), "display_name": body["display_name"]}
        workshop = {"id": board_id, "boards": [{"id": board_id, "kind": "empathy-map"}]}
        await _reply(
            send,
            201,
            {"token": f"guest-{participant['id']}", "participant": participant, "workshop": workshop},
        )
    else:
        await _reply(send, 404, {"detail": "not found"})


async def application(scope, receive, send) -> None:
    if scope["type"] == "http":
        await http_app(scope, receive, send)
    elif scope["type"] == "websocket":
        headers = dict(scope.get("headers", []))
        if not _has_token(scope) or not headers.get(b"origin", b"").startswith(b"http://127.0.0.1:"):
            await receive()
            await send({"type": "websocket.close", "code": 4001})
            return
        await relay.websocket_app(scope, receive, send)
