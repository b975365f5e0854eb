"""Sending applied ops to every connection of a board through the channel layer.

The channel layer is lossy by contract (docs/architecture.md): a message that
never arrives is repaired by gap filling from the op log, so publishing is
fire-and-forget.
"""

import asyncio
import logging

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


def _log_failure(future):
    if not future.cancelled() and future.exception() is not None:
        logger.warning("board broadcast failed: %s", future.exception())


def publish(board_id: int, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    group, message = group_name(board_id), {"type": "board.op", "event": event}
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
