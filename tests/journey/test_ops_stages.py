"""stage.add / rename / move / delete: replay, bad input, parking lot, races."""

import pytest

from boards.models import EmotionScore, Note
from boards.state import board_snapshot
from tests.boards.replay import assert_replays
from tests.journey.helpers import keys, op, refused

STAGES = ["discover", "consider", "buy", "use", "get-help", "stay-or-leave"]


def test_add_replays(board, facilitator):
    before = board_snapshot(board.id)
    op(board, facilitator, "stage.add", title="Ride again")
    op(board, facilitator, "stage.add", title="Notice a problem", index=0)
    op(board, facilitator, "stage.add", title="Ride again", index=99)  # clamped to the end, key de-duplicated
    after = assert_replays(board.id, before)
    assert keys(after, "stages") == ["notice-a-problem", *STAGES, "ride-again", "ride-again-2"]


def test_add_returns_the_stage_and_its_index(board, facilitator):
    applied = op(board, facilitator, "stage.add", title="  Wait  ", index=2)
    assert applied.event["data"] == {"stage": "wait", "title": "Wait", "index": 2}


def test_rename_replays(board, facilitator):
    before = board_snapshot(board.id)
    op(board, facilitator, "stage.rename", stage="buy", title="Book")
    after = assert_replays(board.id, before)
    assert after["stages"][2] == {"key": "buy", "title": "Book"}


def test_move_replays_with_notes_and_scores_following(board, facilitator, guest, persona):
    op(board, facilitator, "note.add", stage="discover", lane="actions", text="Googles shops")
    op(board, facilitator, "note.add", stage="use", lane="thoughts", text="Works!")
    op(board, guest, "emotion.set", stage="discover", persona=persona.id, score=1)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    before = board_snapshot(board.id)
    op(board, facilitator, "stage.move", stage="discover", index=4)
    op(board, facilitator, "stage.move", stage="stay-or-leave", index=0)
    after = assert_replays(board.id, before)
    assert keys(after, "stages") == ["stay-or-leave", "consider", "buy", "use", "get-help", "discover"]
    assert [n["text"] for n in after["notes"]] == ["Works!", "Googles shops"]
    assert [s["stage"] for s in after["emotion_scores"]] == ["use", "discover"]


def test_moving_past_the_end_clamps_to_the_last_place(board, facilitator):
    applied = op(board, facilitator, "stage.move", stage="buy", index=1000)
    assert applied.event["data"] == {"stage": "buy", "index": 5}
    assert keys(board_snapshot(board.id), "stages")[-1] == "buy"


def test_moving_to_where_it_is_is_invalid(board, facilitator):
    assert refused(board, facilitator, "stage.move", stage="buy", index=2).code == "invalid"
    assert refused(board, facilitator, "stage.move", stage="stay-or-leave", index=50).code == "invalid"


def test_delete_parks_its_notes_and_deletes_its_scores(board, facilitator, guest, persona):
    op(board, facilitator, "note.add", stage=None, lane=None, text="Already parked")
    op(board, facilitator, "note.add", stage="buy", lane="pain-points", text="Price unclear")
    op(board, guest, "note.add", stage="buy", lane="actions", text="Calls the shop")
    op(board, guest, "note.add", stage="use", lane="actions", text="Rides to work")
    op(board, guest, "emotion.set", stage="buy", persona=persona.id, score=-2)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=2)
    before = board_snapshot(board.id)
    applied = op(board, facilitator, "stage.delete", stage="buy")
    after = assert_replays(board.id, before)
    assert applied.event["data"]["scores_removed"] == 1
    parking = [n for n in after["notes"] if n["stage"] is None]
    # Parked in board order (by lane), after what was already there; nothing lost.
    assert [n["text"] for n in parking] == ["Already parked", "Calls the shop", "Price unclear"]
    assert all(n["lane"] is None for n in parking)
    assert len(after["notes"]) == 4
    assert [s["stage"] for s in after["emotion_scores"]] == ["use"]
    assert "buy" not in keys(after, "stages")
    assert list(
        Note.objects.filter(board=board, stage=None).order_by("position").values_list("position", flat=True)
    ) == [0, 1, 2]


def test_two_facilitators_deleting_the_same_stage(board, facilitator, maya_team, workshop):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Role
    from boards.access import participant_for

    lee = get_user_model().objects.create_user("lee", password="a-long-password-too")
    Membership.objects.create(team=maya_team, user=lee, role=Role.FACILITATOR)
    second = participant_for(lee, workshop)
    op(board, facilitator, "note.add", stage="use", lane="actions", text="Rides to work")
    op(board, facilitator, "stage.delete", stage="use")
    error = refused(board, second, "stage.delete", stage="use")
    assert error.code == "not_found"
    assert [n["text"] for n in board_snapshot(board.id)["notes"]] == ["Rides to work"]


@pytest.mark.parametrize("title", ["", "   ", "x" * 200, None, 5])
def test_bad_titles_are_invalid(board, facilitator, title):
    assert refused(board, facilitator, "stage.add", title=title).code == "invalid"
    assert refused(board, facilitator, "stage.rename", stage="buy", title=title).code == "invalid"


def test_a_120_character_title_is_fine(board, facilitator):
    op(board, facilitator, "stage.add", title="x" * 120)


def test_unknown_stages_are_not_found(board, facilitator):
    for kind, extra in [("stage.rename", {"title": "X"}), ("stage.move", {"index": 0}), ("stage.delete", {})]:
        assert refused(board, facilitator, kind, stage="nope", **extra).code == "not_found"


def test_bad_indexes_and_keys_are_invalid(board, facilitator):
    assert refused(board, facilitator, "stage.move", stage="buy", index=-1).code == "invalid"
    assert refused(board, facilitator, "stage.move", stage="buy", index="2").code == "invalid"
    assert refused(board, facilitator, "stage.add", title="X", key="Not A Slug").code == "invalid"
    assert refused(board, facilitator, "stage.add", title="X", key="buy").code == "invalid"
    assert refused(board, facilitator, "stage.rename", stage="buy", title="Buy").code == "invalid"


def test_participants_cannot_change_stages(board, guest):
    assert refused(board, guest, "stage.add", title="Mine").code == "forbidden"
    assert refused(board, guest, "stage.delete", stage="buy").code == "forbidden"


def test_stage_ops_need_a_journey_map(empathy_board, maya):
    facilitator = empathy_board.workshop.participants.get(user=maya)
    assert refused(empathy_board, facilitator, "stage.add", title="X").code == "invalid"


def test_scores_rows_really_go(board, facilitator, guest, persona):
    op(board, guest, "emotion.set", stage="buy", persona=persona.id, score=-2)
    op(board, facilitator, "stage.delete", stage="buy")
    assert not EmotionScore.objects.filter(board=board).exists()


def test_the_database_refuses_to_drop_a_stages_notes(board, facilitator):
    from django.db.models import RestrictedError

    from boards.models import Stage

    op(board, facilitator, "note.add", stage="buy", lane="actions", text="Pays online")
    with pytest.raises(RestrictedError):
        Stage.objects.get(board=board, key="buy").delete()
