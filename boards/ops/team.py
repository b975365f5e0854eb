"""Workshop rights follow the team: a team role change or removal reaches the person's workshops.

accounts/services.py sends `membership_changed` inside the transaction that
changes a membership. Here, in that same transaction, every place the person
holds in the team's workshops *because of the team* (Participant.from_team)
takes the new role, or is removed, and the change is logged as the ops a
facilitator's own change would be (`participant.role`, `participant.remove`),
so open sockets receive it like any op: a removed person's sockets close with
4003 and the op door's re-read of the actor refuses their next op. The actor
of these ops is nobody (null): the team, not a participant, made the change.
Places taken with a join code are the workshop's business and stay.
"""

from django.dispatch import receiver
from django.utils import timezone

from accounts.signals import membership_changed
from boards.access import ROLE_IN_WORKSHOP
from boards.models import Participant
from boards.ops.core import _lock_boards, _log


def _log_on_workshop(workshop_id: int, kind: str, data: dict) -> None:
    """Logs one op on every board of the workshop (a workshop-wide op without an actor)."""
    from boards.models import Board

    first = Board.objects.filter(workshop_id=workshop_id).order_by("id").values_list("id", flat=True).first()
    if first is None:
        return
    for board in _lock_boards(first, workshop_wide=True):
        _log(board, kind, data, None, None)


@receiver(membership_changed, dispatch_uid="boards.team.membership_changed")
def follow_the_team(sender, team_id, user_id, role, **kwargs) -> None:
    places = Participant.objects.filter(
        workshop__team_id=team_id, user_id=user_id, from_team=True, removed_at__isnull=True
    ).order_by("workshop_id")
    for participant in places:
        if role is None:
            Participant.objects.filter(id=participant.id).update(removed_at=timezone.now())
            _log_on_workshop(participant.workshop_id, "participant.remove", {"id": participant.id})
            continue
        new_role = ROLE_IN_WORKSHOP[role]
        if new_role != participant.role:
            Participant.objects.filter(id=participant.id).update(role=new_role)
            _log_on_workshop(
                participant.workshop_id, "participant.role", {"id": participant.id, "role": new_role}
            )
