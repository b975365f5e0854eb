"""/healthz tells a load balancer whether this process can reach the database and the channel layer."""

import urllib.error
import urllib.request
from unittest import mock

import pytest
from channels.layers import get_channel_layer
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_all_is_well(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "channel_layer": True}


def test_it_answers_503_when_the_database_fails(client):
    connection = connections["default"]
    # On PostgreSQL the check borrows from the pool; on SQLite it opens a cursor.
    pool = getattr(connection, "pool", None)
    target, name = (pool, "connection") if pool else (connection, "cursor")
    with mock.patch.object(target, name, side_effect=OperationalError("server closed")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "database": False,
        "channel_layer": True,
        "problems": ["the database (DATABASE_URL) does not answer"],
    }


def test_it_answers_503_when_the_channel_layer_fails(client, settings):
    layer = get_channel_layer()
    # Redis is asked through the layer's connection pool, the in-memory layer by a round trip.
    broken = "connection" if settings.REDIS_URL else "send"
    with mock.patch.object(layer, broken, side_effect=ConnectionError("Redis went away")):
        response = client.get("/healthz")
    assert response.status_code == 503
    name = "REDIS_URL" if settings.REDIS_URL else "in-memory"
    assert response.json() == {
        "status": "failing",
        "database": True,
        "channel_layer": False,
        "problems": [f"the channel layer ({name}) does not answer"],
    }


def test_it_needs_no_login(client):
    # Load balancers probe anonymously; the rest of the site asks for a login.
    assert client.get("/").status_code == 302
    assert client.get("/healthz").status_code == 200


@pytest.mark.multiprocess
def test_it_answers_plain_http_probes_in_production(start_app):
    # With DEBUG off every other page redirects to https; the probe must not.
    server = start_app(
        {"DEBUG": "0", "SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR"}
    )
    with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
        assert response.status == 200

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(NoRedirects).open(server.url + "/accounts/login/", timeout=10)
    assert answer.value.code == 301
    assert answer.value.headers["Location"].startswith("https://")
