"""Phases: moved forward and back by facilitators, each allowing the ops of the phase table."""

import pytest

from boards import phases
from boards.models import Workshop
from boards.ops import OPS
from tests.facilitation.conftest import do, refused

TABLE = {
    "note.add": {"open", "write", "discuss"},
    "note.update": {"open", "write", "group", "discuss"},
    "note.move": {"open", "write", "group", "discuss"},
    "note.delete": {"open", "write", "group", "discuss"},
    "note.hide": {"write", "reveal"},
    "note.merge": {"write", "reveal"},
    "cluster.create": {"open", "group", "discuss"},
    "cluster.rename": {"open", "group", "discuss"},
    "cluster.add_note": {"open", "group", "discuss"},
    "cluster.remove_note": {"open", "group", "discuss"},
    "cluster.delete": {"open", "group", "discuss"},
    "vote.add": {"vote"},
    "vote.remove": {"vote"},
    "votes.close": {"vote", "discuss", "wrap-up"},
    "votes.reset": {"vote"},
}


def test_the_phase_table_is_the_documented_one():
    for kind, allowed in TABLE.items():
        assert OPS[kind].phases == allowed, kind
    unrestricted = {kind for kind, spec in OPS.items() if spec.phases is None}
    assert unrestricted >= {"phase.set", "workshop.settings", "timer.start", "board.lock", "persona.update"}


def test_phases_go_forward_and_back(board, maya):
    for phase in phases.ORDER[1:]:
        assert do(board, maya, "phase.set", {"phase": phase})["data"]["phase"] == phase
    do(board, maya, "phase.set", {"phase": "discuss"})
    do(board, maya, "phase.set", {"phase": "write"})
    assert Workshop.objects.get(id=board.workshop_id).phase == "write"


@pytest.mark.parametrize("phase", [p for p in phases.ORDER if p not in TABLE["note.add"]])
def test_notes_cannot_be_added_outside_writing_phases(board, maya, ana, phase):
    do(board, maya, "phase.set", {"phase": phase})
    refused("forbidden", board, ana, "note.add", {"section": "says", "text": "x"})


def test_a_new_workshop_is_open_and_notes_are_public(board, ana, ben):
    assert Workshop.objects.get(id=board.workshop_id).phase == "open"
    assert do(board, ana, "note.add", {"section": "says"})["data"]["private"] is False
