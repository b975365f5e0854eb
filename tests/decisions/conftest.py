"""A workshop with an empathy map and a prioritisation board; Maya hosts, Jo and Ravi join."""

import pytest

from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.ops import apply_op_request
from boards.workshops import create_workshop
from decisions.services import add_prioritisation_board


@pytest.fixture
def workshop(maya, maya_team):
    ensure_builtin_templates()
    template = Template.objects.get(team__isnull=True, slug="empathy-map")
    return create_workshop(maya, maya_team, "First-time e-bike owner", template)


@pytest.fixture
def board(workshop):
    return workshop.boards.get(kind="empathy-map")


@pytest.fixture
def matrix(workshop):
    return add_prioritisation_board(workshop)


@pytest.fixture
def host(workshop, maya):
    return workshop.participants.get(user=maya)


@pytest.fixture
def op():
    """Applies an op through the door and returns its logged data."""

    def apply(board, participant, kind, **data):
        return apply_op_request(board.id, participant.id, kind, data).event["data"]

    return apply


@pytest.fixture
def pains(board, host, op):
    """Three revealed notes in Feels: what the opportunities come from."""
    texts = ["I never know when the bike is ready", "The estimate was wrong twice", "Waiting is awful"]
    return [op(board, host, "note.add", section="feels", text=t)["id"] for t in texts]


@pytest.fixture
def opportunity(board, host, op, pains, matrix):
    return op(board, host, "opportunity.add", title="Text when ready", notes=pains[:2])["opportunity"]


@pytest.fixture
def other_workshop_note(maya, maya_team, op):
    template = Template.objects.get(team__isnull=True, slug="empathy-map")
    other = create_workshop(maya, maya_team, "Another workshop", template)
    board = other.boards.get()
    host = other.participants.get(user=maya)
    from boards.models import Note

    return Note.objects.get(id=op(board, host, "note.add", section="says", text="elsewhere")["id"])
