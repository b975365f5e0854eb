"""Placeholder; the board consumer lands with the op core."""

from channels.generic.websocket import AsyncWebsocketConsumer


class BoardConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.close(code=4004)
