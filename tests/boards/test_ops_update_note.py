import pytest

from boards.errors import Invalid, NotFound
from boards.models import Note
from boards.ops import apply_op_request
from boards.state import board_snapshot
from tests.boards.replay import assert_replays


@pytest.fixture
def note_id(board, guest):
    return apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "draft"}).event[
        "data"
    ]["id"]


def test_it_changes_text_and_colour_and_sends_only_what_changed(board, guest, note_id):
    applied = apply_op_request(
        board.id, guest.id, "note.update", {"id": note_id, "text": "final", "color": "blue"}
    )
    assert applied.event["data"] == {"id": note_id, "text": "final", "color": "blue"}
    applied = apply_op_request(
        board.id, guest.id, "note.update", {"id": note_id, "text": "final!", "color": "blue"}
    )
    assert applied.event["data"] == {"id": note_id, "text": "final!"}
    note = Note.objects.get(id=note_id)
    assert (note.text, note.color) == ("final!", "blue")


def test_it_replays(board, guest, second_guest, note_id):
    before = board_snapshot(board.id)
    apply_op_request(board.id, guest.id, "note.update", {"id": note_id, "text": "one"})
    apply_op_request(board.id, second_guest.id, "note.update", {"id": note_id, "color": "orange"})
    assert_replays(board.id, before)


def test_concurrent_edits_of_one_field_resolve_by_seq(board, guest, second_guest, note_id):
    apply_op_request(board.id, guest.id, "note.update", {"id": note_id, "text": "Jo's"})
    apply_op_request(board.id, second_guest.id, "note.update", {"id": note_id, "text": "Ravi's"})
    assert Note.objects.get(id=note_id).text == "Ravi's"


def test_an_update_that_changes_nothing_is_invalid(board, guest, note_id):
    with pytest.raises(Invalid, match="Nothing to change"):
        apply_op_request(board.id, guest.id, "note.update", {"id": note_id, "text": "draft"})
    board.refresh_from_db()
    assert board.seq == 1


def test_it_refuses_a_note_of_another_board(board, other_board, host, guest):
    other_facilitator = other_board.workshop.participants.get()
    foreign = apply_op_request(
        other_board.id, other_facilitator.id, "note.add", {"section": "says", "text": "theirs"}
    )
    with pytest.raises(NotFound):
        apply_op_request(
            board.id, guest.id, "note.update", {"id": foreign.event["data"]["id"], "text": "mine now"}
        )
    assert Note.objects.get(id=foreign.event["data"]["id"]).text == "theirs"


@pytest.mark.parametrize("bad_id", [None, "1", 1.5, True])
def test_it_wants_a_numeric_id(board, guest, note_id, bad_id):
    with pytest.raises(Invalid, match="id must be"):
        apply_op_request(board.id, guest.id, "note.update", {"id": bad_id, "text": "x"})
