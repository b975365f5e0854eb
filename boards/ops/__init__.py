"""Every change to a board: the only write path, shared by the WebSocket and REST.

`core` holds the door (`apply_op_request`) and the op registry; each other
module holds one family of ops, each op's function beside the reducer that
replays it (boards/state.py), so the rule for a change lives in one place.
"""

from boards.ops import clusters, facilitation, journey, notes, team, votes  # noqa: F401  (registers the ops)
from boards.ops.core import OPS, Applied, actor_json, apply_op_request, board_op, event_of, ops_after

__all__ = ["OPS", "Applied", "actor_json", "apply_op_request", "board_op", "event_of", "ops_after"]
