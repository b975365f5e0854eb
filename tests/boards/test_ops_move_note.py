import pytest

from boards.errors import Invalid
from boards.models import Note
from boards.ops import apply_op_request
from boards.state import board_snapshot
from tests.boards.replay import assert_replays


@pytest.fixture
def notes(board, guest):
    """Three notes in Says (a, b, c) and two in Does (d, e), by text -> id."""
    ids = {}
    for section, text in [("says", "a"), ("says", "b"), ("says", "c"), ("does", "d"), ("does", "e")]:
        applied = apply_op_request(board.id, guest.id, "note.add", {"section": section, "text": text})
        ids[text] = applied.event["data"]["id"]
    return ids


def texts(board, section):
    return list(
        Note.objects.filter(board=board, section__key=section)
        .order_by("position")
        .values_list("text", flat=True)
    )


def positions(board, section):
    return list(
        Note.objects.filter(board=board, section__key=section)
        .order_by("position")
        .values_list("position", flat=True)
    )


def move(board, actor, note_id, section, index):
    return apply_op_request(
        board.id, actor.id, "note.move", {"id": note_id, "section": section, "index": index}
    )


def test_it_reorders_within_a_section(board, guest, notes):
    move(board, guest, notes["c"], "says", 0)
    assert texts(board, "says") == ["c", "a", "b"]
    move(board, guest, notes["c"], "says", 2)
    assert texts(board, "says") == ["a", "b", "c"]
    assert positions(board, "says") == [0, 1, 2]


def test_it_moves_to_another_section_closing_the_gap(board, guest, notes):
    applied = move(board, guest, notes["a"], "does", 1)
    assert applied.event["data"] == {"id": notes["a"], "section": "does", "index": 1}
    assert texts(board, "says") == ["b", "c"]
    assert texts(board, "does") == ["d", "a", "e"]
    assert positions(board, "says") == [0, 1]
    assert positions(board, "does") == [0, 1, 2]


def test_an_index_past_the_end_is_clamped(board, guest, notes):
    applied = move(board, guest, notes["a"], "feels", 99)
    assert applied.event["data"]["index"] == 0
    applied = move(board, guest, notes["b"], "does", 99)
    assert applied.event["data"]["index"] == 2
    assert texts(board, "does") == ["d", "e", "b"]


def test_it_replays(board, guest, second_guest, notes):
    before = board_snapshot(board.id)
    move(board, guest, notes["c"], "says", 0)
    move(board, second_guest, notes["a"], "does", 1)
    move(board, guest, notes["e"], "thinks", 5)
    move(board, guest, notes["d"], "says", 1)
    assert_replays(board.id, before)


def test_two_people_dragging_one_note_end_with_the_last_drag(board, guest, second_guest, notes):
    move(board, guest, notes["a"], "does", 0)
    move(board, second_guest, notes["a"], "feels", 0)
    note = Note.objects.get(id=notes["a"])
    assert note.section.key == "feels"
    assert texts(board, "does") == ["d", "e"]


def test_moving_to_where_it_is_is_invalid(board, guest, notes):
    with pytest.raises(Invalid, match="already there"):
        move(board, guest, notes["b"], "says", 1)


@pytest.mark.parametrize("index", [-1, "1", None, 1.0])
def test_it_wants_a_whole_index(board, guest, notes, index):
    with pytest.raises(Invalid, match="index"):
        move(board, guest, notes["a"], "does", index)
    assert texts(board, "says") == ["a", "b", "c"]
