"""The phase table: which ops each phase of a workshop allows (docs/protocol.md §7).

Ops declare their phases with `@board_op(kind, phases=...)`; the door
(boards/ops/core.py) refuses an op outside them. Ops that declare none
(facilitator controls, the persona card, journey ops) run in every phase.
"""

from boards.models import Phase

# The agenda order the phase stepper walks, forward and back.
ORDER = [p.value for p in Phase]

# Adding notes: silent writing, and new insights while discussing.
WRITING = {Phase.OPEN, Phase.WRITE, Phase.DISCUSS}
# Changing, moving or deleting notes: also while grouping (typos, tidying).
EDITING = {Phase.OPEN, Phase.WRITE, Phase.GROUP, Phase.DISCUSS}
# Clusters.
GROUPING = {Phase.OPEN, Phase.GROUP, Phase.DISCUSS}
# Dots.
VOTING = {Phase.VOTE}
# Closing the vote: in the vote phase, or after it if the facilitator moved on first.
CLOSING_VOTES = {Phase.VOTE, Phase.DISCUSS, Phase.WRAP_UP}
# Hiding and merging private notes (moderation), before and at the reveal.
MODERATING = {Phase.WRITE, Phase.REVEAL}
