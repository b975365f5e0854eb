"""The one place that decides who may read or change a workshop, a board, a team's workshops.

Every view, API endpoint and consumer asks through these helpers; none of them
checks roles by hand. tests/access/test_matrix.py walks every URL and every op
against every kind of caller, so a new endpoint cannot skip them.

- `participant_for`: the caller's participant in a workshop, or None.
- `access_workshop`, `access_board`: fetch and check in one call
  (`write=True`: not an observer; `facilitate=True`: a facilitator).
- `can_facilitate`: the one test of "may run the workshop".
- `access_team`, `has_team_role`, `team_ids_of`, `team_to_create_in`, `workshops_visible_to`:
  what a team role allows (templates, new workshops, the team's list).
- `caller_of`: who is asking on a page: the logged-in account or the guest
  their session remembers for this workshop.

Outsiders get NotFound, never Forbidden, so ids cannot be probed.
"""

from accounts.models import Membership, Role, Team, role_at_least
from boards.auth import GuestUser, guest_from_session
from boards.errors import Forbidden, Invalid, NotFound
from boards.models import Board, Participant, ParticipantRole, Workshop

# A team member who opens a workshop of their team takes part with this role.
ROLE_IN_WORKSHOP = {
    Role.OWNER: ParticipantRole.FACILITATOR,
    Role.FACILITATOR: ParticipantRole.FACILITATOR,
    Role.MEMBER: ParticipantRole.PARTICIPANT,
    Role.VIEWER: ParticipantRole.OBSERVER,
}
# Team roles that run the team's workshops and edit its templates.
EDITORS = (Role.OWNER, Role.FACILITATOR)


def is_account(user) -> bool:
    """An account holder logged in (not a guest, not anonymous)."""
    return getattr(user, "is_authenticated", False) and not isinstance(user, GuestUser)


def _still_in_team(participant: Participant, team_id) -> bool:
    """A participant who came through the team keeps their place only while in it.

    The membership services remove them at the source (accounts/services.py,
    boards/ops/team.py); this is the second lock on the same door.
    """
    if not participant.from_team:
        return True
    return Membership.objects.filter(team_id=team_id, user_id=participant.user_id).exists()


def participant_for(user, workshop: Workshop, create: bool = True) -> Participant | None:
    """The caller's participant in this workshop, or None for an outsider.

    Team members become participants the first time they open the workshop,
    with a role that follows their team role. With `create=False` (reading a
    summary or a file is not taking part) a member who never opened it gets
    an unsaved participant carrying the role only.
    """
    if isinstance(user, GuestUser):
        # A participant token or a guest session: good for its own workshop only.
        participant = user.participant
        if participant.workshop_id != workshop.id or participant.removed_at is not None:
            return None
        return participant if _still_in_team(participant, workshop.team_id) else None
    if not is_account(user):
        return None
    participant = Participant.objects.filter(workshop=workshop, user=user).first()
    if participant is not None:
        if participant.removed_at is not None or not _still_in_team(participant, workshop.team_id):
            return None
        return participant
    membership = Membership.objects.filter(team_id=workshop.team_id, user=user).only("role").first()
    if membership is None:
        return None
    fields = {
        "display_name": (user.get_full_name() or user.get_username())[:60],
        "role": ROLE_IN_WORKSHOP[membership.role],
        "from_team": True,
    }
    if not create:
        return Participant(workshop=workshop, user=user, **fields)
    participant, _ = Participant.objects.get_or_create(workshop=workshop, user=user, defaults=fields)
    return participant


def can_facilitate(participant: Participant | None) -> bool:
    return participant is not None and participant.is_facilitator


def _check(participant: Participant, write: bool, facilitate: bool, what: str) -> None:
    if facilitate and not can_facilitate(participant):
        raise Forbidden("Only a facilitator can do that.")
    if write and not participant.can_write:
        raise Forbidden(f"Observers can read this {what} but not change it.")


