"""A cast and a real workshop for the export tests.

The cast mirrors tests/conftest.py of the accounts work (owner, facilitator,
member, viewer in `team`; `outsider` in none), defined here too so this folder
runs on its own. The workshop is built through boards.ops.apply_op_request, so
every exporter reads exactly what a live workshop would hold.
"""

import sys
import types

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.ops import apply_op_request
from boards.workshops import create_workshop, join_workshop

PASSWORD = "correct horse battery staple"

# Texts a spreadsheet or a browser would run if they were not neutralised.
TRICKY_TEXTS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rleading CR",
    "<script>alert('x')</script> <b>bold</b>",
    "Ça roule 🚲✨ — naïve café",
    "Two\nlines",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    def make(username, **extra):
        return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def owner(make_user):
    return make_user("olivia", first_name="Olivia")


@pytest.fixture
def facilitator(make_user):
    return make_user("fred", first_name="Fred")


@pytest.fixture
def member(make_user):
    return make_user("maya")


@pytest.fixture
def viewer(make_user):
    return make_user("luis")


@pytest.fixture
def outsider(make_user):
    return make_user("eve")


@pytest.fixture
def team(owner, facilitator, member, viewer):
    team = Team.objects.create(name="Bike repair")
    for user, role in [
        (owner, Role.OWNER),
        (facilitator, Role.FACILITATOR),
        (member, Role.MEMBER),
        (viewer, Role.VIEWER),
    ]:
        Membership.objects.create(team=team, user=user, role=role)
    return team


@pytest.fixture
def other_team(outsider):
    team = Team.objects.create(name="Elsewhere")
    Membership.objects.create(team=team, user=outsider, role=Role.OWNER)
    return team


@pytest.fixture
def templates(db):
    ensure_builtin_templates()


def empathy_template():
    return Template.objects.get(team__isnull=True, slug="empathy-map")


@pytest.fixture
def empty_workshop(templates, team, facilitator):
    return create_workshop(facilitator, team, "Empty one", empathy_template())


@pytest.fixture
def workshop(templates, team, facilitator):
    """First-time e-bike owner: a persona, a guest, ordinary and tricky notes."""
    workshop = create_workshop(facilitator, team, "First-time e-bike owner", empathy_template())
    board = workshop.boards.get()
    fred = workshop.participants.get(user=facilitator)
    ana = join_workshop(workshop.join_code, "Ana")
    apply_op_request(
        board.id, fred.id, "persona.update", {"name": "Sam", "details": {"age": "34", "quote": "Monday!"}}
    )
    add(board, fred, "says", "I just need it to work by Monday.", "pink")
    add(board, ana, "thinks", "Did I buy a lemon?")
    for i, text in enumerate(TRICKY_TEXTS):
        add(board, ana if i % 2 else fred, ["says", "thinks", "does", "feels"][i % 4], text)
    return workshop


def add(board, participant, section, text, color="yellow"):
    return apply_op_request(
        board.id, participant.id, "note.add", {"section": section, "text": text, "color": color}
    )


def note_count(workshop) -> int:
    return sum(b.notes.count() for b in workshop.boards.all())


@pytest.fixture
def fake_curve(monkeypatch):
    """Stands in for boards/curve.py of the journey feature until it is merged."""
    module = types.ModuleType("boards.curve")
    module.emotion_curve = lambda snapshot, persona_id: [
        {"stage": "book", "title": "Book", "mean": 0.5 if persona_id == 4 else -1.5, "count": 3},
        {"stage": "wait", "title": "Wait", "mean": -2.4 if persona_id == 4 else 1.0, "count": 3},
    ]
    module.curve_svg = lambda snapshot: (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">'
        '<polyline points="0,40 150,90 300,20" fill="none" stroke="#6d5dfc" stroke-width="4"/></svg>'
    )
    monkeypatch.setitem(sys.modules, "boards.curve", module)
    return module


@pytest.fixture
def journey_board(workshop, monkeypatch, fake_curve):
    """A journey board in `workshop` whose snapshot carries stages, as the journey feature's will."""
    from boards import state
    from boards.models import Board, BoardKind, Persona

    board = Board.objects.create(workshop=workshop, kind=BoardKind.JOURNEY_MAP, title="Journey", position=1)
    Persona.objects.create(board=board, name="Sam")

    def stages(b):
        if b.kind != BoardKind.JOURNEY_MAP:
            return {}
        return {
            "stages": [{"key": "book", "title": "Book"}, {"key": "wait", "title": "Wait"}],
            "lanes": [],
            "emotions": [],
        }

    monkeypatch.setattr(state, "SNAPSHOT_PARTS", [*state.SNAPSHOT_PARTS, stages])
    return board


def pytest_configure(config):
    # WhiteNoise warns on every request when STATIC_ROOT (collectstatic's output) is absent, as in tests.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
