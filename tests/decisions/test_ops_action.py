"""action.add / update / delete: owners from the workshop or the team, dates, status."""

import pytest

from accounts.models import Membership, Role
from boards.errors import Invalid, NotFound
from boards.state import board_snapshot
from boards.workshops import join_workshop
from decisions.models import Action
from tests.boards.replay import assert_replays

pytestmark = pytest.mark.django_db


def test_actions_replay_on_every_board(board, matrix, host, guest, op, opportunity, make_user, maya_team):
    luis = make_user("luis", first_name="Luis")
    Membership.objects.create(team=maya_team, user=luis, role=Role.MEMBER)
    before, before_matrix = board_snapshot(board.id), board_snapshot(matrix.id)
    action = op(
        matrix,
        host,
        "action.add",
        opportunity=opportunity["id"],
        owner={"participant": guest.id},
        due="2020-01-31",
    )["action"]
    op(matrix, host, "action.update", id=action["id"], owner={"user": luis.id}, status="done", due=None)
    second = op(
        board, host, "action.add", opportunity=opportunity["id"], title="Ask", owner={"participant": host.id}
    )
    op(board, host, "action.delete", id=second["action"]["id"])
    after = assert_replays(matrix.id, before_matrix)
    assert_replays(board.id, before)
    assert after["actions"] == [
        {
            "id": action["id"],
            "opportunity": opportunity["id"],
            "title": "Text when ready",
            "owner": {"user": luis.id, "name": "Luis"},
            "due": None,
            "status": "done",
        }
    ]


def test_a_past_due_date_is_allowed(matrix, host, op, opportunity):
    action = op(
        matrix,
        host,
        "action.add",
        opportunity=opportunity["id"],
        owner={"participant": host.id},
        due="2001-02-03",
    )
    assert action["action"]["due"] == "2001-02-03"


@pytest.mark.parametrize(
    "owner",
    [
        None,
        {},
        {"participant": "1"},
        {"participant": 999999},
        {"user": 999999},
        {"participant": 1, "user": 1},
    ],
)
def test_it_refuses_an_owner_from_outside(matrix, host, op, opportunity, owner):
    with pytest.raises(Invalid, match="owner"):
        op(matrix, host, "action.add", opportunity=opportunity["id"], owner=owner)
    assert not Action.objects.exists()


def test_it_refuses_an_outsider_and_a_participant_of_another_workshop(
    matrix, host, op, opportunity, outsider, other_workshop_note
):
    stranger = join_workshop(other_workshop_note.board.workshop.join_code, "Stranger")
    for owner in ({"user": outsider.id}, {"participant": stranger.id}):
        with pytest.raises(Invalid, match="participant of this workshop or a member of its team"):
            op(matrix, host, "action.add", opportunity=opportunity["id"], owner=owner)
    assert not Action.objects.exists()


@pytest.mark.parametrize("due", ["31.01.2020", "2020-02-30", 20200131, ""])
def test_it_refuses_a_bad_date(matrix, host, op, opportunity, due):
    with pytest.raises(Invalid, match="due"):
        op(matrix, host, "action.add", opportunity=opportunity["id"], owner={"participant": host.id}, due=due)


def test_bad_updates(matrix, host, op, opportunity):
    action = op(matrix, host, "action.add", opportunity=opportunity["id"], owner={"participant": host.id})[
        "action"
    ]
    with pytest.raises(Invalid, match="status"):
        op(matrix, host, "action.update", id=action["id"], status="finished")
    with pytest.raises(Invalid, match="Nothing"):
        op(matrix, host, "action.update", id=action["id"], status="open")
    with pytest.raises(NotFound):
        op(matrix, host, "action.update", id=action["id"] + 100, status="done")
    # An opportunity with actions is kept.
    with pytest.raises(Invalid, match="actions"):
        op(matrix, host, "opportunity.delete", id=opportunity["id"])