def access_workshop(
    user, workshop_id, write: bool = False, facilitate: bool = False, join: bool = True
) -> tuple[Workshop, Participant]:
    """The workshop and the caller's participant in it; raises NotFound or Forbidden.

    `join=False` for reading after the fact (summary, files): a team member
    who only reads is not made a participant.
    """
    workshop = Workshop.objects.select_related("team").filter(id=workshop_id).first()
    participant = participant_for(user, workshop, create=join) if workshop is not None else None
    if participant is None:
        raise NotFound("No such workshop.")
    _check(participant, write, facilitate, "workshop")
    return workshop, participant


def access_board(
    user, board_id, write: bool = False, facilitate: bool = False, join: bool = True
) -> tuple[Board, Participant]:
    """The board and the caller's participant in its workshop; raises NotFound or Forbidden."""
    board = Board.objects.select_related("workshop__team").filter(id=board_id).first()
    participant = participant_for(user, board.workshop, create=join) if board is not None else None
    if participant is None:
        raise NotFound("No such board.")
    _check(participant, write, facilitate, "board")
    return board, participant


def caller_of(request, workshop_id):
    """Who is asking on a page: the logged-in account, the guest the session holds, or None."""
    if request.user.is_authenticated:
        return request.user
    return guest_from_session(request.session, workshop_id) if workshop_id is not None else None


# --- teams -----------------------------------------------------------------------------


def access_team(user, team_id, role: str = Role.VIEWER) -> tuple[Team, Membership]:
    """A team the caller belongs to with at least `role`; NotFound for outsiders, else Forbidden."""
    membership = (
        Membership.objects.filter(team_id=team_id, user=user).select_related("team").first()
        if is_account(user)
        else None
    )
    if membership is None:
        raise NotFound("No such team.")
    if not role_at_least(membership.role, role):
        raise Forbidden(f"Only a team {Role(role).label.lower()} can do that.")
    return membership.team, membership


def has_team_role(user, team_id, role: str = Role.VIEWER) -> bool:
    """Whether the caller belongs to the team with at least `role` (for what a page offers)."""
    try:
        access_team(user, team_id, role)
    except (NotFound, Forbidden):
        return False
    return True


def team_ids_of(user, roles=None) -> set[int]:
    """The teams the caller belongs to (with one of `roles`, if given)."""
    if not is_account(user):
        return set()
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return set(memberships.values_list("team_id", flat=True))


def workshops_visible_to(user):
    """Workshops of every team the user belongs to (none for guests: their token is one workshop's)."""
    if not is_account(user):
        return Workshop.objects.none()
    return Workshop.objects.filter(team__memberships__user=user).distinct()


def team_to_create_in(user, team_id) -> Team:
    """The team a new workshop belongs to: the one named, the caller's only one, or a new personal one."""
    if not is_account(user):
        raise Forbidden("Guests cannot create workshops.")
    refusal = "Only owners and facilitators of a team can create its workshops."
    if team_id is not None:
        team, membership = access_team(user, team_id)
        if membership.role not in EDITORS:
            raise Forbidden(refusal)
        return team
    memberships = list(Membership.objects.filter(user=user).select_related("team")[:2])
    if len(memberships) > 1:
        raise Invalid("You belong to several teams: give `team`.")
    if memberships:
        if memberships[0].role not in EDITORS:
            raise Forbidden(refusal)
        return memberships[0].team
    team = Team.objects.create(name=f"{user.get_username()}'s team")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return team


def guards_the_team(participant: Participant) -> bool:
    """Whether only the team's own owners and facilitators may remove or demote this participant.

    The workshop's creator and the team's owners and facilitators cannot be
    locked out of their team's workshop by someone a join code let in.
    """
    if participant.user_id is None:
        return False
    workshop = participant.workshop
    if participant.user_id == workshop.created_by_id:
        return True
    return Membership.objects.filter(
        team_id=workshop.team_id, user_id=participant.user_id, role__in=EDITORS
    ).exists()


def speaks_for_the_team(actor: Participant) -> bool:
    """An owner or facilitator of the workshop's team, acting as themself."""
    return (
        actor.user_id is not None
        and Membership.objects.filter(
            team_id=actor.workshop.team_id, user_id=actor.user_id, role__in=EDITORS
        ).exists()
    )
