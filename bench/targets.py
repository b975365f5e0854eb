"""What the load generator is pointed at: the bare relay, or Resonance itself.

A target starts its server process(es), hands out `loadgen.Participant`s for
N boards x M people, and stops everything it started. Boards and participants
are pooled, so saturation steps reuse what earlier steps made (each
participant's snapshot seq tells the generator where its board starts).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from loadgen import Participant
from servers import DIRECT, HOST, PYTHON, Server, free_port, run_checked, server_argv

BENCH_DIR = Path(__file__).resolve().parent
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379"


class RelayTarget:
    label = "relay"

    def __init__(self, server: str, log_dir: Path, extra_env: dict | None = None):
        port = free_port()
        # bench/ is a plain folder, so the app is addressed as bench.relay from the repo root.
        argv = server_argv(server, "bench.relay:application", port, lifespan=True)
        self.servers = [
            Server(
                f"relay-{server}", argv, BENCH_DIR.parent, {**os.environ, **(extra_env or {})}, port, log_dir
            )
        ]
        self.label = f"relay ({server})"

    def start(self) -> None:
        self.servers[0].start("/")

    def participants(self, boards: int, per_board: int) -> list[Participant]:
        port = self.servers[0].port
        return [
            Participant(
                board=f"relay:{b}", url=f"ws://{HOST}:{port}/ws/boards/{b}/", origin=f"http://{HOST}:{port}"
            )
            for b in range(1, boards + 1)
            for _ in range(per_board)
        ]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


class NotReady(RuntimeError):
    """Resonance's endpoints are not there (yet): reported, not a harness crash."""


class Throttled(NotReady):
    """HTTP 429: the endpoint is there but limits how fast we may call it."""


