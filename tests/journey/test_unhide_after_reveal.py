"""Un-hiding a note after the reveal puts it at the end of its own cell, on its own board.

The position used to be counted over every public note with no section, on every board
(every journey map's cells and parking lots): the snapshot then disagreed with the log.
"""

from boards.models import Note
from boards.state import board_snapshot
from tests.boards.replay import assert_replays
from tests.journey.helpers import op


def test_unhidden_note_takes_the_next_place_of_its_cell(
    board, other_workshop_board, facilitator, guest, second_guest
):
    # Notes elsewhere that the old count took in: another journey map, another cell.
    other_facilitator = other_workshop_board.workshop.participants.get(role="facilitator")
    for text in ("elsewhere 1", "elsewhere 2", "elsewhere 3"):
        op(other_workshop_board, other_facilitator, "note.add", stage="buy", lane="actions", text=text)
    op(board, guest, "note.add", stage="use", lane="thoughts", text="another cell")
    op(board, guest, "note.add", stage="buy", lane="actions", text="public 0")
    before = board_snapshot(board.id)
    op(board, facilitator, "workshop.settings", moderation=True)
    op(board, facilitator, "phase.set", phase="write")
    hidden = op(board, second_guest, "note.add", stage="buy", lane="actions", text="kept back").event["data"][
        "id"
    ]
    op(board, facilitator, "note.hide", id=hidden, hidden=True)
    op(board, facilitator, "phase.set", phase="reveal")
    op(board, facilitator, "note.hide", id=hidden, hidden=False)
    assert Note.objects.get(id=hidden).position == 1
    # A note added afterwards comes after it, in the database and in the replayed log alike.
    op(board, facilitator, "phase.set", phase="discuss")
    op(board, guest, "note.add", stage="buy", lane="actions", text="public 2")
    cell = Note.objects.filter(board=board, stage__key="buy", lane__key="actions").order_by("position")
    assert [(n.text, n.position) for n in cell] == [("public 0", 0), ("kept back", 1), ("public 2", 2)]
    assert_replays(board.id, before)
