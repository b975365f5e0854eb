"""Small helpers for journey tests: apply an op as someone, read the board."""

import pytest

from boards.errors import OpError
from boards.ops import apply_op_request
from boards.state import board_snapshot


def op(board, actor, op_kind, **data):
    return apply_op_request(board.id, actor.id, op_kind, data)


def refused(board, actor, op_kind, **data) -> OpError:
    """Asserts the op is refused and changes nothing; returns the error."""
    before = board_snapshot(board.id)
    with pytest.raises(OpError) as info:
        apply_op_request(board.id, actor.id, op_kind, data)
    assert board_snapshot(board.id) == before
    return info.value


def keys(snapshot, part):
    return [item["key"] for item in snapshot[part]]
