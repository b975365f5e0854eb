"""lane.add / rename / move / delete: replay, the emotion lane, parking lot."""

import pytest

from boards.state import board_snapshot
from tests.boards.replay import assert_replays
from tests.journey.helpers import keys, op, refused


def test_add_rename_move_replay(board, facilitator):
    before = board_snapshot(board.id)
    op(board, facilitator, "lane.add", title="Channels")
    op(board, facilitator, "lane.add", title="Backstage", index=1)
    op(board, facilitator, "lane.rename", lane="actions", title="Doing")
    op(board, facilitator, "lane.move", lane="feelings", index=0)
    after = assert_replays(board.id, before)
    assert keys(after, "lanes") == [
        "feelings",
        "actions",
        "backstage",
        "touchpoints",
        "thoughts",
        "pain-points",
        "opportunities",
        "channels",
    ]
    assert after["lanes"][1] == {"key": "actions", "title": "Doing", "kind": "notes"}


def test_move_reorders_notes(board, facilitator):
    op(board, facilitator, "note.add", stage="buy", lane="actions", text="a")
    op(board, facilitator, "note.add", stage="buy", lane="opportunities", text="o")
    before = board_snapshot(board.id)
    op(board, facilitator, "lane.move", lane="opportunities", index=0)
    after = assert_replays(board.id, before)
    assert [n["text"] for n in after["notes"]] == ["o", "a"]


def test_delete_parks_its_notes(board, facilitator, guest):
    op(board, guest, "note.add", stage="use", lane="thoughts", text="t2")
    op(board, guest, "note.add", stage="buy", lane="thoughts", text="t1")
    op(board, guest, "note.add", stage="buy", lane="actions", text="stays")
    before = board_snapshot(board.id)
    applied = op(board, facilitator, "lane.delete", lane="thoughts")
    after = assert_replays(board.id, before)
    assert applied.event["data"]["parked"] == [n["id"] for n in after["notes"] if n["stage"] is None]
    assert [(n["text"], n["stage"]) for n in after["notes"]] == [("stays", "buy"), ("t1", None), ("t2", None)]


def test_the_emotion_lane_is_unique_and_holds_no_notes(board, facilitator, guest, persona):
    assert refused(board, facilitator, "lane.add", title="Mood", kind="emotion").code == "invalid"
    assert refused(board, guest, "note.add", stage="buy", lane="feelings", text="x").code == "invalid"
    op(board, guest, "emotion.set", stage="buy", persona=persona.id, score=1)
    before = board_snapshot(board.id)
    op(board, facilitator, "lane.delete", lane="feelings")
    op(board, facilitator, "lane.add", title="Mood", kind="emotion", index=2)
    after = assert_replays(board.id, before)
    # Scores belong to stages: deleting the emotion lane hides the curve, keeps the scores.
    assert len(after["emotion_scores"]) == 1
    assert after["lanes"][2] == {"key": "mood", "title": "Mood", "kind": "emotion"}


@pytest.mark.parametrize("title", ["", "x" * 200])
def test_bad_titles_are_invalid(board, facilitator, title):
    assert refused(board, facilitator, "lane.add", title=title).code == "invalid"
    assert refused(board, facilitator, "lane.rename", lane="actions", title=title).code == "invalid"


def test_bad_input(board, facilitator, guest):
    assert refused(board, facilitator, "lane.add", title="X", kind="chart").code == "invalid"
    assert refused(board, facilitator, "lane.delete", lane="nope").code == "not_found"
    assert refused(board, facilitator, "lane.move", lane="actions", index=0).code == "invalid"
    assert refused(board, guest, "lane.delete", lane="actions").code == "forbidden"
    assert op(board, facilitator, "lane.move", lane="actions", index=77).event["data"]["index"] == 5
