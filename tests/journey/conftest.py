"""A workshop with a journey map, its facilitator, two guests and an outsider,
and a live server for the browser tests (tests/support/servers.py)."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.workshops import create_workshop
from tests.support.servers import run_manage, sqlite_url, start_server


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


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory):
    """A daphne process serving the app, with the demo loaded, on its own migrated SQLite file."""
    tmp = tmp_path_factory.mktemp("journey-live")
    db_url = sqlite_url(tmp / "db.sqlite3")
    run_manage(db_url, "migrate", "--noinput")
    run_manage(db_url, "seed_demo")
    server = start_server({"DATABASE_URL": db_url, "DEBUG": "1"}, log_path=tmp / "daphne.log")
    yield server.url
    server.stop()
