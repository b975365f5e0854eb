"""Fixtures for tests that need real server processes (registered in tests/conftest.py).

- app_database: URL of a migrated database of the test's own, which server
  processes and manage.py subprocesses share (a temporary SQLite file, or a fresh
  database on the PostgreSQL server named by DATABASE_URL, dropped afterwards).
- app_env: the environment for those processes: DATABASE_URL, and with REDIS_URL
  set a CHANNEL_PREFIX of the test's own, so that tests don't hear each other.
- start_app(env_extra=None): start a server on app_env (+ env_extra); stopped at
  teardown. start_app.many(extra, extra, ...) starts several side by side.
- live_app: one server process; live_app_pair: two, sharing the database and Redis.

When a test fails, the logs of the servers it started are added to its report.
"""

from __future__ import annotations

import os

import pytest

from tests.support.servers import (
    FALLBACK_REDIS_URL,
    ServerProcess,
    copy_sqlite,
    create_postgres_database,
    delete_redis_keys,
    drop_leftover_databases,
    drop_postgres_database,
    is_postgres,
    launch_server,
    redis_answers,
    run_manage,
    sqlite_url,
    unique_channel_prefix,
    unique_database_name,
)

_servers_key = pytest.StashKey[list[ServerProcess]]()


@pytest.fixture(scope="session")
def _app_database_template(tmp_path_factory):
    """A database migrated once per test run; each app_database is a copy of it."""
    server_url = os.environ.get("DATABASE_URL")
    if server_url and is_postgres(server_url):
        drop_leftover_databases(server_url)
        name = unique_database_name("resonance_template")
        url = create_postgres_database(server_url, name)
        try:
            run_manage(url, "migrate", "--no-input")
            yield ("postgresql", server_url, name)
        finally:
            drop_postgres_database(server_url, name)
    else:
        path = tmp_path_factory.mktemp("app-database") / "template.sqlite3"
        run_manage(sqlite_url(path), "migrate", "--no-input")
        yield ("sqlite", None, path)


@pytest.fixture
def app_database(_app_database_template, tmp_path) -> str:
    """URL of a migrated, empty database that this test's server processes share."""
    kind, server_url, template = _app_database_template
    if kind == "postgresql":
        name = unique_database_name("resonance_app")
        url = create_postgres_database(server_url, name, template=template)
        yield url
        drop_postgres_database(server_url, name)
    else:
        path = tmp_path / "app.sqlite3"
        copy_sqlite(template, path)
        yield sqlite_url(path)


def _channel_env(redis_url: str) -> dict[str, str]:
    """REDIS_URL with a CHANNEL_PREFIX of this test's own (delete_redis_keys removes its keys)."""
    return {"REDIS_URL": redis_url, "CHANNEL_PREFIX": unique_channel_prefix()}


@pytest.fixture
def app_env(app_database) -> dict[str, str]:
    """Environment for this test's server processes (on top of the defaults)."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        yield {"DATABASE_URL": app_database}
        return
    env = {"DATABASE_URL": app_database, **_channel_env(redis_url)}
    yield env
    delete_redis_keys(redis_url, env["CHANNEL_PREFIX"])


class AppStarter:
    """`start_app(env_extra=None)` starts one server on app_env (+ env_extra) and waits for it;
    `start_app.many(extra, extra, ...)` starts several side by side (faster than one by one)."""

    def __init__(self, app_env: dict[str, str], log_dir, started: list[ServerProcess]):
        self.app_env = app_env
        self.log_dir = log_dir
        self.started = started

    def __call__(self, env_extra: dict[str, str] | None = None) -> ServerProcess:
        return self.many(env_extra)[0]

    def many(self, *extras: dict[str, str] | None) -> list[ServerProcess]:
        servers = []
        for extra in extras:
            log_path = self.log_dir / f"server-{len(self.started) + 1}.log"
            server = launch_server(self.app_env | (extra or {}), log_path=log_path)
            self.started.append(server)
            servers.append(server)
        for server in servers:
            server.wait_ready()
        return servers


@pytest.fixture
def start_app(request, app_env, tmp_path) -> AppStarter:
    """Starts servers on this test's database; each is stopped at teardown and,
    when the test fails, its log is added to the report."""
    started = request.node.stash.setdefault(_servers_key, [])
    yield AppStarter(app_env, tmp_path, started)
    for server in started:
        server.stop()


@pytest.fixture
def live_app(start_app) -> ServerProcess:
    """One server process on this test's database (and Redis, when REDIS_URL is set)."""
    return start_app()


@pytest.fixture
def live_app_pair(start_app, app_env) -> tuple[ServerProcess, ServerProcess]:
    """Two server processes sharing this test's database and a Redis channel layer.

    Without REDIS_URL, uses the Redis at 127.0.0.1:6379 (database 15) if it
    answers, and skips otherwise: the in-memory layer cannot span processes.
    """
    if "REDIS_URL" in app_env:
        first, second = start_app.many(None, None)
        yield first, second
        return
    if not redis_answers(FALLBACK_REDIS_URL):
        pytest.skip(
            "live_app_pair needs Redis: set REDIS_URL or run redis-server on 127.0.0.1:6379 "
            "(the in-memory channel layer cannot carry messages between processes)"
        )
    extra = _channel_env(FALLBACK_REDIS_URL)
    first, second = start_app.many(extra, extra)
    yield first, second
    first.stop()
    second.stop()
    delete_redis_keys(FALLBACK_REDIS_URL, extra["CHANNEL_PREFIX"])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        for server in item.stash.get(_servers_key, []):
            report.sections.append((f"server log {server.url} ({server.log_path})", server.log_tail()))
    return report


# For a test that only means something on PostgreSQL. CI accepts this skip in its
# SQLite round only (the reason must start with "needs PostgreSQL"; see .ci/run).
needs_postgresql = pytest.mark.skipif(
    not is_postgres(os.environ.get("DATABASE_URL", "")),
    reason="needs PostgreSQL: run with DATABASE_URL=postgresql://...",
)
