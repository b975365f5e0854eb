"""emotion.set and journey.settings: replay and bad input."""

import pytest

from boards.state import board_snapshot
from tests.boards.replay import assert_replays
from tests.journey.helpers import op, refused


def test_set_change_clear_replay(board, facilitator, guest, second_guest, persona):
    before = board_snapshot(board.id)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=-1)
    op(board, guest, "emotion.set", stage="buy", persona=persona.id, score=-3)
    op(board, facilitator, "emotion.set", stage="buy", persona=persona.id, score=0)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=3)
    op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=None)
    after = assert_replays(board.id, before)
    assert [(s["stage"], s["participant"], s["score"]) for s in after["emotion_scores"]] == [
        ("buy", min(facilitator.id, guest.id), 0 if facilitator.id < guest.id else -3),
        ("buy", max(facilitator.id, guest.id), -3 if facilitator.id < guest.id else 0),
        ("use", guest.id, 3),
    ]


def test_set_carries_every_score_of_its_point(board, guest, second_guest, persona):
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    data = op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=-1).event["data"]
    assert data == {
        "stage": "use",
        "persona": persona.id,
        "curve": "as-is",
        "participant": second_guest.id,
        "score": -1,
        "scores": [{"participant": guest.id, "score": 2}, {"participant": second_guest.id, "score": -1}],
        "scores_visible_before_own": True,
        "respondent_floor": 3,
    }


@pytest.mark.parametrize("score", [4, -4, "2", 1.5, True, [1]])
def test_bad_scores_are_invalid(board, guest, persona, score):
    assert (
        refused(board, guest, "emotion.set", stage="use", persona=persona.id, score=score).code == "invalid"
    )


def test_bad_points(board, guest, persona):
    assert refused(board, guest, "emotion.set", stage="nope", persona=persona.id, score=1).code == "not_found"
    assert refused(board, guest, "emotion.set", stage="use", persona=424242, score=1).code == "not_found"
    assert refused(board, guest, "emotion.set", stage="use", persona="1", score=1).code == "invalid"
    assert refused(board, guest, "emotion.set", stage="use", persona=persona.id).code == "invalid"
    assert refused(board, guest, "emotion.set", stage="use", persona=persona.id, score=None).code == "invalid"
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=1)
    assert refused(board, guest, "emotion.set", stage="use", persona=persona.id, score=1).code == "invalid"


def test_settings_replay_and_rules(board, facilitator, guest, persona):
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=1)
    before = board_snapshot(board.id)
    op(board, facilitator, "journey.settings", scores_visible_before_own=False)
    after = assert_replays(board.id, before)
    assert after["journey_settings"] == {"scores_visible_before_own": False, "respondent_floor": 3}
    assert refused(board, facilitator, "journey.settings", scores_visible_before_own=False).code == "invalid"
    assert refused(board, facilitator, "journey.settings", scores_visible_before_own="no").code == "invalid"
    assert refused(board, guest, "journey.settings", scores_visible_before_own=True).code == "forbidden"
