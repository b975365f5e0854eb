"""The one place that decides who may read or change a workshop and its boards.

Every view, API endpoint and consumer fetches boards and workshops through
these helpers; none of them checks permissions by hand.
"""

from accounts.models import Membership, Role
from boards.auth import GuestUser
from boards.errors import Forbidden, NotFound
from boards.models import Board, Participant, ParticipantRole, Workshop

# A team member who opens a workshop of their team takes part with this role.
ROLE_IN_WORKSHOP = {
    Role.OWNER: ParticipantRole.FACILITATOR,
    Role.FACILITATOR: ParticipantRole.FACILITATOR,
    Role.MEMBER: ParticipantRole.PARTICIPANT,
    Role.VIEWER: ParticipantRole.OBSERVER,
}


def participant_for(user, workshop: Workshop, create: bool = True) -> Participant | None:
    """The caller's participant in this workshop, or None for an outsider.

    Team members become participants the first time they open the workshop,
    with a role that follows their team role.
    """
    if isinstance(user, GuestUser):
        participant = user.participant
        if participant.workshop_id == workshop.id and participant.removed_at is None:
            return participant
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    participant = Participant.objects.filter(workshop=workshop, user=user).first()
    if participant is not None:
        return participant if participant.removed_at is None else None
    membership = Membership.objects.filter(team_id=workshop.team_id, user=user).only("role").first()
    if membership is None:
        return None
    if not create:
        return Participant(
            workshop=workshop,
            user=user,
            display_name=user.get_username(),
            role=ROLE_IN_WORKSHOP[membership.role],
        )
    participant, _ = Participant.objects.get_or_create(
        workshop=workshop,
        user=user,
        defaults={
            "display_name": (user.get_full_name() or user.get_username())[:60],
            "role": ROLE_IN_WORKSHOP[membership.role],
        },
    )
    return participant


def access_workshop(user, workshop_id, write: bool = False) -> tuple[Workshop, Participant]:
    """The workshop and the caller's participant in it; raises NotFound or Forbidden.

    Outsiders get NotFound, so workshop ids cannot be probed.
    """
    workshop = Workshop.objects.select_related("team").filter(id=workshop_id).first()
    if workshop is None:
        raise NotFound("No such workshop.")
    participant = participant_for(user, workshop)
    if participant is None:
        raise NotFound("No such workshop.")
    if write and not participant.can_write:
        raise Forbidden("Observers can read this workshop but not change it.")
    return workshop, participant


def access_board(user, board_id, write: bool = False) -> tuple[Board, Participant]:
    board = Board.objects.select_related("workshop").filter(id=board_id).first()
    if board is None:
        raise NotFound("No such board.")
    participant = participant_for(user, board.workshop)
    if participant is None:
        raise NotFound("No such board.")
    if write and not participant.can_write:
        raise Forbidden("Observers can read this board but not change it.")
    return board, participant


def workshops_visible_to(user):
    """Workshops of every team the user belongs to."""
    if not getattr(user, "is_authenticated", False) or isinstance(user, GuestUser):
        return Workshop.objects.none()
    return Workshop.objects.filter(team__memberships__user=user).distinct()


def access_workshop_to_read(user, workshop_id) -> tuple[Workshop, Participant]:
    """Like access_workshop, for pages that only read it afterwards (summary, exports).

    Reading a summary is not taking part: a team member who opens it is not
    made a participant, so they never show up in "who took part". The
    participant returned may then be unsaved (it carries the role only).
    """
    workshop = Workshop.objects.select_related("team").filter(id=workshop_id).first()
    participant = participant_for(user, workshop, create=False) if workshop else None
    if participant is None:
        raise NotFound("No such workshop.")
    return workshop, participant


def access_team_to_read(user, team_id):
    """A team the user belongs to, in any role; outsiders get NotFound."""
    if not getattr(user, "is_authenticated", False) or isinstance(user, GuestUser):
        raise NotFound("No such team.")
    membership = Membership.objects.filter(team_id=team_id, user=user).select_related("team").first()
    if membership is None:
        raise NotFound("No such team.")
    return membership.team


def access_board_to_read(user, board_id) -> tuple[Board, Participant]:
    """Like access_board, for reading a board afterwards (its curve image): joins no one."""
    board = Board.objects.select_related("workshop").filter(id=board_id).first()
    participant = participant_for(user, board.workshop, create=False) if board else None
    if participant is None:
        raise NotFound("No such board.")
    return board, participant
