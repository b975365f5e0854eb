"""The respondent floor: below it, nobody but a facilitator sees a point's scores.

Enforced per reader in boards/visibility.py (ops and snapshots), in the curve
endpoint, and so in every export and summary, which read the board as a reader.
"""

import pytest
from rest_framework.test import APIClient

from boards.curve import curve_svg, emotion_curve
from boards.exports import export_workshop
from boards.ops import ops_after
from boards.state import apply_op, board_snapshot
from boards.visibility import op_for, reader_of, snapshot_for, viewer_of
from boards.workshops import join_workshop
from tests.journey.helpers import op, refused


def client_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def curve_of(token, board):
    return client_with(token).get(f"/api/v1/boards/{board.id}/curve/").json()


@pytest.fixture
def third_guest(workshop):
    return join_workshop(workshop.join_code, "Kim")


def test_default_floor_is_three_and_hides_two_scores_from_participants(
    board, persona, guest, second_guest, third_guest, maya_token
):
    start = board_snapshot(board.id)
    op(board, guest, "emotion.set", stage="buy", persona=persona.id, score=-3)
    op(board, second_guest, "emotion.set", stage="buy", persona=persona.id, score=-1)
    body = curve_of(guest.token, board)
    assert body["respondent_floor"] == 3
    buy = next(p for p in body["curves"][0]["stages"] if p["stage"] == "buy")
    assert (buy["mean"], buy["count"], buy["below_floor"]) == (None, 0, True)
    # Jo still sees her own score (it is hers), but nobody else's.
    mine = snapshot_for(viewer_of(guest), board_snapshot(board.id))["emotion_scores"]
    assert [(s["participant"], s["score"]) for s in mine] == [(guest.id, -3)]
    assert snapshot_for(viewer_of(third_guest), board_snapshot(board.id))["emotion_scores"] == []
    # The facilitator sees everything, flagged.
    buy = next(p for p in curve_of(maya_token, board)["curves"][0]["stages"] if p["stage"] == "buy")
    assert (buy["mean"], buy["count"], buy["below_floor"]) == (-2, 2, True)
    # The third score reaches the floor: everyone sees the point, in that very op.
    applied = op(board, third_guest, "emotion.set", stage="buy", persona=persona.id, score=2)
    assert op_for(viewer_of(guest), applied.event) is applied.event
    buy = next(p for p in curve_of(guest.token, board)["curves"][0]["stages"] if p["stage"] == "buy")
    assert (buy["count"], buy["below_floor"]) == (3, False) and buy["mean"] == pytest.approx(-2 / 3)
    # Each viewer's redacted ops over their redacted snapshot give their redacted state.
    end = board_snapshot(board.id)
    for person in (guest, second_guest, third_guest):
        state = snapshot_for(viewer_of(person), start)
        for event in ops_after(board.id, start["seq"]):
            state = apply_op(state, op_for(viewer_of(person), event))
        assert state == snapshot_for(viewer_of(person), end), person.display_name


def test_a_lone_score_reaches_no_other_participant_through_an_op(board, persona, guest, second_guest):
    applied = op(board, guest, "emotion.set", stage="use", persona=persona.id, score=3)
    seen = op_for(viewer_of(second_guest), applied.event)["data"]
    assert seen["scores"] == [] and seen["score"] is None and seen["redacted"] is True
    # Ravi scoring there too does not show him Jo's score while they are two.
    applied = op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=-1)
    seen = op_for(viewer_of(second_guest), applied.event)["data"]
    assert seen["scores"] == [{"participant": second_guest.id, "score": -1}]


def test_exports_and_summaries_read_below_the_floor_as_nothing(board, persona, guest, second_guest, workshop):
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=3)
    op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=2)
    read = snapshot_for(reader_of(workshop), board_snapshot(board.id))
    assert read["emotion_scores"] == []
    assert all(p["mean"] is None for p in emotion_curve(read, persona.id)["stages"])
    assert "n=2" not in curve_svg(read)
    for fmt in ("csv", "json", "md"):
        text = export_workshop(workshop, fmt).content.decode("utf-8-sig")
        assert '"score": 3' not in text and "+3.0" not in text and "+2.5" not in text, fmt


def test_the_facilitator_sets_the_floor_from_1_to_50(board, facilitator, guest, second_guest, persona):
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=3)
    applied = op(board, facilitator, "journey.settings", respondent_floor=1)
    assert applied.event["data"]["respondent_floor"] == 1
    assert op_for(viewer_of(second_guest), applied.event)["data"]["emotion_scores"][0]["score"] == 3
    for bad in (0, 51, -1, "3", 2.5, True, None):
        assert refused(board, facilitator, "journey.settings", respondent_floor=bad).code == "invalid"
    assert refused(board, facilitator, "journey.settings", respondent_floor=1).code == "invalid"
    assert refused(board, facilitator, "journey.settings").code == "invalid"
    assert refused(board, guest, "journey.settings", respondent_floor=5).code == "forbidden"


def test_two_facilitators_changing_the_floor_converge(board, facilitator, workshop, guest):
    from boards.models import ParticipantRole

    other = join_workshop(workshop.join_code, "Ana")
    other.role = ParticipantRole.FACILITATOR
    other.save()
    before = board_snapshot(board.id)
    op(board, facilitator, "journey.settings", respondent_floor=5)
    op(board, other, "journey.settings", respondent_floor=2)
    after = board_snapshot(board.id)
    assert after["journey_settings"]["respondent_floor"] == 2
    state = before
    for event in ops_after(board.id, before["seq"]):
        state = apply_op(state, event)
    assert state == after
