"""Can this process reach the services it depends on: the database and Redis?

Asked at start-up (workshop/apps.py: a system check, so `manage.py check`,
`migrate` and the ASGI server stop with a message naming the variable) and by
/healthz while running. Each function answers None when all is well, or a
sentence naming the setting and what went wrong; passwords never appear.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections

CHECK_TIMEOUT = 3  # seconds; a probe must answer well inside a load balancer's interval


def redacted(url: str) -> str:
    """The URL without its password, fit for a log line or an error message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _database_name() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"DATABASE_URL (SQLite file {db['NAME']})"
    return f"DATABASE_URL (PostgreSQL {db.get('USER') or ''}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']})"


def database_problem(timeout: float = CHECK_TIMEOUT, direct: bool = False) -> str | None:
    """Runs SELECT 1; on PostgreSQL through the pool, waiting at most `timeout` for a connection.

    `direct`: on a connection of its own instead, which reports the server's own
    error (refused, no such database, wrong password) rather than the pool's timeout.
    """
    connection = connections["default"]
    try:
        pool = getattr(connection, "pool", None)
        if pool is not None and direct:
            import psycopg

            params = connection.get_connection_params()
            params["connect_timeout"] = max(1, int(timeout))
            with psycopg.connect(**params) as conn:
                conn.execute("SELECT 1")
        elif pool is not None:
            pool.open()
            with pool.connection(timeout=timeout) as conn:
                conn.execute("SELECT 1")
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as exc:
        return f"{_database_name()} does not answer: {_first_line(exc)}"
    return None


def redis_problem(timeout: float = CHECK_TIMEOUT) -> str | None:
    """PINGs REDIS_URL with a client of its own (used at start-up, before any event loop)."""
    url = getattr(settings, "REDIS_URL", None)
    if not url:
        return None
    import redis

    try:
        with redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout) as client:
            client.ping()
    except Exception as exc:
        return f"REDIS_URL ({redacted(url)}) does not answer: {_first_line(exc)}"
    return None


async def channel_layer_problem(layer, timeout: float = CHECK_TIMEOUT) -> str | None:
    """A cheap check of the channel layer this process uses.

    On Redis: a PING through the layer's own connection pool, so it tests what
    the consumers use, and never waits behind a consumer's blocking receive.
    Otherwise (the in-memory layer): a message sent to a fresh channel and read back.
    """
    if layer is None:
        return "no channel layer is configured"
    try:
        if hasattr(layer, "ring_size") and hasattr(layer, "connection"):
            for index in range(layer.ring_size):
                await asyncio.wait_for(layer.connection(index).ping(), timeout)
        else:
            channel = await layer.new_channel("healthz.")
            await layer.send(channel, {"type": "healthz.ping"})
            message = await asyncio.wait_for(layer.receive(channel), timeout)
            if message.get("type") != "healthz.ping":
                return "the channel layer returned a wrong message"
    except Exception as exc:
        url = getattr(settings, "REDIS_URL", None)
        name = f"REDIS_URL ({redacted(url)})" if url else "the in-memory channel layer"
        return f"{name} does not answer: {_first_line(exc) or type(exc).__name__}"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
