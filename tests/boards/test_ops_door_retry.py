"""The op door runs an op again when PostgreSQL rolled it back for a deadlock (boards/ops/core.py)."""

import pytest
from django.db import OperationalError

from boards.ops import core

pytestmark = pytest.mark.django_db(transaction=True)


class Deadlock(Exception):
    sqlstate = "40P01"


def deadlocked_first(real, failures):
    def apply(*args):
        if len(failures) < 1:
            failures.append(1)
            error = OperationalError("deadlock detected")
            error.__cause__ = Deadlock()
            raise error
        return real(*args)

    return apply


def test_an_op_rolled_back_for_a_deadlock_is_applied_on_the_next_try(board, guest, monkeypatch):
    failures = []
    monkeypatch.setattr(core, "_apply_op_request", deadlocked_first(core._apply_op_request, failures))
    applied = core.apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "x"}, "d-1")
    assert failures == [1] and applied.seq == 1


def test_other_database_errors_are_not_retried(board, guest, monkeypatch):
    calls = []

    def broken(*args):
        calls.append(1)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(core, "_apply_op_request", broken)
    with pytest.raises(OperationalError):
        core.apply_op_request(board.id, guest.id, "note.add", {"section": "says", "text": "x"}, "d-2")
    assert calls == [1]
