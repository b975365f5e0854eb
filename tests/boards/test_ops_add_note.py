import pytest

from boards.errors import Invalid, NotFound
from boards.models import Note, Op
from boards.ops import apply_op_request
from boards.state import board_snapshot
from tests.boards.replay import assert_replays


def add(board, actor, **data):
    return apply_op_request(board.id, actor.id, "note.add", data)


def test_it_appends_the_note_at_the_end_of_its_section(board, guest):
    first = add(board, guest, section="says", text="I just need it to work by Monday.")
    second = add(board, guest, section="says", text="How much?", color="pink")
    notes = list(Note.objects.filter(board=board).order_by("position"))
    assert [n.text for n in notes] == ["I just need it to work by Monday.", "How much?"]
    assert [n.position for n in notes] == [0, 1]
    assert second.event["data"]["color"] == "pink"
    assert (first.seq, second.seq) == (1, 2)


def test_a_note_may_start_empty(board, guest):
    applied = add(board, guest, section="feels")
    assert applied.event["data"]["text"] == ""
    assert applied.event["data"]["author"]["name"] == "Jo"


def test_it_replays(board, guest, host):
    before = board_snapshot(board.id)
    add(board, guest, section="says", text="a")
    add(board, host, section="does", text="b", color="green")
    add(board, guest, section="says", text="c")
    after = assert_replays(board.id, before)
    assert [n["text"] for n in after["notes"]] == ["a", "c", "b"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "section is required"),
        ({"section": "nope"}, "no section 'nope'"),
        ({"section": "says", "text": 5}, "text must be a string"),
        ({"section": "says", "text": "x" * 2001}, "at most 2000"),
        ({"section": "says", "color": "black"}, "color must be one of"),
    ],
)
def test_it_rejects_bad_data_and_changes_nothing(board, guest, data, message):
    with pytest.raises(Invalid, match=message):
        add(board, guest, **data)
    board.refresh_from_db()
    assert board.seq == 0
    assert not Note.objects.exists()
    assert not Op.objects.exists()


def test_text_of_exactly_2000_characters_is_fine(board, guest):
    assert add(board, guest, section="says", text="x" * 2000).seq == 1


def test_it_rejects_an_unknown_board(guest):
    with pytest.raises(NotFound):
        apply_op_request(999999, guest.id, "note.add", {"section": "says"})
