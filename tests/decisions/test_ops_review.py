"""A new workshop of the team opens with last time's open actions; review.mark closes or carries them."""

import pytest

from boards.errors import Invalid, NotFound
from boards.models import Template
from boards.state import board_snapshot
from boards.workshops import create_workshop
from decisions.signals import open_actions_of
from tests.boards.replay import assert_replays

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_actions(matrix, host, op, opportunity):
    first = op(
        matrix,
        host,
        "action.add",
        opportunity=opportunity["id"],
        owner={"participant": host.id},
        due="2026-01-05",
    )
    second = op(
        matrix,
        host,
        "action.add",
        opportunity=opportunity["id"],
        title="Call back",
        owner={"participant": host.id},
    )
    done = op(
        matrix,
        host,
        "action.add",
        opportunity=opportunity["id"],
        title="Done already",
        owner={"participant": host.id},
    )
    op(matrix, host, "action.update", id=done["action"]["id"], status="done")
    return first["action"], second["action"]


def _next_workshop(maya, maya_team, title="A week later"):
    template = Template.objects.get(team__isnull=True, slug="prioritisation")
    workshop = create_workshop(maya, maya_team, title, template)
    return workshop, workshop.boards.get(), workshop.participants.get(user=maya)


def test_the_next_workshop_reviews_the_open_actions(maya, maya_team, two_actions, op):
    workshop, board, host = _next_workshop(maya, maya_team)
    review = board_snapshot(board.id)["action_review"]
    assert [r["title"] for r in review] == ["Text when ready", "Call back"]
    assert review[0]["due"] == "2026-01-05" and review[0]["from_workshop"] == "First-time e-bike owner"
    assert all(r["outcome"] is None for r in review)
    before = board_snapshot(board.id)
    op(board, host, "review.mark", id=review[0]["id"], outcome="done")
    op(board, host, "review.mark", id=review[1]["id"], outcome="carried")
    after = assert_replays(board.id, before)
    assert [r["outcome"] for r in after["action_review"]] == ["done", "carried"]
    # The one after reviews only what was carried on.
    later, later_board, _ = _next_workshop(maya, maya_team, "Two weeks later")
    assert [r["title"] for r in board_snapshot(later_board.id)["action_review"]] == ["Call back"]
    assert [a.title for a in open_actions_of(maya_team.id)] == ["Call back"]


def test_other_teams_see_nothing(make_user, two_actions):
    from accounts.models import Membership, Role, Team

    other = make_user("other")
    team = Team.objects.create(name="Other")
    Membership.objects.create(team=team, user=other, role=Role.OWNER)
    workshop = create_workshop(
        other, team, "Theirs", Template.objects.get(team__isnull=True, slug="prioritisation")
    )
    assert board_snapshot(workshop.boards.get().id)["action_review"] == []


def test_bad_marks(maya, maya_team, two_actions, op):
    workshop, board, host = _next_workshop(maya, maya_team)
    review = board_snapshot(board.id)["action_review"]
    with pytest.raises(Invalid):
        op(board, host, "review.mark", id=review[0]["id"], outcome="finished")
    with pytest.raises(Invalid):
        op(board, host, "review.mark", id=review[0]["id"])
    with pytest.raises(Invalid, match="already"):
        op(board, host, "review.mark", id=review[0]["id"], outcome=None)
    with pytest.raises(NotFound):
        op(board, host, "review.mark", id=999999, outcome="done")


def test_deleting_the_action_in_its_own_workshop_leaves_the_review_replayable(
    maya, maya_team, matrix, host, two_actions, op
):
    workshop, board, later_host = _next_workshop(maya, maya_team)
    before = board_snapshot(board.id)
    op(matrix, host, "action.delete", id=two_actions[0]["id"])
    review = board_snapshot(board.id)["action_review"]
    assert review == before["action_review"]  # nothing logged here, nothing changed here
    op(board, later_host, "review.mark", id=review[0]["id"], outcome="done")
