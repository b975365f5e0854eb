"""A workshop with an empathy map, Maya who hosts it (`host`), and two guests, for board tests."""

import pytest

from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
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
    """Maya's participant: she facilitates the workshop."""
    return workshop.participants.get(user=maya)


@pytest.fixture
def other_board(maya, maya_team):
    ensure_builtin_templates()
    template = Template.objects.get(team__isnull=True, slug="empathy-map")
    return create_workshop(maya, maya_team, "Another workshop", template).boards.get()


@pytest.fixture
def fresh_channel_layer(settings):
    """A channel layer of this test's own (Redis keys under a unique prefix when Redis is used)."""
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
