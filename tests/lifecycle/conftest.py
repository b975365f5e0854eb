"""Lifecycle tests: Maya's empathy-map workshop (tests/support/workshop_cast.py), her team, two guests.

`api` is a REST client for Maya (team owner, the workshop's facilitator);
`guest_api(participant)` one for a guest's token.
"""

import pytest
from rest_framework.test import APIClient

from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.ops import apply_op_request
from boards.workshops import create_workshop


@pytest.fixture
def workshop(maya, maya_team):
    ensure_builtin_templates()
    template = Template.objects.get(team__isnull=True, slug="empathy-map")
    return create_workshop(maya, maya_team, "First-time e-bike owner", template)


@pytest.fixture
def board(workshop):
    return workshop.boards.get()


@pytest.fixture
def host(workshop, maya):
    return workshop.participants.get(user=maya)


@pytest.fixture
def api(maya_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {maya_token}")
    return client


@pytest.fixture
def guest_api():
    def make(participant):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {participant.token}")
        return client

    return make


@pytest.fixture
def do():
    """Applies one op through the door, as any transport would."""

    def apply(board, participant, kind, client_op_id=None, **data):
        return apply_op_request(board.id, participant.id, kind, data, client_op_id)

    return apply


@pytest.fixture
def fresh_channel_layer(settings):
    import copy
    import uuid

    from channels.layers import channel_layers

    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "redis" in layers["default"]["BACKEND"]:
        layers["default"]["CONFIG"]["prefix"] = f"test-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = layers
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}
