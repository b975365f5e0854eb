"""Every change to who is in a team, and the rules that guard it.

Views call these `do_*` functions and turn a `MembershipError` into a message;
the rules (one use per invite, a team always keeps an owner) live only here.
"""

from datetime import timedelta

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import Invite, Membership, Role, Team
from accounts.signals import membership_changed


class MembershipError(Exception):
    """A change refused for a reason the person should read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AlreadyMember(MembershipError):
    pass


INVITE_LIFETIME = timedelta(days=7)

# Sent after a member is removed or leaves (the team's audit log listens, lifecycle/signals.py):
# sender=Membership, membership=..., by_self=...
member_removed = Signal()


@transaction.atomic
def do_create_team(user, name: str) -> Team:
    """A new team with its creator as the first owner."""
    team = Team.objects.create(name=name)
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return team


def do_create_invite(team: Team, created_by, role: str = Role.MEMBER) -> Invite:
    return Invite.objects.create(
        team=team, created_by=created_by, role=Role(role), expires_at=timezone.now() + INVITE_LIFETIME
    )


def do_revoke_invite(invite: Invite) -> None:
    if invite.used_at is not None:
        raise MembershipError("That invite has already been used; remove the member instead.")
    invite.delete()


def do_accept_invite(invite: Invite, user) -> Membership:
    """Adds the user to the invite's team with the invite's role, once."""
    with transaction.atomic():
        # Two people opening the same link at once: the row lock makes the
        # second one see the invite as used instead of both joining.
        invite = Invite.objects.select_for_update().select_related("team").get(pk=invite.pk)
        if Membership.objects.filter(team=invite.team, user=user).exists():
            raise AlreadyMember(f"You are already a member of {invite.team}.")
        if invite.used_at is not None:
            raise MembershipError("This invite has already been used. Ask a team owner for a new link.")
        if invite.is_expired:
            raise MembershipError("This invite has expired. Ask a team owner for a new link.")
        membership = Membership.objects.create(team=invite.team, user=user, role=invite.role)
        invite.used_by = user
        invite.used_at = timezone.now()
        invite.save(update_fields=["used_by", "used_at"])
    return membership


def _lock_owners(team_id) -> int:
    """Locks the team's owner rows and returns how many there are.

    Two owners demoting or removing each other at the same moment would both
    see a second owner and leave the team with none; the lock orders them.
    """
    return len(Membership.objects.select_for_update().filter(team_id=team_id, role=Role.OWNER))


def _refuse_losing_last_owner(membership: Membership, by_self: bool) -> None:
    if membership.role == Role.OWNER and _lock_owners(membership.team_id) <= 1:
        if by_self:
            raise MembershipError(
                f"You are the last owner of {membership.team}. Make someone else an owner first."
            )
        raise MembershipError(
            f"{membership.user} is the last owner of {membership.team}. Make someone else an owner first."
        )


def _locked(membership: Membership) -> Membership:
    found = Membership.objects.select_for_update().select_related("team", "user").filter(pk=membership.pk)
    locked = found.first()
    if locked is None:
        raise MembershipError("That person is no longer in the team.")
    return locked


def do_change_role(membership: Membership, role: str) -> Membership:
    role = Role(role)
    with transaction.atomic():
        membership = _locked(membership)
        if membership.role == role:
            return membership
        if role != Role.OWNER:
            _refuse_losing_last_owner(membership, by_self=False)
        membership.role = role
        membership.save(update_fields=["role"])
        # In the same transaction: the person's rights in the team's
        # workshops change with their team role, or nothing changes.
        membership_changed.send(Membership, team_id=membership.team_id, user_id=membership.user_id, role=role)
    return membership


def do_remove_member(membership: Membership, by_self: bool = False) -> None:
    with transaction.atomic():
        membership = _locked(membership)
        _refuse_losing_last_owner(membership, by_self=by_self)
        membership.delete()
        member_removed.send(sender=Membership, membership=membership, by_self=by_self)
        membership_changed.send(Membership, team_id=membership.team_id, user_id=membership.user_id, role=None)


def do_leave_team(membership: Membership) -> None:
    do_remove_member(membership, by_self=True)
