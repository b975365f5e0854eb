"""A workshop cast for the facilitation tests: Maya facilitates, guests join by code.

- maya: a team owner (account) who created the workshop and facilitates it;
- ana, ben: guests who joined with a name; observer: a guest made observer;
- outsider: an account in another team, who must be refused.
"""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Board, Op, Participant, ParticipantRole, Template
from boards.ops import apply_op_request, ops_after
from boards.state import apply_op, board_snapshot
from boards.visibility import follow, needs_snapshot, op_for, snapshot_for, viewer_of
from boards.workshops import create_workshop, join_workshop


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team(db):
    ensure_builtin_templates()
    return Team.objects.create(name="Bike repair franchise")


@pytest.fixture
def maya_user(team):
    user = get_user_model().objects.create_user("maya", password="pw-maya-123", first_name="Maya")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return user


@pytest.fixture
def outsider_user(db):
    user = get_user_model().objects.create_user("olga", password="pw-olga-123")
    Membership.objects.create(team=Team.objects.create(name="Elsewhere"), user=user, role=Role.OWNER)
    return user


@pytest.fixture
def workshop(team, maya_user):
    return create_workshop(
        maya_user, team, "First-time e-bike owner", Template.objects.get(slug="empathy-map")
    )


@pytest.fixture
def board(workshop):
    return workshop.boards.get()


@pytest.fixture
def maya(workshop, maya_user):
    return Participant.objects.get(workshop=workshop, user=maya_user)


@pytest.fixture
def ana(workshop):
    return join_workshop(workshop.join_code, "Ana Quillfeather")


@pytest.fixture
def ben(workshop):
    return join_workshop(workshop.join_code, "Ben Marrowstone")


@pytest.fixture
def observer(workshop):
    participant = join_workshop(workshop.join_code, "Otto Observer")
    Participant.objects.filter(id=participant.id).update(role=ParticipantRole.OBSERVER)
    participant.refresh_from_db()
    return participant


def view(participant):
    """The participant's viewer as the server would build it now (fresh role and settings)."""
    return viewer_of(Participant.objects.select_related("workshop").get(id=participant.id))


def do(board, participant, kind, data=None, client_op_id=None):
    """Applies an op as a participant; returns the event everyone gets."""
    return apply_op_request(board.id, participant.id, kind, data or {}, client_op_id).event


def refused(code, board, participant, kind, data=None):
    """Asserts the op is refused with `code` and changes nothing (the seq, the log, the snapshot)."""
    from boards.errors import OpError

    before = board_snapshot(board.id)
    ops_before = Op.objects.filter(board__workshop=board.workshop).count()
    with pytest.raises(OpError) as caught:
        apply_op_request(board.id, participant.id, kind, data or {})
    assert caught.value.code == code, caught.value.message
    assert board_snapshot(board.id) == before
    assert Op.objects.filter(board__workshop=board.workshop).count() == ops_before
    assert Board.objects.get(id=board.id).seq == before["seq"]
    return caught.value.message


def replayed(before: dict, board) -> dict:
    """The state `before` with every op logged since applied in seq order."""
    state = before
    for event in ops_after(board.id, before["seq"]):
        state = apply_op(state, event)
    return state


def assert_replays(before: dict, board) -> None:
    """G5 for whatever ran since `before`: the log replayed == a fresh snapshot."""
    assert replayed(before, board) == board_snapshot(board.id)


def client_view(participant, before_seq_snapshot: dict, board) -> tuple[dict, list[dict]]:
    """What one client ends with: its snapshot, then each op as it receives it (redacted).

    Follows the consumer's rules: the viewer follows the log, and a change of
    what it may see is answered with a fresh snapshot. Returns the final state
    and every frame received.
    """
    viewer = view(participant)
    viewer = viewer.__class__(**{**viewer.__dict__, **_settings(before_seq_snapshot)})
    state = snapshot_for(viewer, before_seq_snapshot)
    frames = [state]
    for event in ops_after(board.id, before_seq_snapshot["seq"]):
        if event["seq"] <= state["seq"]:
            continue
        after = follow(viewer, event)
        frame = op_for(after or viewer, event)
        frames.append(frame)
        if frame["op"] == "redacted":  # what a client does with a placeholder
            state = {**state, "seq": event["seq"]}
            if "private_counts" in frame["data"]:
                state["facilitation"] = {
                    **state["facilitation"],
                    "private_counts": frame["data"]["private_counts"],
                }
        else:
            state = apply_op(state, frame)
        if after is None:
            break
        if needs_snapshot(viewer, after):
            state = snapshot_for(after, board_snapshot(board.id))
            frames.append(state)
        viewer = after
    return state, frames


def _settings(snapshot):
    f = snapshot["facilitation"]
    return {
        "anonymous": f["anonymous"],
        "moderation": f["moderation"],
        "votes_hidden": f["votes_hidden"],
        "votes_closed": f["votes_closed"],
    }
