"""The live-server fixtures start real, healthy daphne processes that share one database."""

import json
import urllib.request

import pytest

from tests.support.servers import run_manage

pytestmark = pytest.mark.multiprocess


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_live_app_answers_healthz_and_serves_static_files(live_app):
    status, body = get(live_app.url + "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": True, "channel_layer": True}

    # daphne serves no files itself: WhiteNoise does, from the finders in DEBUG.
    status, _ = get(live_app.url + "/static/css/app.css")
    assert status == 200


def test_live_app_pair_share_one_database(live_app_pair, app_database):
    first, second = live_app_pair
    assert first.port != second.port
    for server in live_app_pair:
        status, body = get(server.url + "/healthz")
        assert status == 200, body
        assert server.env["DATABASE_URL"] == app_database
        assert server.env["REDIS_URL"]  # the pair always talks through Redis
    assert first.env["CHANNEL_PREFIX"] == second.env["CHANNEL_PREFIX"]

    # run_manage works on the same database the servers use.
    run_manage(
        app_database, "createsuperuser", "--no-input", "--username", "pair", "--email", "p@example.com"
    )
    shell = "from django.contrib.auth.models import User; print(User.objects.filter(username='pair').count())"
    assert run_manage(app_database, "shell", "--no-imports", "-c", shell).stdout.strip() == "1"
