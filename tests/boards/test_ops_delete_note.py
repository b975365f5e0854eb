import pytest

from boards.errors import NotFound
from boards.models import Note
from boards.ops import apply_op_request
from boards.state import board_snapshot
from tests.boards.replay import assert_replays


def add(board, actor, text):
    return apply_op_request(board.id, actor.id, "note.add", {"section": "says", "text": text}).event["data"][
        "id"
    ]


def test_it_deletes_and_closes_the_gap(board, guest):
    a, b, c = (add(board, guest, t) for t in "abc")
    apply_op_request(board.id, guest.id, "note.delete", {"id": b})
    assert list(Note.objects.order_by("position").values_list("text", "position")) == [("a", 0), ("c", 1)]
    assert not Note.objects.filter(id=b).exists()
    assert {a, c} == set(Note.objects.values_list("id", flat=True))


def test_it_replays(board, guest):
    ids = [add(board, guest, t) for t in "abc"]
    before = board_snapshot(board.id)
    apply_op_request(board.id, guest.id, "note.delete", {"id": ids[0]})
    apply_op_request(board.id, guest.id, "note.delete", {"id": ids[2]})
    after = assert_replays(board.id, before)
    assert [n["text"] for n in after["notes"]] == ["b"]


def test_deleting_twice_is_not_found(board, guest, second_guest):
    note_id = add(board, guest, "a")
    apply_op_request(board.id, guest.id, "note.delete", {"id": note_id})
    with pytest.raises(NotFound):
        apply_op_request(board.id, second_guest.id, "note.delete", {"id": note_id})
    board.refresh_from_db()
    assert board.seq == 2
