"""boards/exports/json.py: the versioned schema of docs/export-json.md."""

import json

from boards.exports import export_workshop
from boards.state import apply_op

from .conftest import close_votes, note_count


def test_it_writes_the_schema_the_workshop_and_every_note(workshop):
    export = export_workshop(workshop, "json")
    document = json.loads(export.content)
    assert document["schema"] == "resonance.workshop/2"
    assert document["workshop"]["title"] == "First-time e-bike owner"
    assert document["workshop"]["participants"]["count"] == 2
    assert sum(len(b["notes"]) for b in document["boards"]) == note_count(workshop)
    assert document["boards"][0]["personas"][0]["name"] == "Sam"
    assert "ops" not in document
    assert export.content_type == "application/json"
    assert "🚲" in export.content.decode()


def test_with_ops_replaying_the_log_gives_the_snapshot(workshop):
    document = json.loads(export_workshop(workshop, "json", ops=True).content)
    board = document["boards"][0]
    ops = document["ops"][str(board["id"])]
    assert [op["seq"] for op in ops] == list(range(1, board["seq"] + 1))
    state = {
        **board,
        "seq": 0,
        "notes": [],
        "personas": [
            {**p, "name": "", "details": {"age": "", "role": "", "quote": "", "about": ""}}
            for p in board["personas"]
        ],
    }
    for op in ops:
        state = apply_op(state, op)
    assert state == board


def test_an_empty_workshop_is_valid_and_nearly_empty(empty_workshop):
    document = json.loads(export_workshop(empty_workshop, "json", ops=True).content)
    assert document["schema"] == "resonance.workshop/2"
    assert [b["notes"] for b in document["boards"]] == [[]]
    assert list(document["ops"].values()) == [[]]
    assert document["workshop"]["first_op_at"] is None


def test_a_journey_board_is_its_snapshot_with_stages_lanes_and_scores(journey_workshop):
    board = json.loads(export_workshop(journey_workshop, "json").content)["boards"][0]
    assert board["kind"] == "journey-map"
    assert [s["key"] for s in board["stages"]] == ["discover", "consider", "buy", "wait", "use"]
    assert {"key": "pain-points", "title": "Pain points", "kind": "notes"} in board["lanes"]
    assert len(board["emotion_scores"]) == 24
    parked = next(n for n in board["notes"] if n["text"] == "Might sell the bike")
    assert (parked["section"], parked["stage"], parked["lane"]) == (None, None, None)


def test_votes_are_in_the_file_once_the_vote_is_closed(voted_workshop):
    board = json.loads(export_workshop(close_votes(voted_workshop), "json").content)["boards"][0]
    assert len(board["votes"]) == 7
    assert [c["title"] for c in board["clusters"]] == [
        "Needs the bike for work",
        "Doesn't trust the estimate",
    ]
