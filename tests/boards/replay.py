"""Replay checking: a snapshot before, plus the ops logged since, equals the snapshot after (G5)."""

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
    assert state == after, _diff(state, after)
    return after


def _diff(replayed: dict, read: dict) -> str:
    return "\n".join(
        f"{key}: replayed {replayed.get(key)!r} != read {read.get(key)!r}"
        for key in sorted(set(replayed) | set(read))
        if replayed.get(key) != read.get(key)
    )
