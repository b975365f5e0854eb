"""The built-in journey-map template and the snapshot of a fresh journey map."""

from boards.state import board_snapshot
from tests.journey.helpers import keys, op


def test_it_makes_the_default_stages_and_lanes(board):
    snapshot = board_snapshot(board.id)
    assert snapshot["kind"] == "journey-map"
    assert [s["title"] for s in snapshot["stages"]] == [
        "Discover",
        "Consider",
        "Buy",
        "Use",
        "Get help",
        "Stay or leave",
    ]
    assert [(lane["title"], lane["kind"]) for lane in snapshot["lanes"]] == [
        ("Actions", "notes"),
        ("Touchpoints", "notes"),
        ("Thoughts", "notes"),
        ("Feelings", "emotion"),
        ("Pain points", "notes"),
        ("Opportunities", "notes"),
    ]
    assert keys(snapshot, "lanes")[3] == "feelings"
    assert len(snapshot["personas"]) == 1
    assert snapshot["emotion_scores"] == []
    assert snapshot["journey_settings"] == {"scores_visible_before_own": True, "respondent_floor": 3}
    assert snapshot["sections"] == [] and snapshot["notes"] == []


def test_an_empathy_map_snapshot_has_no_journey_parts(empathy_board):
    snapshot = board_snapshot(empathy_board.id)
    assert "stages" not in snapshot and "emotion_scores" not in snapshot


def test_deleting_a_workshop_deletes_its_journey_map_with_notes_in_cells(workshop, board, facilitator):
    op(board, facilitator, "note.add", stage="buy", lane="actions", text="Pays online")
    workshop.delete()
