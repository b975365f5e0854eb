"""A workshop with a journey map, its facilitator, two guests and an outsider.

The browser tests' live server (a real daphne process on a migrated SQLite file)
is here too; shared fixtures elsewhere may replace it later.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.workshops import create_workshop, join_workshop

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def maya(db):
    return get_user_model().objects.create_user("maya", password="a-long-demo-password", first_name="Maya")


@pytest.fixture
def maya_team(maya):
    team = Team.objects.create(name="Bike repair franchise")
    Membership.objects.create(team=team, user=maya, role=Role.OWNER)
    return team


@pytest.fixture
def workshop(maya, maya_team):
    ensure_builtin_templates()
    template = Template.objects.get(team__isnull=True, slug="journey-map")
    return create_workshop(maya, maya_team, "E-bike repair journey", template)


@pytest.fixture
def board(workshop):
    return workshop.boards.get()


@pytest.fixture
def facilitator(workshop, maya):
    return workshop.participants.get(user=maya)


@pytest.fixture
def persona(board):
    return board.personas.get()


@pytest.fixture
def maya_token(maya):
    return Token.objects.create(user=maya).key


@pytest.fixture
def guest(workshop):
    return join_workshop(workshop.join_code, "Jo")


@pytest.fixture
def second_guest(workshop):
    return join_workshop(workshop.join_code, "Ravi")


@pytest.fixture
def outsider(db):
    user = get_user_model().objects.create_user("luis", password="another-long-password")
    return Token.objects.create(user=user).key


@pytest.fixture
def empathy_board(maya, maya_team):
    ensure_builtin_templates()
    template = Template.objects.get(team__isnull=True, slug="empathy-map")
    return create_workshop(maya, maya_team, "An empathy map", template).boards.get()


@pytest.fixture
def other_workshop_board(maya, maya_team):
    ensure_builtin_templates()
    template = Template.objects.get(team__isnull=True, slug="journey-map")
    return create_workshop(maya, maya_team, "Another journey", template).boards.get()


# --- a real server for browser tests ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(db_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")}
    env.update(DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="workshop.settings", PYTHONUNBUFFERED="1")
    return env


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing, and CI is set: browser tests must run there.")
        pytest.skip(f"browser test skipped: {CHROMIUM} is missing (set CI to make this a failure)")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory, chromium_path):
    """A daphne process serving the app on a free port, on its own migrated SQLite file."""
    tmp = tmp_path_factory.mktemp("journey-live")
    db_url = f"sqlite:///{tmp / 'db.sqlite3'}"
    env = _server_env(db_url)
    for args in (["migrate", "--noinput"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
    port = _free_port()
    log = open(tmp / "daphne.log", "wb")  # noqa: SIM115  (closed at teardown)
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "workshop.asgi:application"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            raise AssertionError("daphne did not start:\n" + (tmp / "daphne.log").read_text())
        time.sleep(0.1)
    yield url
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
