"""A TCP proxy that refuses WebSocket upgrades, as some corporate proxies and guest Wi-Fi do.

Plain HTTP passes through byte for byte (streams included); a request asking
for `Upgrade: websocket` gets `403 Forbidden` and the connection is closed.
Browsers open every WebSocket on a connection of its own, so looking at the
first request of each connection is enough.
"""

from __future__ import annotations

import asyncio
import threading

from tests.support.servers import HOST, free_port

REFUSAL = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class NoUpgradeProxy:
    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.refused = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> NoUpgradeProxy:
        self.thread.start()
        if not self.ready.wait(10):
            raise RuntimeError("the proxy did not start")
        return self

    def __exit__(self, *exc_info) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._client, HOST, self.port))
        self.ready.set()
        try:
            self.loop.run_forever()
        finally:
            server.close()
            # End the connections still piped before the loop goes.
            tasks = asyncio.all_tasks(self.loop)
            for task in tasks:
                task.cancel()
            self.loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            self.loop.close()

    async def _client(self, reader, writer) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        if b"\r\nupgrade: websocket" in head.lower():
            self.refused += 1
            writer.write(REFUSAL)
            await writer.drain()
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection(HOST, self.upstream_port)
        up_writer.write(head)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    @staticmethod
    async def _pipe(reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
