"""boards.summary.workshop_summary, read from real workshops built through apply_op_request."""

from datetime import UTC, datetime

from boards.curve import curve_svg
from boards.exports import reader_snapshots, summary_of
from boards.summary import workshop_summary

from .conftest import close_votes, op


def board_of(workshop):
    return summary_of(workshop)[0]["boards"][0]


def texts(notes):
    return [n["text"] for n in notes]


def test_groups_carry_their_titles_and_rank_by_votes(voted_workshop):
    summary, _ = summary_of(close_votes(voted_workshop))
    board = summary["boards"][0]
    assert [(c["title"], c["votes"]) for c in board["clusters"]] == [
        ("Doesn't trust the estimate", 4),
        ("Needs the bike for work", 3),
    ]
    assert [c["title"] for c in board["top_clusters"]] == [
        "Doesn't trust the estimate",
        "Needs the bike for work",
    ]
    assert summary["has_votes"] and not summary["votes_hidden"]


def test_notes_are_ranked_by_their_votes_not_their_place(voted_workshop):
    board = board_of(close_votes(voted_workshop))
    trust = board["clusters"][0]
    # "bold" sits after the lemon on the board, but has 3 votes to its 1.
    assert [(n["text"][:8], n["votes"]) for n in trust["notes"]] == [("<script>", 3), ("Did I bu", 1)]
    assert sum(n["votes"] for n in board["notes"]) == 7


def test_hidden_votes_are_absent_until_the_vote_is_closed(voted_workshop):
    summary, _ = summary_of(voted_workshop)
    board = summary["boards"][0]
    assert all(n["votes"] == 0 for n in board["notes"])
    assert not summary["has_votes"] and summary["votes_hidden"]
    assert board["top_clusters"] == []
    # Still grouped, in the board's order.
    assert [c["title"] for c in board["clusters"]] == [
        "Needs the bike for work",
        "Doesn't trust the estimate",
    ]


def test_a_group_is_listed_once_and_its_notes_leave_their_sections(voted_workshop):
    board = board_of(voted_workshop)
    says = next(s for s in board["sections"] if s["key"] == "says")
    assert "I just need it to work by Monday." in texts(says["notes"])
    assert "I just need it to work by Monday." not in texts(says["unclustered"])
    assert texts(board["clusters"][0]["notes"]) == ["I just need it to work by Monday."]


def test_the_phases_that_ran_in_agenda_order(voted_workshop):
    board = voted_workshop.boards.get()
    fred = voted_workshop.participants.get(display_name="Fred")
    # Maya skips the discussion and steps back to it.
    op(board, fred, "phase.set", phase="wrap-up")
    op(board, fred, "phase.set", phase="discuss")
    summary, _ = summary_of(voted_workshop)
    assert summary["phases"] == ["write", "reveal", "group", "vote", "discuss", "wrap-up"]
    assert summary["phase_titles"][0] == "Silent writing"


def test_it_says_who_and_for_how_long(workshop):
    activity = {
        "participants": [{"name": "Fred", "role": "facilitator"}, {"name": "Ana", "role": "participant"}],
        "first_op_at": datetime(2026, 11, 19, 10, 3, tzinfo=UTC),
        "last_op_at": datetime(2026, 11, 19, 11, 20, tzinfo=UTC),
        "phases": [],
    }
    summary = workshop_summary(workshop, reader_snapshots(workshop), activity)
    assert summary["participation"] == {"count": 2, "names": ["Fred", "Ana"]}
    assert summary["timing"]["duration"] == "1 h 17 min"
    assert summary["persona"]["name"] == "Sam"
    assert summary["persona"]["details"] == [("Age", "34"), ("Quote", "Monday!")]


def test_an_anonymous_workshop_gives_only_a_count_and_no_authors(workshop):
    board = workshop.boards.get()
    op(board, workshop.participants.get(display_name="Fred"), "workshop.settings", anonymous=True)
    workshop.refresh_from_db()
    summary, _ = summary_of(workshop)
    assert summary["participation"] == {"count": 2, "names": None}
    assert all(n["author"] is None for n in summary["boards"][0]["notes"])


def test_an_empty_workshop_has_no_votes_groups_or_activity(empty_workshop):
    summary, _ = summary_of(empty_workshop)
    assert not summary["has_votes"] and summary["phases"] == []
    assert summary["boards"][0]["clusters"] == []
    assert summary["timing"]["duration"] == ""


