"""A guest made facilitator cannot lock the team out of its own workshop."""

import pytest

from boards.errors import Forbidden
from boards.models import Participant
from boards.ops import apply_op_request


@pytest.fixture
def promoted_guest(workshop, board, owner, jo):
    olivia = Participant.objects.get(workshop=workshop, user=owner)
    apply_op_request(board.id, olivia.id, "participant.role", {"id": jo.id, "role": "facilitator"})
    return jo


@pytest.mark.parametrize("who", ["owner", "facilitator"])
@pytest.mark.parametrize("change", [("participant.remove", {}), ("participant.role", {"role": "observer"})])
def test_a_promoted_guest_cannot_remove_or_demote_the_team(
    workshop, board, promoted_guest, request, who, change
):
    target = Participant.objects.get(workshop=workshop, user=request.getfixturevalue(who))
    kind, extra = change
    with pytest.raises(Forbidden):
        apply_op_request(board.id, promoted_guest.id, kind, {"id": target.id, **extra})
    target.refresh_from_db()
    assert target.removed_at is None and target.role == "facilitator"


def test_the_workshops_creator_is_guarded_even_outside_the_team_roles(workshop, board, owner, promoted_guest):
    from accounts.models import Membership, Role

    # The creator is now a plain member of the team, still facilitating the workshop.
    Membership.objects.filter(team=workshop.team, role=Role.OWNER).update(role=Role.MEMBER)
    Membership.objects.filter(team=workshop.team, user__username="fred").update(role=Role.OWNER)
    creator = Participant.objects.get(workshop=workshop, user=owner)
    with pytest.raises(Forbidden):
        apply_op_request(board.id, promoted_guest.id, "participant.remove", {"id": creator.id})


def test_a_promoted_guest_still_manages_guests_and_members(workshop, board, promoted_guest, member):
    ben = Participant.objects.create(workshop=workshop, display_name="Ben")
    maya = Participant.objects.get(workshop=workshop, user=member)
    apply_op_request(board.id, promoted_guest.id, "participant.role", {"id": maya.id, "role": "observer"})
    apply_op_request(board.id, promoted_guest.id, "participant.remove", {"id": ben.id})


def test_the_teams_own_facilitators_still_can(workshop, board, facilitator, owner):
    fred = Participant.objects.get(workshop=workshop, user=facilitator)
    olivia = Participant.objects.get(workshop=workshop, user=owner)
    apply_op_request(board.id, fred.id, "participant.role", {"id": olivia.id, "role": "participant"})
