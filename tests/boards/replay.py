"""Replay checking: a snapshot before, plus the ops logged since, equals the snapshot after."""

from boards.ops import ops_after
from boards.state import apply_op, board_snapshot


def assert_replays(board_id: int, before: dict) -> dict:
    """Asserts G5 for everything logged after `before`; returns the snapshot after."""
    state = before
    events = ops_after(board_id, before["seq"])
    assert events, "no op was logged"
    for event in events:
        state = apply_op(state, event)
    after = board_snapshot(board_id)
    assert state == after
    return after