def test_a_journey_puts_pain_points_next_to_opportunities_per_stage(journey_workshop):
    journey = board_of(journey_workshop)["journey"]
    rows = {row["stage"]: row for row in journey["pains_vs_opportunities"]}
    # Only stages with something to say: Discover and Use have neither.
    assert list(rows) == ["Buy", "Wait"]
    assert texts(rows["Wait"]["pains"]) == ["No updates while waiting", "=cost of a loaner"]
    assert texts(rows["Wait"]["opportunities"]) == ["Text a photo of the repair"]
    assert rows["Wait"]["moment_of_truth_for"] == ["Sam"]
    assert rows["Buy"]["moment_of_truth_for"] == ["Ana"]
    assert [(c["lane"], c["stage"]) for c in journey["other_cells"]] == [("Actions", "Discover")]


def test_pain_points_are_found_by_lane_key_not_by_title(journey_workshop):
    board = journey_workshop.boards.get()
    fred = journey_workshop.participants.get(display_name="Fred")
    op(board, fred, "lane.rename", lane="pain-points", title="Frustrations")
    op(board, fred, "lane.add", title="Pain relief ideas")
    op(board, fred, "note.add", stage="wait", lane="pain-relief-ideas", text="Loaner bikes")
    journey = board_of(journey_workshop)["journey"]
    wait = next(row for row in journey["pains_vs_opportunities"] if row["stage"] == "Wait")
    assert texts(wait["pains"]) == ["No updates while waiting", "=cost of a loaner"]
    assert ("Pain relief ideas", "Wait") in [(c["lane"], c["stage"]) for c in journey["other_cells"]]


def test_a_deleted_stage_parks_its_notes_in_the_parking_lot(journey_workshop):
    board = board_of(journey_workshop)
    journey = board["journey"]
    assert [s["title"] for s in journey["stages"]] == ["Discover", "Consider", "Buy", "Wait", "Use"]
    assert texts(journey["parking_lot"]) == ["Might sell the bike"]
    assert journey["parking_lot"][0]["section_title"] == "Parking lot"
    # The emotion lane holds the curve: each persona's mean, no notes.
    feelings = next(lane for lane in journey["lanes"] if lane["kind"] == "emotion")
    wait = feelings["cells"][3]
    assert wait["notes"] == [] and wait["scores"] == [
        {"persona": "Sam", "score": "\u22122.3"},
        {"persona": "Ana", "score": "\u22120.7"},
    ]


def test_each_persona_has_its_curve_and_moment_of_truth(journey_workshop):
    curves = board_of(journey_workshop)["journey"]["curves"]
    assert [c["persona"] for c in curves] == ["Sam", "Ana"]
    sam, ana = curves
    assert [(p["stage"], p["score"]) for p in sam["points"]] == [
        ("Discover", "+1.3"),
        ("Consider", None),
        ("Buy", "\u22120.3"),
        ("Wait", "\u22122.3"),
        ("Use", "+1.7"),
    ]
    assert sam["points"][3]["count"] == 3 and sam["points"][3]["spread"] == "\u22123.0 to \u22122.0"
    assert sam["moments_of_truth"] == ["Wait"]
    assert ana["moments_of_truth"] == ["Buy"]


def test_the_curve_is_the_drawing_of_boards_curve(journey_workshop):
    snapshot = reader_snapshots(journey_workshop)[0]
    journey = workshop_summary(journey_workshop, [snapshot])["boards"][0]["journey"]
    assert journey["curve_svg"] == curve_svg(snapshot, id_prefix=f"curve-{snapshot['id']}")
    assert journey["curve_svg"].count('class="moment-of-truth"') == 2


def test_without_those_lanes_there_is_no_pairing_and_their_notes_are_parked(journey_workshop):
    board = journey_workshop.boards.get()
    fred = journey_workshop.participants.get(display_name="Fred")
    op(board, fred, "lane.delete", lane="pain-points")
    op(board, fred, "lane.delete", lane="opportunities")
    journey = board_of(journey_workshop)["journey"]
    assert journey["pains_vs_opportunities"] == []
    assert texts(journey["parking_lot"]) == [
        "Might sell the bike",
        "Booking form too long",
        "No updates while waiting",
        "=cost of a loaner",
        "Text a photo of the repair",
    ]
