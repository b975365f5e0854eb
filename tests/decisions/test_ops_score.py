"""opportunity.score / unscore and prioritisation.settings: replay, range, effort."""

import pytest

from boards.errors import Forbidden, Invalid
from boards.state import board_snapshot
from boards.workshops import join_workshop
from decisions.models import OpportunityScore
from tests.boards.replay import assert_replays

pytestmark = pytest.mark.django_db


def test_scores_and_settings_replay(matrix, host, guest, op, opportunity):
    before = board_snapshot(matrix.id)
    op(matrix, host, "opportunity.score", opportunity=opportunity["id"], impact=5, value=4)
    op(matrix, guest, "opportunity.score", opportunity=opportunity["id"], impact=2, value=3)
    op(matrix, host, "prioritisation.settings", effort=True, floor=2)
    op(matrix, guest, "opportunity.score", opportunity=opportunity["id"], impact=2, value=3, effort=5)
    op(matrix, host, "opportunity.unscore", opportunity=opportunity["id"])
    after = assert_replays(matrix.id, before)
    p = after["prioritisation"]
    assert p["effort"] is True and p["floor"] == 2
    assert p["scores"] == [
        {"opportunity": opportunity["id"], "participant": guest.id, "impact": 2, "value": 3, "effort": 5}
    ]
    assert p["counts"] == {str(opportunity["id"]): 1}


def test_deleting_an_opportunity_removes_its_scores_on_replay(matrix, board, host, op, opportunity):
    op(matrix, host, "opportunity.score", opportunity=opportunity["id"], impact=5, value=4)
    before = board_snapshot(matrix.id)
    op(board, host, "opportunity.delete", id=opportunity["id"])
    assert assert_replays(matrix.id, before)["prioritisation"]["scores"] == []


@pytest.mark.parametrize(
    "data",
    [
        {"impact": 0, "value": 3},
        {"impact": 6, "value": 3},
        {"impact": 3},
        {"impact": "3", "value": 3},
        {"impact": 3.5, "value": 3},
        {"impact": True, "value": 3},
        {"impact": 3, "value": 3, "effort": 2},  # effort is off
    ],
)
def test_it_refuses_scores_out_of_range(matrix, host, op, opportunity, data):
    seq = board_snapshot(matrix.id)["seq"]
    with pytest.raises(Invalid):
        op(matrix, host, "opportunity.score", opportunity=opportunity["id"], **data)
    assert not OpportunityScore.objects.exists()
    assert board_snapshot(matrix.id)["seq"] == seq


def test_scores_belong_on_a_prioritisation_board(board, host, op, opportunity):
    with pytest.raises(Invalid, match="prioritisation board"):
        op(board, host, "opportunity.score", opportunity=opportunity["id"], impact=3, value=3)


def test_the_same_score_twice_is_invalid(matrix, host, op, opportunity):
    op(matrix, host, "opportunity.score", opportunity=opportunity["id"], impact=3, value=3)
    with pytest.raises(Invalid, match="already"):
        op(matrix, host, "opportunity.score", opportunity=opportunity["id"], impact=3, value=3)


def test_only_facilitators_change_settings(matrix, workshop, op):
    jo = join_workshop(workshop.join_code, "Jo")
    with pytest.raises(Forbidden):
        op(matrix, jo, "prioritisation.settings", effort=True)


@pytest.mark.parametrize("data", [{"floor": 0}, {"floor": 51}, {"effort": "yes"}, {"private": 1}, {}])
def test_bad_settings_are_refused(matrix, host, op, data):
    with pytest.raises(Invalid):
        op(matrix, host, "prioritisation.settings", **data)
