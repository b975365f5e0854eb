"""The board page's browser tests: a board server (the browser fixtures are tests/support/browser.py)."""

import json
import urllib.request
from dataclasses import dataclass

import pytest

from tests.support.servers import ServerProcess, run_manage, sqlite_url, start_server

# The board page: a real daphne (WebSockets need an ASGI server) ---------------

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


@dataclass
class BoardServer:
    """A running app with a facilitator account, driven through its REST API and pages."""

    process: ServerProcess
    token: str

    @property
    def url(self) -> str:
        return self.process.url

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
        return self.process.log_tail(lines)


@pytest.fixture(scope="session")
def board_server(tmp_path_factory):
    """One daphne for the session on a fresh SQLite database (one process: the in-memory layer)."""
    tmp = tmp_path_factory.mktemp("board-server")
    db_url = sqlite_url(tmp / "db.sqlite3")
    run_manage(db_url, "migrate", "--no-input")
    username, password = FACILITATOR
    run_manage(
        db_url,
        "shell",
        "--no-imports",
        "-c",
        SETUP_SCRIPT.format(username=username, password=password, viewer=VIEWER[0]),
    )
    process = start_server({"DATABASE_URL": db_url, "DEBUG": "1"}, log_path=tmp / "daphne.log")
    try:
        request = urllib.request.Request(
            process.url + "/api/v1/auth/token/",
            data=json.dumps({"username": username, "password": password}).encode(),
            headers={"Content-Type": "application/json"},
        )
        token = json.loads(urllib.request.urlopen(request, timeout=10).read())["token"]
        yield BoardServer(process=process, token=token)
    finally:
        process.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    server = item.funcargs.get("board_server") if hasattr(item, "funcargs") else None
    if report.failed and server is not None:
        report.sections.append(("daphne log (tail)", server.log_tail()))
    return report
