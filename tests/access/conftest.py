"""A workshop of the shared team (tests/conftest.py): Olivia owns the team and created it.

Fred (team facilitator), Maya (member) and Luis (viewer) have opened it, so
each holds a place that came from the team; Jo is a guest who joined by code.
"""

import pytest
from rest_framework.authtoken.models import Token

from boards.access import participant_for
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.workshops import create_workshop, join_workshop
from tests.boards.conftest import fresh_channel_layer  # noqa: F401  (a channel layer per socket test)


@pytest.fixture
def workshop(team, owner, facilitator, member, viewer):
    ensure_builtin_templates()
    workshop = create_workshop(
        owner, team, "First-time e-bike owner", Template.objects.get(slug="empathy-map")
    )
    for user in (facilitator, member, viewer):
        participant_for(user, workshop)
    return workshop


@pytest.fixture
def board(workshop):
    return workshop.boards.get()


@pytest.fixture
def jo(workshop):
    return join_workshop(workshop.join_code, "Jo")


@pytest.fixture
def token_of(db):
    def token(user):
        return Token.objects.get_or_create(user=user)[0].key

    return token
