"""Browser-test fixtures for the board page: a real daphne on a database of its own, and Chromium.

- board_server: one daphne subprocess (WebSockets need a real ASGI server) on a
  migrated SQLite file, with a facilitator account; `new_board()` makes a fresh
  empathy-map workshop through the REST API, `snapshot(board_id)` reads a board
  back through the REST API, `login(page, board_id, account=FACILITATOR)` /
  `join(page, code, name, board_id)` bring a browser in as the facilitator (or
  VIEWER, a team viewer who observes) or as a guest.
- board_browser: a Chromium for one test (Debian's /usr/bin/chromium). Without it
  the tests skip with the reason, except when CI is set: there it is a failure.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FACILITATOR = ("maya", "resonance-e2e-password")
VIEWER = ("luis", "resonance-e2e-password")  # a manager: reads every board of the team

SETUP_SCRIPT = """
from django.contrib.auth import get_user_model
from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
ensure_builtin_templates()
user = get_user_model().objects.create_user({username!r}, password={password!r}, first_name="Maya")
team = Team.objects.create(name="Bike repair franchise")
Membership.objects.create(team=team, user=user, role=Role.OWNER)
viewer = get_user_model().objects.create_user({viewer!r}, password={password!r}, first_name="Luis")
Membership.objects.create(team=team, user=viewer, role=Role.VIEWER)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args, timeout=120) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class BoardServer:
    url: str
    token: str
    log_path: Path

    def api(self, method, path, body=None, token=None):
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "Authorization": f"Token {token or self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def new_board(self, template="empathy-map", title="First-time e-bike owner") -> dict:
        """A fresh workshop: {board_id, join_code, workshop}."""
        workshop = self.api("POST", "/api/v1/workshops/", {"title": title, "template": template})
        return {
            "board_id": workshop["boards"][0]["id"],
            "join_code": workshop["join_code"],
            "workshop": workshop,
        }

    def snapshot(self, board_id) -> dict:
        return self.api("GET", f"/api/v1/boards/{board_id}/")

    def login(self, page, board_id, account=FACILITATOR):
        page.goto(f"{self.url}/accounts/login/?next=/b/{board_id}/")
        page.fill("#id_username", account[0])
        page.fill("#id_password", account[1])
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"**/b/{board_id}/")

    def join(self, page, join_code, name, board_id):
        page.goto(f"{self.url}/j/{join_code}")
        page.fill("input[name=display_name]", name)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(f"**/b/{board_id}/")

    def log_tail(self, lines=60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@pytest.fixture(scope="session")
def board_server(tmp_path_factory):
    """A daphne serving the app on a fresh SQLite database, with the facilitator account."""
    tmp = tmp_path_factory.mktemp("board-server")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "workshop.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)  # one process: the in-memory layer is enough
    _manage(env, "migrate", "--no-input")
    username, password = FACILITATOR
    _manage(env, "shell", "-c", SETUP_SCRIPT.format(username=username, password=password, viewer=VIEWER[0]))

    port = _free_port()
    log_path = tmp / "daphne.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "workshop.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"daphne did not start:\n{log_path.read_text()}") from None
            time.sleep(0.2)
    request = urllib.request.Request(
        url + "/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    token = json.loads(urllib.request.urlopen(request, timeout=10).read())["token"]
    server = BoardServer(url=url, token=token, log_path=log_path)
    yield server
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def _require_chromium():
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def board_browser():
    """A Chromium for one test; function-scoped, because a started sync Playwright
    leaves an asyncio loop running in this thread, which breaks later async tests."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def board_context(board_browser):
    """Factory for browser contexts (one per simulated person), closed afterwards."""
    contexts = []

    def make(**kwargs):
        context = board_browser.new_context(**kwargs)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    server = item.funcargs.get("board_server") if hasattr(item, "funcargs") else None
    if report.failed and server is not None:
        report.sections.append(("daphne log (tail)", server.log_tail()))
    return report
