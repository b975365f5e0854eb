"""What other apps hear about changes to a team.

`membership_changed` is sent by accounts/services.py inside the transaction
that changes the membership, so whoever listens (boards/ops/team.py: the
person's places in the team's workshops) changes with it or not at all.
Arguments: `team_id`, `user_id`, and `role`, the new team role or None when
the person left or was removed.
"""

from django.dispatch import Signal

membership_changed = Signal()
