"""Telling the sockets of deleted boards to close (code 4004, docs/protocol.md "Closing").

A message to each board's group, like an op's broadcast (boards/broadcast.py);
the consumer's `board_deleted` handler closes the socket. Lossy like every
channel-layer message: a socket that misses it finds the board gone at its
next heartbeat or op (not_found).
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from boards import broadcast

logger = logging.getLogger(__name__)


async def _send_all(layer, board_ids):
    for board_id in board_ids:
        await layer.group_send(broadcast.group_name(board_id), {"type": "board.deleted"})


def close_boards(board_ids: list[int]) -> None:
    layer = get_channel_layer()
    if layer is None or not board_ids:
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    # The server's loop, remembered by the consumers (boards/broadcast.py): the
    # ORM thread must not block on the send.
    server_loop = broadcast._loop
    try:
        if running is not None:
            running.create_task(_send_all(layer, board_ids))
        elif server_loop is not None and server_loop.is_running():
            asyncio.run_coroutine_threadsafe(_send_all(layer, board_ids), server_loop)
        else:  # tests, management commands
            async_to_sync(_send_all)(layer, board_ids)
    except Exception as exc:  # the boards are gone either way
        logger.warning("closing the sockets of deleted boards failed: %s", exc)