def api(base_url: str, path: str, body: dict, token: str | None = None) -> dict:
    request = urllib.request.Request(
        base_url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with DIRECT.open(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()[:300].decode(errors="replace")
        detail = "(an HTML page)" if body.lstrip().startswith("<") else body
        if exc.code == 429:
            raise Throttled(f"POST {path} -> HTTP 429: {detail}") from None
        raise NotReady(f"POST {path} -> HTTP {exc.code}: {detail}") from None


# Runs inside `manage.py shell -c` against the server's own database; the
# credentials come in through the environment so nothing needs quoting.
CREATE_OWNER = """
import os
from django.contrib.auth import get_user_model
from accounts.models import Membership, Team
user, _ = get_user_model().objects.get_or_create(username=os.environ["BENCH_USER"])
user.set_password(os.environ["BENCH_PASSWORD"])
user.save()
team, _ = Team.objects.get_or_create(name="Benchmark team")
Membership.objects.update_or_create(team=team, user=user, defaults={"role": "owner"})
# The built-in templates (the harness asks for "empathy-map"), made the way
# `manage.py seed_demo` makes them, where the app has that helper.
try:
    from boards.builtin_templates import ensure_builtin_templates
except ImportError:
    pass
else:
    ensure_builtin_templates()
print("owner", user.pk, "team", team.pk)
"""


# Joins the way POST /api/v1/join/ does (boards.workshops.join_workshop), for
# when that endpoint's per-address throttle would make a big run wait minutes.
JOIN_IN_SHELL = """
import json, os
from boards.workshops import join_workshop
wanted = json.loads(open(os.environ["BENCH_JOINS_FILE"]).read())
print("BENCH_TOKENS " + json.dumps([join_workshop(code, name).token for code, name in wanted]))
"""


def create_owner(app_dir: Path, env: dict, username: str, password: str) -> None:
    """A user who owns a team, made directly in the database (there is no sign-up API)."""
    env = {**env, "BENCH_USER": username, "BENCH_PASSWORD": password}
    run_checked([PYTHON, "manage.py", "shell", "-c", CREATE_OWNER], app_dir, env, "create bench owner")


PUBSUB_SETTINGS = """
from workshop.settings import *  # noqa: F403
from workshop.settings import CHANNEL_LAYERS

CHANNEL_LAYERS["default"]["BACKEND"] = "channels_redis.pubsub.RedisPubSubChannelLayer"
"""
ENV_HELPER_CALL = re.compile(r"\benv[a-z]+\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")


def settings_variables(app_dir: Path) -> set[str]:
    """Every environment variable the app's settings.py reads through its env helpers."""
    settings = app_dir / "workshop" / "settings.py"
    source = settings.read_text() if settings.exists() else ""
    return set(ENV_HELPER_CALL.findall(source)) | {"DATABASE_URL", "REDIS_URL", "CHANNEL_PREFIX"}


class ResonanceTarget:
    """One or more Resonance processes over one database (and Redis when several)."""

    def __init__(
        self,
        app_dir: Path,
        server: str,
        log_dir: Path,
        procs: int = 1,
        db: str = "sqlite",
        layer: str = "memory",
    ):
        if procs > 1 and (db != "postgres" or layer == "memory"):
            raise ValueError("several processes need --db postgres and a Redis layer")
        self.app_dir, self.log_dir, self.db, self.layer = app_dir, log_dir, db, layer
        tag = f"bench{os.getpid()}_{int(time.time())}"
        self.db_name = tag if db == "postgres" else None
        self.channel_prefix = tag if layer != "memory" else None
        # Name what is really served: the self-test points this at bench/mock_resonance.
        name = "Resonance" if (app_dir / "boards").is_dir() else f"{app_dir.name} (not Resonance)"
        self.label = f"{name} ({server}, {db}, {layer}" + (f", {procs} procs)" if procs > 1 else ")")
        self.env = self._env(log_dir)
        self.servers = []
        for i in range(procs):
            port = free_port()
            argv = server_argv(server, "workshop.asgi:application", port, lifespan=False)
            self.servers.append(Server(f"resonance-{server}-{i}", argv, app_dir, self.env, port, log_dir))
        self.owner_token: str | None = None
        self.boards: list[tuple[int, list[str]]] = []  # (board id, participant tokens)
        self._join_codes: dict[int, str] = {}
        self.join_throttled = False
        self.created_db = False

    def _env(self, log_dir: Path) -> dict:
        # Only what we set reaches the server: any setting this shell happens to
        # export (DATABASE_URL of another run, DEBUG...) is dropped first.
        env = {k: v for k, v in os.environ.items() if k not in settings_variables(self.app_dir)}
        # Production-like: DEBUG off (no query log kept in memory), but plain HTTP.
        env.update(
            DJANGO_SETTINGS_MODULE="workshop.settings",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=f"{HOST},localhost",
            SECURE_SSL_REDIRECT="0",
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(self.app_dir),
            PYTHONUNBUFFERED="1",
        )
        if self.db == "postgres":
            env["DATABASE_URL"] = f"{POSTGRES_ADMIN_URL}/{self.db_name}"
        else:
            env["DATABASE_URL"] = f"sqlite:///{log_dir / 'resonance.sqlite3'}"
        if self.layer != "memory":
            env["REDIS_URL"] = REDIS_URL
            env["CHANNEL_PREFIX"] = self.channel_prefix
        if self.layer == "pubsub":
            # settings.py has no switch for the pub/sub layer: a settings module of
            # our own imports Resonance's and swaps the backend (asgi.py and manage.py
            # only setdefault DJANGO_SETTINGS_MODULE, so ours wins).
            (log_dir / "bench_pubsub_settings.py").write_text(PUBSUB_SETTINGS)
            env["DJANGO_SETTINGS_MODULE"] = "bench_pubsub_settings"
            env["PYTHONPATH"] = f"{self.app_dir}{os.pathsep}{log_dir}"
        return env

    def start(self) -> None:
        if self.db == "postgres":
            psql = ["psql", "-h", HOST, "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c"]
            run_checked(
                [*psql, f'CREATE DATABASE "{self.db_name}"'], self.app_dir, self.env, "create database"
            )
            self.created_db = True
        run_checked(
            [PYTHON, "manage.py", "migrate", "--noinput"], self.app_dir, self.env, "migrate", timeout=300
        )
        self.username, self.password = "bench-owner", secrets.token_urlsafe(16)
        create_owner(self.app_dir, self.env, self.username, self.password)
        for server in self.servers:
            server.start("/healthz")
        self.owner_token = api(
            self.servers[0].base_url,
            "/api/v1/auth/token/",
            {"username": self.username, "password": self.password},
        )["token"]

    def _new_board(self, n: int) -> int:
        workshop = api(
            self.servers[0].base_url,
            "/api/v1/workshops/",
            {"title": f"Bench workshop {n}", "template": "empathy-map"},
            self.owner_token,
        )
        boards = workshop["boards"]
        board = next((b for b in boards if b.get("kind") == "empathy-map"), boards[0])
        self._join_codes[board["id"]] = workshop["join_code"]
        return board["id"]

    def _join_rest(self, board_id: int, k: int) -> str:
        # Spread REST calls over the processes too: any process serves any request.
        base = self.servers[k % len(self.servers)].base_url
        body = {"code": self._join_codes[board_id], "display_name": f"Bench {k}"}
        return api(base, "/api/v1/join/", body)["token"]

    def _join_shell(self, wanted: list[tuple[int, int]]) -> list[str]:
        joins_file = self.log_dir / "bench-joins.json"
        joins_file.write_text(json.dumps([[self._join_codes[b], f"Bench {k}"] for b, k in wanted]))
        env = {**self.env, "BENCH_JOINS_FILE": str(joins_file)}
        out = run_checked(
            [PYTHON, "manage.py", "shell", "-c", JOIN_IN_SHELL], self.app_dir, env, "join in shell"
        )
        line = next(ln for ln in out.splitlines() if ln.startswith("BENCH_TOKENS "))
        return json.loads(line.split(" ", 1)[1])

    def _join_all(self, wanted: list[tuple[int, int]]) -> list[str]:
        """Tokens for (board, k) pairs: over REST until the join throttle says 429
        (a guest-join limit per address is right for production, and every
        participant here comes from 127.0.0.1), then in one `manage.py shell`."""
        tokens = []
        if not self.join_throttled:
            for board_id, k in wanted:
                try:
                    tokens.append(self._join_rest(board_id, k))
                except Throttled:
                    self.join_throttled = True
                    print("    join API throttled: joining the rest in manage.py shell", flush=True)
                    break
        return tokens + (self._join_shell(wanted[len(tokens) :]) if len(tokens) < len(wanted) else [])

    def participants(self, boards: int, per_board: int) -> list[Participant]:
        while len(self.boards) < boards:
            self.boards.append((self._new_board(len(self.boards) + 1), []))
        wanted = [(b, k) for b, tokens in self.boards[:boards] for k in range(len(tokens), per_board)]
        by_board = {b: tokens for b, tokens in self.boards}
        for (board_id, _), token in zip(wanted, self._join_all(wanted), strict=True):
            by_board[board_id].append(token)
        result = []
        for board_id, tokens in self.boards[:boards]:
            for k, token in enumerate(tokens[:per_board]):
                # Alternate people of one board over the processes: a board then spans
                # every process, which is the case Redis + the op log must get right.
                port = self.servers[k % len(self.servers)].port
                result.append(
                    Participant(
                        board=f"resonance:{board_id}",
                        url=f"ws://{HOST}:{port}/ws/boards/{board_id}/",
                        token=token,
                        origin=f"http://{HOST}:{port}",
                    )
                )
        return result

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        if self.created_db:
            psql = ["psql", "-h", HOST, "-U", "postgres", "-d", "postgres", "-c"]
            subprocess.run(
                [*psql, f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'],
                capture_output=True,
                timeout=60,
            )
        if self.channel_prefix:
            clear_redis_prefix(self.channel_prefix)


def clear_redis_prefix(prefix: str) -> None:
    """Delete the keys our run left in Redis (only ours: the prefix is unique)."""
    found = subprocess.run(
        ["redis-cli", "-h", HOST, "--scan", "--pattern", f"{prefix}*"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    keys = found.stdout.split()
    for i in range(0, len(keys), 500):
        subprocess.run(["redis-cli", "-h", HOST, "DEL", *keys[i : i + 500]], capture_output=True, timeout=60)
