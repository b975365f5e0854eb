"""The production shape for tests: deploy/local-stack brought up under a temporary directory.

- `stack` (fixture): a Stack with PostgreSQL, Redis, two app processes, the worker
  (when the release has one) and nginx in front, shared by the tests of a session
  and taken down at its end. Each test gets it with every part running again.
- Stack.url / ws_url / origin: nginx, as a browser sees it (SocketClient and
  `call` of tests/boards/simclient.py take a Stack where they take a server).
- Stack.stop(part) / start(part): a fault (`app-1` is killed with SIGKILL).
- Stack.manage(...): manage.py on the stack's database, with its environment.
- Stack.upstreams(path_prefix): the app processes nginx handed such requests to.

Registered in tests/conftest.py. Needs nginx, redis-server and PostgreSQL's
binaries (Debian's packages); the tests that use it fail, not skip, without them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.servers import REPO_ROOT

SCRIPT = REPO_ROOT / "deploy" / "local-stack"


class StackError(RuntimeError):
    pass


class Stack:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    # --- running deploy/local-stack ------------------------------------------

    def run(self, *args: str, timeout: float = 300) -> str:
        env = {
            key: value
            for key, value in os.environ.items()
            # The stack's processes get their settings from its app.env only.
            if key not in {"DATABASE_URL", "REDIS_URL", "CHANNEL_PREFIX", "TEST_DATABASE_NAME"}
        }
        env |= {"STACK_DIR": str(self.directory), "PYTHON": sys.executable}
        result = subprocess.run(
            [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0 and args[0] != "status":
            raise StackError(
                f"deploy/local-stack {' '.join(args)} exited {result.returncode}\n"
                f"{result.stdout}\n{result.stderr}\n{self.logs()}"
            )
        return result.stdout

    def up(self) -> None:
        self.run("up", timeout=600)

    def down(self) -> None:
        self.run("down", timeout=120)

    def stop(self, part: str) -> None:
        self.run("stop", part, timeout=120)

    def start(self, part: str) -> None:
        self.run("start", part, timeout=120)

    def stopped_parts(self) -> list[str]:
        return re.findall(r"^\s+(\S+)\s+stopped", self.run("status"), flags=re.M)

    def heal(self) -> None:
        """Every part running again (after a test that stopped one and failed before starting it)."""
        order = ["postgres", "redis"]
        for part in sorted(self.stopped_parts(), key=lambda p: order.index(p) if p in order else 9):
            self.start(part)

    # --- what the stack is made of --------------------------------------------

    def _values(self, name: str) -> dict[str, str]:
        values = {}
        for line in (self.directory / name).read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                values[key] = value.strip('"')
        return values

    @property
    def ports(self) -> dict[str, str]:
        return self._values("stack.env")

    @property
    def app_env(self) -> dict[str, str]:
        return self._values("app.env")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['NGINX_PORT']}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.ports['NGINX_PORT']}"

    @property
    def origin(self) -> str:
        return self.url

    @property
    def app_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports["APP_PORTS"].split()]

    @property
    def database_url(self) -> str:
        return self.app_env["DATABASE_URL"]

    def pid(self, part: str) -> int:
        return int((self.directory / "run" / f"{part}.pid").read_text())

    def manage(self, *args: str, timeout: float = 120) -> str:
        env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **self.app_env}
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)}: {result.stdout}\n{result.stderr}")
        return result.stdout

    def upstreams(self, path_prefix: str) -> set[str]:
        """host:port of the app processes nginx passed requests starting with `path_prefix` to."""
        log = self.directory / "log" / "nginx-upstreams.log"
        found = set()
        for line in log.read_text().splitlines():
            uri, _status, upstream = (line.split(" ", 2) + ["", ""])[:3]
            if uri.startswith(path_prefix):
                found.update(address.strip() for address in upstream.split(","))
        return found - {"-", ""}

    def logs(self, lines: int = 40) -> str:
        out = []
        for path in sorted((self.directory / "log").glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name}\n" + "\n".join(tail))
        return "\n".join(out)


MAKE_FACILITATOR = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user, _ = get_user_model().objects.get_or_create(username="maya", defaults={"first_name": "Maya"})
print(Token.objects.get_or_create(user=user)[0].key)
"""


def facilitator_token(stack: Stack) -> str:
    """A token of Maya, who may create workshops (a personal team is made on first use)."""
    return stack.manage("shell", "-c", MAKE_FACILITATOR).strip().splitlines()[-1]


def _require_tools() -> None:
    missing = [
        tool
        for tool in ("nginx", "redis-server", "redis-cli")
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists()
    ]
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("postgresql")
    if missing:
        pytest.fail(f"the local stack needs {', '.join(missing)} (apt-get install ...)", pytrace=False)


@pytest.fixture(scope="session")
def _stack_session():
    _require_tools()
    directory = Path(tempfile.mkdtemp(prefix="resonance-stack-"))
    os.chmod(directory, 0o755)  # PostgreSQL runs as its own user under it
    stack = Stack(directory)
    try:
        stack.up()
        yield stack
    finally:
        try:
            stack.down()
        finally:
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def stack(_stack_session):
    """The local stack with every part running; its logs join a failing test's report."""
    _stack_session.heal()
    return _stack_session


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        stack = getattr(item, "funcargs", {}).get("stack")
        if stack is not None:
            report.sections.append(("local stack logs", stack.logs()))
    return report
