"""An idle WebSocket on a real Redis channel layer stays open, with heartbeats.

redis-py's default read timeout (5 s) equals channels-redis's blocking read, so
with default settings every idle consumer died with 1011 after about 6 s; the
host settings in workshop/settings.py outwait it. /healthz stays 200 for an idle
process all along (its check no longer queues behind that blocking read).
"""

import asyncio
import contextlib
import json
import time
import urllib.request

import pytest
import websockets

from tests.support.servers import FALLBACK_REDIS_URL, redis_answers, run_manage

pytestmark = [pytest.mark.multiprocess, pytest.mark.slow]

IDLE_SECONDS = 30

MAKE_BOARD = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from accounts.models import Membership, Role, Team
from boards.models import Template
from boards.workshops import create_workshop
user = get_user_model().objects.create_user("maya", password="x-long-password-1")
team = Team.objects.create(name="Bike repair")
Membership.objects.create(team=team, user=user, role=Role.OWNER)
workshop = create_workshop(user, team, "Idle", Template.objects.get(team__isnull=True, slug="empathy-map"))
print(Token.objects.create(user=user).key, workshop.boards.get().id)
"""


@pytest.fixture
def redis_app(start_app, app_env):
    """One server on a real Redis channel layer (REDIS_URL, or the local Redis's database 15)."""
    if "REDIS_URL" in app_env:
        return start_app()
    assert redis_answers(FALLBACK_REDIS_URL), "this test needs Redis: set REDIS_URL or run redis-server"
    from tests.support.fixtures import _channel_env

    return start_app(_channel_env(FALLBACK_REDIS_URL))


def healthz_status(server) -> int:
    try:
        with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_an_idle_socket_stays_open_with_heartbeats_and_healthz_stays_200(redis_app, app_database):
    token, board_id = run_manage(app_database, "shell", "-c", MAKE_BOARD).stdout.split()[-2:]
    frames, probes = [], []
    async with websockets.connect(
        f"{redis_app.ws_url}/ws/boards/{board_id}/",
        additional_headers={"Origin": redis_app.origin, "Authorization": f"Token {token}"},
    ) as ws:
        started = time.monotonic()
        while time.monotonic() - started < IDLE_SECONDS:
            with contextlib.suppress(TimeoutError):
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), timeout=3)))
            probes.append(await asyncio.to_thread(healthz_status, redis_app))
        assert ws.close_code is None, f"closed with {ws.close_code} after {time.monotonic() - started:.0f} s"
    heartbeats = [frame for frame in frames if frame["type"] == "heartbeat"]
    # One every WS_HEARTBEAT_SECONDS (10): at least two in 30 s, all the way through.
    assert len(heartbeats) >= 2, [frame["type"] for frame in frames]
    assert set(probes) == {200}, probes
    assert "Timeout reading" not in redis_app.log()
