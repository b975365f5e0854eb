"""How many queries each core op costs: pinned, so the door cannot silently grow.

All synchronous ORM calls of a server process share one thread (docs/known-traps.md,
"Known traps"): every query an op costs lowers the process's write rate. The
counts include BEGIN and COMMIT (or, inside a test's transaction, the
savepoint and its release). Raise a limit only with the reason in the commit.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.ops import apply_op_request

# note.add: BEGIN, lock the board (with its workshop), look up the
# client_op_id (G4), re-read the actor, find the section, count the board's
# notes (the cap of MAX_NOTES_PER_BOARD), count its section's, insert the note,
# take the seq, insert the Op, COMMIT.
ADD = 11
# note.update: the same door, with the note instead of the section and count.
UPDATE = 9
# note.move: the door, the note, the target section, its count, closing the
# gap left behind, opening the gap at the index, the note itself.
MOVE = 13
# note.delete: the door, the note, its votes, the note, closing its gap.
DELETE = 11
# A re-sent op: BEGIN, lock, the client_op_id found, COMMIT.
DUPLICATE = 4


def test_each_core_op_costs_a_fixed_number_of_queries(board, guest, django_assert_max_num_queries):
    apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "first"}, "c-0")
    with django_assert_max_num_queries(ADD):
        added = apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "a"}, "c-1")
    note = added.event["data"]["id"]
    with django_assert_max_num_queries(UPDATE):
        apply_op_request(board.id, guest.id, "note.update", {"id": note, "text": "b"}, "c-2")
    move = {"id": note, "section": "feels", "index": 0}
    with django_assert_max_num_queries(MOVE):
        apply_op_request(board.id, guest.id, "note.move", move, "c-3")
    with django_assert_max_num_queries(DUPLICATE):
        assert apply_op_request(board.id, guest.id, "note.move", move, "c-3").duplicate
    with django_assert_max_num_queries(DELETE):
        apply_op_request(board.id, guest.id, "note.delete", {"id": note}, "c-4")


@pytest.mark.parametrize("kind", ["note.add", "note.update"])
def test_no_look_up_in_the_door_sorts_by_the_workshop(board, guest, kind):
    """A bare `.first()` sorts by Meta.ordering, which joined the workshop table on every op."""
    added = apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "x"}, "c-0")
    data = (
        {"section": "says", "text": "y"}
        if kind == "note.add"
        else {"id": added.event["data"]["id"], "text": "z"}
    )
    with CaptureQueriesContext(connection) as queries:
        apply_op_request(board.id, guest.id, kind, data, "c-1")
    for sql in (q["sql"] for q in queries.captured_queries):
        if "ORDER BY" in sql:
            assert '"boards_workshop"' not in sql.split("ORDER BY", 1)[1], sql
