"""A Redis outage under the hub (boards/fanout.py), on a private redis-server:
sockets stay open, ops are still applied and delivered (from the log), and the
hub is subscribed again within 5 s of Redis coming back."""

import asyncio
import shutil
import socket as sockets
import subprocess
import tempfile
import time

import pytest
from channels.layers import channel_layers

from boards import fanout
from tests.boards.ws import connect, next_frame, send

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def free_port() -> int:
    with sockets.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    def __init__(self):
        self.port, self.dir, self.proc = free_port(), tempfile.mkdtemp(prefix="live-redis-"), None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with sockets.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def private_redis(settings):
    redis = PrivateRedis()
    redis.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{redis.port}/0"], "capacity": 2000, "group_expiry": 60},
        }
    }
    channel_layers.backends = {}
    yield redis
    channel_layers.backends = {}
    redis.stop()
    shutil.rmtree(redis.dir, ignore_errors=True)


def op(client_op_id, text):
    return {
        "type": "op",
        "op": "note.add",
        "client_op_id": client_op_id,
        "data": {"section": "says", "text": text},
    }


async def until(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


async def the_op(ws, text, timeout):
    """The op with this text, skipping acks and chatter."""
    while True:
        frame = await next_frame(ws, "op", "ack", "heartbeat", timeout=timeout)
        if frame["type"] == "op" and frame["data"].get("text") == text:
            return frame


async def test_a_redis_outage_degrades_and_heals(board, guest, second_guest, private_redis, settings):
    settings.WS_HEARTBEAT_SECONDS = 2
    jo = await connect(board.id, guest.token)
    await next_frame(jo, "snapshot")
    ravi = await connect(board.id, second_guest.token)
    await next_frame(ravi, "snapshot")
    hub = fanout.hub_for(board.id)
    assert await until(lambda: hub.subscribed, 5)

    private_redis.stop()
    await send(jo, op("during", "written while Redis is down"))
    # Still applied (the database is fine) and still delivered, from the log.
    assert (await the_op(ravi, "written while Redis is down", timeout=6))["seq"] == 1
    assert not hub.subscribed

    private_redis.start()
    started = time.monotonic()
    assert await until(lambda: hub.subscribed, 5), "not subscribed again within 5 s"
    healed_in = time.monotonic() - started
    await send(jo, op("after", "after Redis came back"))
    assert (await the_op(ravi, "after Redis came back", timeout=5))["seq"] == 2
    assert healed_in < 5
    await jo.disconnect()
    await ravi.disconnect()
