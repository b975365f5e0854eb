"""persona.add / persona.remove on a journey map."""

from boards.state import board_snapshot
from tests.boards.replay import assert_replays
from tests.journey.helpers import op, refused


def test_add_and_remove_replay(board, facilitator, guest, persona):
    before = board_snapshot(board.id)
    ana = op(board, facilitator, "persona.add", name="Ana").event["data"]
    op(board, facilitator, "persona.add", name="Kim", color="#123ABC")
    op(board, guest, "emotion.set", stage="buy", persona=ana["id"], score=-3)
    op(board, guest, "emotion.set", stage="buy", persona=persona.id, score=1)
    removed = op(board, facilitator, "persona.remove", id=ana["id"]).event["data"]
    after = assert_replays(board.id, before)
    assert removed == {"id": ana["id"], "scores_removed": 1}
    assert [p["name"] for p in after["personas"]] == ["", "Kim"]
    assert after["personas"][1]["color"] == "#123abc"
    assert [s["persona"] for s in after["emotion_scores"]] == [persona.id]


def test_each_persona_gets_its_own_colour(board, facilitator, persona):
    colors = {persona.color}
    for name in ["Ana", "Kim", "Lou"]:
        colors.add(op(board, facilitator, "persona.add", name=name).event["data"]["color"])
    assert len(colors) == 4


def test_bad_input(board, facilitator, guest, persona):
    assert refused(board, facilitator, "persona.add", name="").code == "invalid"
    assert refused(board, facilitator, "persona.add", name="x" * 200).code == "invalid"
    assert refused(board, facilitator, "persona.add", name="Ana", color="red").code == "invalid"
    assert refused(board, guest, "persona.add", name="Ana").code == "forbidden"
    assert refused(board, facilitator, "persona.remove", id=999999).code == "not_found"
    # The last persona stays: a journey map follows someone.
    assert refused(board, facilitator, "persona.remove", id=persona.id).code == "invalid"
