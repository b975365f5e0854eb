"""Silent writing on a journey map: notes in cells stay private, then each takes the next place of its cell."""

from boards.models import Note
from boards.state import board_snapshot
from tests.boards.replay import assert_replays
from tests.journey.helpers import op


def test_revealed_notes_get_the_next_places_of_their_own_cell(board, facilitator, guest, second_guest):
    op(board, guest, "note.add", stage="buy", lane="actions", text="public 0")
    op(board, guest, "note.add", stage="buy", lane="actions", text="public 1")
    before = board_snapshot(board.id)
    op(board, facilitator, "phase.set", phase="write")
    op(board, guest, "note.add", stage="buy", lane="actions", text="private a")
    op(board, second_guest, "note.add", stage="use", lane="thoughts", text="private b")
    op(board, second_guest, "note.add", stage="buy", lane="actions", text="private c")
    assert Note.objects.filter(board=board, private=True).count() == 3
    op(board, facilitator, "phase.set", phase="reveal")
    buy_actions = Note.objects.filter(board=board, stage__key="buy", lane__key="actions").order_by("position")
    assert [(n.text, n.position) for n in buy_actions] == [
        ("public 0", 0),
        ("public 1", 1),
        ("private a", 2),
        ("private c", 3),
    ]
    assert Note.objects.get(board=board, text="private b").position == 0
    assert not Note.objects.filter(board=board, private=True).exists()
    assert_replays(board.id, before)
