"""Who receives a role change: everyone outside anonymous mode (authors carry roles), only
the person and facilitators in anonymous mode; a removal only ever reaches those two."""

from boards.state import board_snapshot
from boards.visibility import snapshot_for
from tests.facilitation.conftest import client_view, do, view


def test_a_role_change_keeps_everyones_screen_equal_to_their_snapshot(board, maya, ana, ben):
    do(board, ana, "note.add", {"section": "says", "text": "Ana's note"})
    before = board_snapshot(board.id)
    do(board, maya, "participant.role", {"id": ana.id, "role": "facilitator"})
    state, frames = client_view(ben, before, board)
    assert frames[-1]["op"] == "participant.role"
    assert state == snapshot_for(view(ben), board_snapshot(board.id))
    assert [n["author"]["role"] for n in state["notes"]] == ["facilitator"]


def test_in_anonymous_mode_others_get_a_placeholder(board, maya, ana, ben):
    do(board, maya, "workshop.settings", {"anonymous": True})
    before = board_snapshot(board.id)
    do(board, maya, "participant.role", {"id": ana.id, "role": "facilitator"})
    _state, frames = client_view(ben, before, board)
    assert frames[-1]["op"] == "redacted"


def test_a_removal_reaches_only_the_person_and_facilitators(board, maya, ana, ben):
    before = board_snapshot(board.id)
    do(board, maya, "participant.remove", {"id": ana.id})
    _state, frames = client_view(ben, before, board)
    assert frames[-1]["op"] == "redacted"
