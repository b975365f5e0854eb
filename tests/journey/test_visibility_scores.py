"""Redaction of others' emotion scores before one's own (boards/visibility.py).

These boards set the respondent floor to 1, so that only the before-own rule is at work
(the floor has tests/journey/test_respondent_floor.py)."""

from boards.ops import ops_after
from boards.state import apply_op, board_snapshot
from boards.visibility import op_for, snapshot_for, viewer_of
from tests.journey.helpers import op


def points(snapshot):
    return sorted((s["stage"], s["participant"], s["score"]) for s in snapshot["emotion_scores"])


def test_everyone_sees_every_score_by_default(board, facilitator, guest, second_guest, persona):
    op(board, facilitator, "journey.settings", respondent_floor=1)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    event = ops_after(board.id, 0)[-1]
    assert op_for(viewer_of(second_guest), event) is event
    assert points(snapshot_for(viewer_of(second_guest), board_snapshot(board.id))) == [("use", guest.id, 2)]


def test_hidden_until_own_score(board, facilitator, guest, second_guest, persona):
    op(board, facilitator, "journey.settings", scores_visible_before_own=False, respondent_floor=1)
    start = board_snapshot(board.id)
    jo_view = snapshot_for(viewer_of(guest), start)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    op(board, guest, "emotion.set", stage="buy", persona=persona.id, score=-1)
    snapshot = board_snapshot(board.id)

    # Ravi has scored nothing: he sees no score at all, but the ops keep their seq.
    ravi_view = snapshot_for(viewer_of(second_guest), snapshot)
    assert points(ravi_view) == []
    redacted = op_for(viewer_of(second_guest), ops_after(board.id, start["seq"])[0])
    assert redacted["seq"] == start["seq"] + 1
    assert redacted["data"]["score"] is None and redacted["data"]["scores"] == []
    assert redacted["data"]["redacted"] is True

    # The facilitator sees everything.
    assert points(snapshot_for(viewer_of(facilitator), snapshot)) == [
        ("buy", guest.id, -1),
        ("use", guest.id, 2),
    ]

    # Ravi scores "use": that op reveals Jo's score there, not at "buy".
    applied = op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=-2)
    assert op_for(viewer_of(second_guest), applied.event) is applied.event
    after = board_snapshot(board.id)
    assert points(snapshot_for(viewer_of(second_guest), after)) == [
        ("use", guest.id, 2),
        ("use", second_guest.id, -2),
    ]

    # Replaying each viewer's redacted ops over their redacted snapshot gives their redacted state.
    for viewer in (guest, second_guest, facilitator):
        state = snapshot_for(viewer_of(viewer), start) if viewer is not guest else jo_view
        for event in ops_after(board.id, start["seq"]):
            state = apply_op(state, op_for(viewer_of(viewer), event))
        assert state == snapshot_for(viewer_of(viewer), after)


def test_clearing_ones_own_score_hides_the_others_again(board, facilitator, guest, second_guest, persona):
    op(board, facilitator, "journey.settings", scores_visible_before_own=False, respondent_floor=1)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=1)
    applied = op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=None)
    assert op_for(viewer_of(second_guest), applied.event)["data"]["scores"] == []
    assert points(snapshot_for(viewer_of(second_guest), board_snapshot(board.id))) == []


def test_switching_the_setting_redacts_per_recipient(board, facilitator, guest, second_guest, persona):
    op(board, facilitator, "journey.settings", respondent_floor=1)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    op(board, second_guest, "emotion.set", stage="buy", persona=persona.id, score=1)
    applied = op(board, facilitator, "journey.settings", scores_visible_before_own=False, respondent_floor=1)
    ravi = op_for(viewer_of(second_guest), applied.event)
    assert [(s["stage"], s["score"]) for s in ravi["data"]["emotion_scores"]] == [("buy", 1)]
    assert len(op_for(viewer_of(facilitator), applied.event)["data"]["emotion_scores"]) == 2
    back = op(board, facilitator, "journey.settings", scores_visible_before_own=True)
    assert len(op_for(viewer_of(second_guest), back.event)["data"]["emotion_scores"]) == 2


def test_redaction_does_not_touch_the_shared_event(board, facilitator, guest, second_guest, persona):
    op(board, facilitator, "journey.settings", scores_visible_before_own=False, respondent_floor=1)
    applied = op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    op_for(viewer_of(second_guest), applied.event)
    assert applied.event["data"]["score"] == 2 and applied.event["data"]["scores"]
