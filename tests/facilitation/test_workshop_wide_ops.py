"""Workshop-wide ops: logged on every board in one transaction, gapless, without deadlocks.

Several threads (each with its own database connection) send workshop-wide
ops to different boards of one workshop while others add notes. On
PostgreSQL this is where a lock-order deadlock would show.
"""

import threading

import pytest
from django.db import connection

from boards.models import Op, Template
from boards.ops import apply_op_request
from boards.workshops import create_workshop

pytestmark = pytest.mark.django_db(transaction=True)

THREE_BOARDS = {
    "boards": [
        {"kind": "empathy-map", "title": f"Board {i}", "sections": [{"key": "says", "title": "Says"}]}
        for i in range(3)
    ]
}


def test_concurrent_workshop_wide_and_board_ops(team, maya_user):
    if connection.vendor != "postgresql":
        # The in-memory test database of SQLite answers "table is locked" to a
        # second thread at once instead of waiting; there is no row locking to test.
        pytest.skip("needs PostgreSQL: row locks and deadlocks are what this tests")
    template = Template.objects.create(team=team, name="Three", structure=THREE_BOARDS)
    workshop = create_workshop(maya_user, team, "Three boards", template)
    boards = list(workshop.boards.all())
    maya = workshop.participants.get()
    apply_op_request(boards[0].id, maya.id, "timer.start", {"seconds": 600})
    errors = []

    def work(n):
        try:
            for i in range(8):
                board = boards[(n + i) % 3]
                if n % 2:
                    apply_op_request(board.id, maya.id, "timer.extend", {"seconds": 1}, f"t{n}-{i}")
                else:
                    apply_op_request(board.id, maya.id, "note.add", {"section": "says"}, f"n{n}-{i}")
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for board in boards:
        board.refresh_from_db()
        seqs = list(Op.objects.filter(board=board).values_list("seq", flat=True))
        assert seqs == list(range(1, board.seq + 1))  # G1 on every board
        # 1 start + 3 threads x 8 extends, on every board
        assert Op.objects.filter(board=board, kind__startswith="timer.").count() == 25
    assert Op.objects.filter(board__in=boards, kind="note.add").count() == 24
    # The client_op_id is kept on the board the op was sent to, and only there.
    assert Op.objects.filter(board__in=boards, client_op_id="t1-0").count() == 1


def test_a_resent_workshop_wide_op_is_applied_once(board, maya):
    first = apply_op_request(board.id, maya.id, "phase.set", {"phase": "write"}, "same")
    again = apply_op_request(board.id, maya.id, "phase.set", {"phase": "write"}, "same")
    assert again.duplicate and again.seq == first.seq
    assert Op.objects.filter(board=board).count() == 1
