"""Real Resonance server processes (daphne) and the databases they share with a test.

Tests of WebSockets across processes, of several servers behind one Redis, and of
browsers need the app as it runs in production: a separate daphne process with its
own environment. This module starts one, waits until /healthz answers, and stops it;
it also runs manage.py against a chosen database and makes or drops such databases.
The pytest fixtures built on it are in tests/support/fixtures.py.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# Same as `make run`: daphne's default closes every WebSocket after 24 h.
WEBSOCKET_TIMEOUT = 86400 * 2
# Used by live_app_pair when REDIS_URL is not set: the in-memory channel layer
# cannot carry messages between processes.
FALLBACK_REDIS_URL = "redis://127.0.0.1:6379/15"


def settings_variables() -> list[str]:
    """Every environment variable workshop/settings.py reads through its env helpers."""
    source = (REPO_ROOT / "workshop" / "settings.py").read_text()
    return sorted(set(re.findall(r"\benv[a-z]+\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", source)))


def settings_environ(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any setting, plus `extra`.

    A subprocess started with it sees the defaults (DEBUG on, SQLite, in-memory
    layer) except for what `extra` sets, whatever the test run itself was given
    (CI runs the suite with DATABASE_URL and REDIS_URL set).
    """
    env = {key: value for key, value in os.environ.items() if key not in settings_variables()}
    env["DJANGO_SETTINGS_MODULE"] = "workshop.settings"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def run_manage(
    db_url: str, *args: str, env_extra: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run `manage.py <args>` against the database at `db_url` in a subprocess.

    Raises AssertionError with the command's output when it fails, so a test
    shows why; returns the completed process (stdout and stderr as text).
    """
    env = settings_environ({"DATABASE_URL": db_url, **(env_extra or {})})
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# Straight to 127.0.0.1, whatever http_proxy says.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerStartError(RuntimeError):
    pass


class ServerProcess:
    """One daphne process serving workshop.asgi:application on 127.0.0.1."""

    def __init__(self, env: dict[str, str], port: int | None, log_path: Path):
        self.env = env
        self.log_path = log_path
        self._port_given = port is not None
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self._launch_offset = 0

    @property
    def url(self) -> str:
        """http://127.0.0.1:<port>, no trailing slash: `server.url + "/healthz"`."""
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        """ws://127.0.0.1:<port>, no trailing slash: `f"{server.ws_url}/ws/boards/{id}/"`."""
        return f"ws://{HOST}:{self.port}"

    @property
    def origin(self) -> str:
        """The Origin header a browser on this server would send (WebSockets check it)."""
        return self.url

    def launch(self) -> None:
        command = [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            HOST,
            "-p",
            str(self.port),
            "--websocket_timeout",
            str(WEBSOCKET_TIMEOUT),
            "workshop.asgi:application",
        ]
        with open(self.log_path, "ab") as log:
            self._launch_offset = log.tell()
            log.write(f"$ {' '.join(command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        _running.add(self)

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until GET /healthz answers 200; raise ServerStartError with the log if not."""
        deadline = time.monotonic() + timeout
        last_answer = "no answer"
        relaunches = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                # Another process can take the free port between free_port() and
                # daphne's bind; pick a new one rather than fail the test.
                this_launch = self.log()[self._launch_offset :]
                if not self._port_given and relaunches < 3 and "Address already in use" in this_launch:
                    relaunches += 1
                    self.port = free_port()
                    self.launch()
                    continue
                raise ServerStartError(
                    f"server on port {self.port} exited with {self.process.returncode} before it was ready\n"
                    f"--- log {self.log_path}\n{self.log_tail()}"
                )
            try:
                with _direct.open(self.url + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
                    last_answer = f"{response.status} {response.read()[:500]!r}"
            except urllib.error.HTTPError as exc:
                last_answer = f"{exc.code} {exc.read()[:500]!r}"
            except OSError as exc:
                last_answer = repr(exc)
            time.sleep(0.1)
        self.stop()
        raise ServerStartError(
            f"server on port {self.port} not healthy after {timeout:.0f} s (last answer: {last_answer})\n"
            f"--- log {self.log_path}\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 10) -> None:
        """Terminate the process (SIGTERM, then SIGKILL); safe to call twice."""
        _running.discard(self)
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 200) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<ServerProcess {self.url} log={self.log_path}>"


_running: set[ServerProcess] = set()


@atexit.register
def _stop_leftovers() -> None:
    for server in list(_running):
        server.stop(timeout=2)


def launch_server(env_extra: dict[str, str] | None = None, port: int | None = None, log_path=None):
    """Start a server process without waiting for it (see start_server)."""
    if log_path is None:
        fd, name = tempfile.mkstemp(prefix="resonance-server-", suffix=".log")
        os.close(fd)
        log_path = name
    server = ServerProcess(settings_environ(env_extra), port, Path(log_path))
    server.launch()
    return server


def start_server(
    env_extra: dict[str, str] | None = None, port: int | None = None, log_path=None, timeout: float = 60
) -> ServerProcess:
    """Start `python -m daphne ... workshop.asgi:application` and wait until /healthz is 200.

    The process gets this test run's environment without its settings (see
    settings_environ) plus `env_extra` (DATABASE_URL, REDIS_URL, CHANNEL_PREFIX ...),
    listens on `port` or a free one, and writes stdout and stderr to `log_path`
    (a temporary file by default). Stop it with .stop() or use it as a context manager.
    """
    server = launch_server(env_extra, port, log_path)
    try:
        server.wait_ready(timeout)
    except BaseException:
        server.stop()
        raise
    return server


# Databases --------------------------------------------------------------------


def is_postgres(db_url: str) -> bool:
    return urlsplit(db_url).scheme in {"postgres", "postgresql"}


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy an SQLite database, with its write-ahead log if one is left."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


def with_database_name(db_url: str, name: str) -> str:
    """The same PostgreSQL server URL, naming database `name`."""
    return urlsplit(db_url)._replace(path="/" + name).geturl()


def unique_database_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:10]}"


def _maintenance_connection(db_url: str):
    import psycopg

    return psycopg.connect(db_url, dbname="postgres", autocommit=True, connect_timeout=10)


def create_postgres_database(db_url: str, name: str, template: str | None = None) -> str:
    """Create database `name` on the server of `db_url` (copying `template`); return its URL."""
    from psycopg import sql

    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with _maintenance_connection(db_url) as conn:
        conn.execute(statement)
    return with_database_name(db_url, name)


def drop_leftover_databases(db_url: str) -> None:
    """Drop databases that an earlier test run left behind when it was killed.

    Their names carry the pid of the run that made them (unique_database_name);
    one whose process is gone is no one's.
    """
    with _maintenance_connection(db_url) as conn:
        pattern = "^resonance_[a-z]+_[0-9]+_[0-9a-f]+$"
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname ~ %s", [pattern])
        names = [name for (name,) in rows]
    for name in names:
        pid = int(name.rsplit("_", 2)[1])
        if not Path(f"/proc/{pid}").exists():
            drop_postgres_database(db_url, name)


def drop_postgres_database(db_url: str, name: str) -> None:
    from psycopg import sql

    with _maintenance_connection(db_url) as conn:
        # FORCE: a server process killed mid-test may leave a connection behind.
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# Redis ------------------------------------------------------------------------


def redis_answers(redis_url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
        with client:
            return bool(client.ping())
    except (redis.RedisError, OSError):
        return False


def unique_channel_prefix() -> str:
    return f"resonance-test-{uuid.uuid4().hex}:"


def delete_redis_keys(redis_url: str, prefix: str) -> None:
    """Remove what a test's channel layer left in Redis (groups expire only after days)."""
    import redis

    with redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5) as client:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
