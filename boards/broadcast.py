"""Sending applied ops to every connection of a board through the channel layer.

The channel layer is lossy by contract (docs/architecture.md): a message that
never arrives is repaired by gap filling from the op log, so publishing is
fire-and-forget.
"""

import asyncio
import functools
import json
import logging

import orjson
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# The server's event loop. Ops run on the ORM thread; a blocking group_send
# there would hold that one thread, so the send is handed to the loop instead.
_loop: asyncio.AbstractEventLoop | None = None


def remember_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _loop
    _loop = loop


def group_name(board_id: int) -> str:
    return f"board.{board_id}"


def encode(payload: dict) -> str:
    """A frame's JSON text, as every frame to a socket is written.

    orjson is several times faster than the standard library here, and this
    runs for every frame; what it refuses (a lone surrogate, an integer past
    64 bits) still goes out through `json`, written the same compact way.
    """
    try:
        return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(payload, separators=(",", ":"))


def decode(text: str):
    """A frame's JSON value; ValueError when it is not JSON (or nested past orjson's 1,024 levels)."""
    return orjson.loads(text)


def op_message(event: dict) -> dict:
    """The channel-layer message for one op: the event as JSON text, encoded once.

    Channels' in-memory layer deep-copies every message for each recipient,
    and channels-redis packs it for each; a string costs next to nothing
    either way, where the nested event dict cost about a tenth of the event
    loop under load (BENCHMARKS.md). The text is also the frame a recipient
    who may see the whole op is sent (consumers.py).
    """
    return {"type": "board.op", "event_json": encode(event)}


@functools.lru_cache(maxsize=1024)
def decode_event(text: str) -> dict:
    """The event of an op message, decoded once per process for all its connections.

    Shared by every connection of the board in this process: read it, never
    change it (visibility.op_for builds new dicts for what it redacts).
    """
    return orjson.loads(text)


def _log_failure(future):
    if not future.cancelled() and future.exception() is not None:
        logger.warning("board broadcast failed: %s", future.exception())


def publish(board_id: int, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    group, message = group_name(board_id), op_message(event)
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is not None:  # called on the loop's own thread
        running.create_task(layer.group_send(group, message)).add_done_callback(_log_failure)
    elif _loop is not None and _loop.is_running():
        future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _loop)
        future.add_done_callback(_log_failure)
    else:  # no server loop (tests, management commands, WSGI)
        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception as exc:  # the log is the truth; receivers fill the gap
            logger.warning("board broadcast failed: %s", exc)
