"""The in-memory channel layer (one process, no Redis), made cheaper per recipient.

Channels' own `InMemoryChannelLayer.group_send` starts one asyncio task per
member of the group and scans every queue of the process for expired
messages on every send and every receive: with 25 people a board, that was
about a fifth of the event loop in the workshop benchmark (BENCHMARKS.md).
Sending to a member only puts the message on its queue (it never waits), so
here a group send is a plain loop, and the expiry scan runs at most once a
second. Messages still expire, full queues still drop (the op log repairs
that, G3), and every recipient still gets its own copy.
"""

import contextlib
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

CLEAN_EVERY_SECONDS = 1.0


class CheapInMemoryChannelLayer(InMemoryChannelLayer):
    _cleaned_at = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._cleaned_at >= CLEAN_EVERY_SECONDS:
            self._cleaned_at = now
            super()._clean_expired()

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, {})):
            with contextlib.suppress(ChannelFull):  # a full queue drops; gap filling repairs
                await self.send(channel, message)
