"""Talking to the board consumer in-process, as a client would."""

import asyncio
import json

from channels.testing import WebsocketCommunicator

from workshop.asgi import application

ORIGIN = "http://testserver"


def socket(board_id, token=None, origin=ORIGIN, query="", cookie=None) -> WebsocketCommunicator:
    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if token is not None:
        headers.append((b"authorization", f"Token {token}".encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    path = f"/ws/boards/{board_id}/" + (f"?{query}" if query else "")
    return WebsocketCommunicator(application, path, headers=headers)


async def connect(board_id, token=None, **kwargs):
    """An open socket, and its first state frame (snapshot, or heartbeat after a replay)."""
    communicator = socket(board_id, token, **kwargs)
    # 5 s, not Channels' default 1 s: on a loaded machine the handshake's
    # token and access queries can queue behind other work on the ORM thread.
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def close_code(communicator) -> int:
    """The code the server closed with, right after the handshake."""
    connected, _ = await communicator.connect()
    assert connected  # refused sockets are accepted, then closed with a code
    message = await communicator.receive_output(timeout=2)
    assert message["type"] == "websocket.close", message
    return message["code"]


async def next_frame(communicator, *types, timeout=2.0):
    """The next frame of one of these types, skipping presence and typing chatter."""
    skip = {"presence", "typing"} - set(types)
    while True:
        message = await communicator.receive_output(timeout=timeout)
        if message["type"] == "websocket.close":
            raise AssertionError(f"socket closed with {message.get('code')}")
        frame = json.loads(message["text"])
        if frame["type"] in skip:
            continue
        if types and frame["type"] not in types:
            raise AssertionError(f"expected {types}, got {frame}")
        return frame


async def send(communicator, payload):
    await communicator.send_to(text_data=json.dumps(payload))


async def no_frame(communicator, *types, wait=0.3) -> bool:
    """True when nothing but chatter arrives within `wait` seconds.

    (asgiref's receive_output cancels the application on a timeout, so this
    polls with receive_nothing instead.)
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while loop.time() < deadline:
        if await communicator.receive_nothing(timeout=0.05, interval=0.01):
            continue
        message = await communicator.receive_output(timeout=1)
        if message["type"] == "websocket.close":
            return False
        frame = json.loads(message["text"])
        if frame["type"] in {"presence", "typing"} - set(types):
            continue
        if not types or frame["type"] in types:
            return False
    return True


def heartbeat_seq(frame) -> int:
    """The seq of a heartbeat frame (which also carries the server's clock)."""
    assert frame["type"] == "heartbeat", frame
    assert isinstance(frame.get("server_now"), int)
    return frame["seq"]
