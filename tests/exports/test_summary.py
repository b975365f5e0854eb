"""boards.summary.workshop_summary: a pure function of the workshop row and its snapshots."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from boards.summary import workshop_summary


def fake_workshop(**extra):
    return SimpleNamespace(
        id=7,
        title="First-time e-bike owner",
        team=SimpleNamespace(name="Bike repair"),
        created_at=datetime(2026, 11, 19, 10, 0, tzinfo=UTC),
        closed_at=None,
        **extra,
    )


def note(id, section, text, votes=None, cluster=None, author="Ana", **extra):
    n = {"id": id, "section": section, "text": text, "color": "yellow", "author": {"id": 1, "name": author}}
    if votes is not None:
        n["votes"] = votes
    if cluster is not None:
        n["cluster"] = cluster
    return {**n, "created_at": "2026-11-19T10:05:00+00:00", **extra}


EMPATHY = {
    "id": 1,
    "kind": "empathy-map",
    "title": "Empathy map",
    "seq": 9,
    "sections": [
        {"key": "says", "title": "Says", "prompt": ""},
        {"key": "feels", "title": "Feels", "prompt": ""},
    ],
    "personas": [{"id": 3, "name": "Sam", "details": {"age": "34", "quote": ""}}],
    "notes": [
        note(1, "says", "Cheap?", votes=1, cluster=10),
        note(2, "says", "Monday!", votes=4, cluster=11),
        note(3, "says", "Estimate?", votes=2, cluster=10),
        note(4, "says", "Loose one", votes=0),
        note(5, "feels", "Anxious", votes=3),
    ],
    "clusters": [
        {"id": 10, "title": "Doesn't trust the estimate"},
        {"id": 11, "title": "Needs the bike for work"},
    ],
}

JOURNEY = {
    "id": 2,
    "kind": "journey-map",
    "title": "Journey",
    "seq": 5,
    "sections": [],
    "personas": [{"id": 4, "name": "Sam", "details": {}}, {"id": 5, "name": "Ana", "details": {}}],
    "stages": [{"key": "book", "title": "Book"}, {"key": "wait", "title": "Wait", "moment_of_truth": True}],
    "lanes": [{"key": "pains", "title": "Pain points"}, {"key": "opportunities", "title": "Opportunities"}],
    "emotions": [],
    "notes": [
        note(20, "pains", "No updates while waiting", stage="wait", lane="pains", votes=5),
        note(21, "opportunities", "Text a photo of the repair", stage="wait", lane="opportunities"),
        note(22, "pains", "Booking form too long", stage="book", lane="pains"),
    ],
}

ACTIVITY = {
    "participants": [{"name": "Fred", "role": "facilitator"}, {"name": "Ana", "role": "participant"}],
    "first_op_at": datetime(2026, 11, 19, 10, 3, tzinfo=UTC),
    "last_op_at": datetime(2026, 11, 19, 11, 20, tzinfo=UTC),
    "phases": ["write", "reveal", "vote"],
}


def test_it_ranks_notes_by_votes_within_a_section():
    board = workshop_summary(fake_workshop(), [EMPATHY], ACTIVITY)["boards"][0]
    says = board["sections"][0]
    assert [n["text"] for n in says["notes"]] == ["Monday!", "Estimate?", "Cheap?", "Loose one"]


def test_it_groups_clusters_with_titles_and_orders_them_by_votes():
    summary = workshop_summary(fake_workshop(), [EMPATHY], ACTIVITY)
    says = summary["boards"][0]["sections"][0]
    assert [(c["title"], c["votes"]) for c in says["clusters"]] == [
        ("Needs the bike for work", 4),
        ("Doesn't trust the estimate", 3),
    ]
    assert [n["text"] for n in says["clusters"][1]["notes"]] == ["Estimate?", "Cheap?"]
    assert [n["text"] for n in says["unclustered"]] == ["Loose one"]
    assert summary["boards"][0]["top_clusters"][0]["title"] == "Needs the bike for work"
    assert summary["has_votes"]


def test_it_says_who_when_how_long_and_which_phases():
    summary = workshop_summary(fake_workshop(), [EMPATHY], ACTIVITY)
    assert summary["participation"] == {"count": 2, "names": ["Fred", "Ana"]}
    assert summary["timing"]["duration"] == "1 h 17 min"
    assert summary["phases"] == ["write", "reveal", "vote"]
    assert summary["persona"]["name"] == "Sam"
    assert summary["persona"]["details"] == [("Age", "34")]


def test_an_anonymous_workshop_gives_only_a_count_and_no_authors():
    summary = workshop_summary(fake_workshop(anonymous=True), [EMPATHY], ACTIVITY)
    assert summary["participation"] == {"count": 2, "names": None}
    assert all(n["author"] is None for n in summary["boards"][0]["notes"])


def test_it_works_without_votes_clusters_or_activity():
    bare = {
        **EMPATHY,
        "notes": [{k: v for k, v in n.items() if k not in ("votes", "cluster")} for n in EMPATHY["notes"]],
    }
    del bare["clusters"]
    summary = workshop_summary(fake_workshop(), [bare])
    assert not summary["has_votes"]
    assert summary["boards"][0]["sections"][0]["clusters"] == []
    assert summary["timing"]["duration"] == ""
    assert summary["participation"] == {"count": 0, "names": []}


def test_a_journey_puts_pain_points_next_to_opportunities_per_stage():
    journey = workshop_summary(fake_workshop(), [JOURNEY], ACTIVITY)["boards"][0]["journey"]
    wait = journey["pains_vs_opportunities"][1]
    assert wait["stage"] == "Wait" and wait["moment_of_truth"]
    assert [n["text"] for n in wait["pains"]] == ["No updates while waiting"]
    assert [n["text"] for n in wait["opportunities"]] == ["Text a photo of the repair"]
    assert journey["moments_of_truth"] == ["Wait"]
    assert [c["stage"] for c in journey["lanes"][0]["cells"]] == ["Book", "Wait"]


def test_a_journey_has_no_curve_while_the_curve_module_is_missing():
    if _curve_module_exists():
        pytest.skip("boards.curve exists: covered by test_curve_*")
    journey = workshop_summary(fake_workshop(), [JOURNEY])["boards"][0]["journey"]
    assert journey["curves"] == [] and journey["curve_svg"] == ""


def test_a_journey_curve_marks_each_personas_low_point(fake_curve):
    journey = workshop_summary(fake_workshop(), [JOURNEY])["boards"][0]["journey"]
    assert [c["persona"] for c in journey["curves"]] == ["Sam", "Ana"]
    assert journey["curves"][0]["low"] == {"stage": "Wait", "score": -2.4, "count": 3}
    assert journey["curve_svg"].startswith("<svg")


def _curve_module_exists() -> bool:
    import importlib.util

    return importlib.util.find_spec("boards.curve") is not None
