"""Scores obey the respondent floor, private scoring and anonymity, in snapshots and ops alike."""

import pytest

from boards.ops import ops_after
from boards.state import apply_op, board_snapshot
from boards.visibility import follow, needs_snapshot, op_for, snapshot_for, viewer_of
from boards.workshops import join_workshop

pytestmark = pytest.mark.django_db


def _seen(participant, matrix, before):
    """What a participant's connection holds: their snapshot, then each op as op_for gives it."""
    participant = participant.__class__.objects.select_related("workshop").get(id=participant.id)
    viewer = viewer_of(participant)
    state = snapshot_for(viewer, before)
    for event in ops_after(matrix.id, before["seq"]):
        after = follow(viewer, event)
        if needs_snapshot(viewer, after):
            viewer = after
            state = None
        viewer = after
        state = apply_op(state, op_for(viewer, event)) if state else None
    fresh = snapshot_for(viewer, board_snapshot(matrix.id))
    if state is not None:
        assert state == fresh
    return fresh


def _score_all(matrix, people, op, opportunity):
    for i, person in enumerate(people):
        op(matrix, person, "opportunity.score", opportunity=opportunity["id"], impact=1 + i, value=5 - i)


def test_below_the_floor_a_participant_sees_only_their_own_dot(workshop, matrix, host, op, opportunity):
    jo, ravi = join_workshop(workshop.join_code, "Jo"), join_workshop(workshop.join_code, "Ravi")
    before = board_snapshot(matrix.id)
    _score_all(matrix, [jo, ravi], op, opportunity)
    seen = _seen(jo, matrix, before)["prioritisation"]
    assert [s["participant"] for s in seen["scores"]] == [jo.id]
    assert seen["counts"] == {str(opportunity["id"]): 2}
    # The facilitator sees everyone below the floor too.
    assert len(_seen(host, matrix, before)["prioritisation"]["scores"]) == 2


def test_at_the_floor_everyone_sees_every_dot(workshop, matrix, host, op, opportunity):
    jo, ravi = join_workshop(workshop.join_code, "Jo"), join_workshop(workshop.join_code, "Ravi")
    before = board_snapshot(matrix.id)
    _score_all(matrix, [jo, ravi, host], op, opportunity)
    assert len(_seen(jo, matrix, before)["prioritisation"]["scores"]) == 3


def test_private_scoring_hides_the_room_until_revealed(workshop, matrix, host, op, opportunity):
    jo, ravi = join_workshop(workshop.join_code, "Jo"), join_workshop(workshop.join_code, "Ravi")
    op(matrix, host, "prioritisation.settings", private=True, floor=1)
    before = board_snapshot(matrix.id)
    _score_all(matrix, [jo, ravi], op, opportunity)
    assert [s["participant"] for s in _seen(ravi, matrix, before)["prioritisation"]["scores"]] == [ravi.id]
    op(matrix, host, "prioritisation.settings", private=False)
    assert len(_seen(ravi, matrix, before)["prioritisation"]["scores"]) == 2


def test_anonymity_blanks_others_but_keeps_my_own_dot(workshop, matrix, board, host, op, opportunity):
    jo, ravi = join_workshop(workshop.join_code, "Jo"), join_workshop(workshop.join_code, "Ravi")
    op(matrix, host, "prioritisation.settings", floor=1)
    op(board, host, "workshop.settings", anonymous=True)
    before = board_snapshot(matrix.id)
    _score_all(matrix, [jo, ravi, host], op, opportunity)
    scores = _seen(jo, matrix, before)["prioritisation"]["scores"]
    assert sorted(s["participant"] or 0 for s in scores) == [0, 0, jo.id]
    assert {(s["impact"], s["value"]) for s in scores} == {(1, 5), (2, 4), (3, 3)}
