"""Silent writing: private notes, moderation and the reveal, as each recipient sees them."""

from boards.models import Note
from boards.ops import ops_after
from boards.state import board_snapshot
from boards.visibility import op_for, snapshot_for
from tests.facilitation.conftest import client_view, do, view


def _frames(participant, board, after_seq=0):
    viewer = view(participant)
    return [op_for(viewer, e) for e in ops_after(board.id, after_seq)]


def test_a_private_note_reaches_only_its_author(board, maya, ana, ben):
    do(board, maya, "phase.set", {"phase": "write"})
    event = do(board, ana, "note.add", {"section": "says", "text": "I just need it to work by Monday"})
    assert event["data"]["private"] is True
    mine = op_for(view(ana), event)
    assert mine["data"]["text"] == "I just need it to work by Monday"
    assert "private_author" not in mine["data"]
    for other in (ben, maya):
        theirs = op_for(view(other), event)
        assert theirs == {
            "type": "op",
            "seq": event["seq"],
            "op": "redacted",
            "client_op_id": None,
            "actor": None,
            "data": {"private_counts": {"says": 1}},
        }
    assert [n["text"] for n in snapshot_for(view(ben), board_snapshot(board.id))["notes"]] == []
    assert len(snapshot_for(view(ana), board_snapshot(board.id))["notes"]) == 1


def test_facilitators_see_private_notes_with_moderation(board, maya, ana):
    do(board, maya, "workshop.settings", {"moderation": True})
    do(board, maya, "phase.set", {"phase": "write"})
    event = do(board, ana, "note.add", {"section": "says", "text": "x"})
    assert op_for(view(maya), event)["data"]["text"] == "x"
    assert len(snapshot_for(view(maya), board_snapshot(board.id))["notes"]) == 1


def test_the_log_stays_gapless_for_everyone(board, maya, ana, ben):
    do(board, maya, "phase.set", {"phase": "write"})
    for text in ("one", "two", "three"):
        do(board, ana, "note.add", {"section": "says", "text": text})
    do(board, maya, "phase.set", {"phase": "reveal"})
    for participant in (maya, ana, ben):
        assert [f["seq"] for f in _frames(participant, board)] == list(
            range(1, board_snapshot(board.id)["seq"] + 1)
        )


def test_every_client_converges_after_the_reveal(board, maya, ana, ben):
    start = board_snapshot(board.id)
    do(board, maya, "note.add", {"section": "says", "text": "public first"})
    do(board, maya, "workshop.settings", {"moderation": True})
    do(board, maya, "phase.set", {"phase": "write"})
    a = [
        do(board, ana, "note.add", {"section": s, "text": s})["data"]["id"] for s in ("says", "feels", "says")
    ]
    b = [do(board, ben, "note.add", {"section": s, "text": "b" + s})["data"]["id"] for s in ("does", "says")]
    do(board, ana, "note.move", {"id": a[1], "section": "thinks", "index": 3})
    do(board, maya, "note.move", {"id": a[0], "section": "does", "index": 0})
    do(board, maya, "note.hide", {"id": b[0], "hidden": True})
    do(board, maya, "note.merge", {"id": a[2], "into": b[1]})
    do(board, maya, "phase.set", {"phase": "reveal"})
    final = board_snapshot(board.id)
    for participant in (maya, ana, ben):
        state, _frames_seen = client_view(participant, start, board)
        assert state == snapshot_for(view(participant), final), participant.display_name
    # Everyone but Ben (and the moderating facilitator) sees everything except his hidden note.
    ana_view = snapshot_for(view(ana), final)
    assert b[0] not in [n["id"] for n in ana_view["notes"]]
    assert Note.objects.get(id=b[1]).text == "bsays\nsays"
    # Revealed notes take the next places of their section, after the public ones.
    says = [n["text"] for n in final["notes"] if n["section"] == "says"]
    assert says == ["public first", "bsays\nsays"]


def test_the_author_of_a_merged_away_note_sees_it_go(board, maya, ana, ben):
    do(board, maya, "workshop.settings", {"moderation": True})
    do(board, maya, "phase.set", {"phase": "write"})
    source = do(board, ana, "note.add", {"section": "says", "text": "ana's"})["data"]["id"]
    target = do(board, ben, "note.add", {"section": "says", "text": "ben's"})["data"]["id"]
    event = do(board, maya, "note.merge", {"id": source, "into": target})
    counts = {"private_counts": {"says": 1}}
    assert op_for(view(ana), event)["data"] == {"removed": source, **counts}
    assert op_for(view(ben), event)["data"] == {
        "id": target,
        "text": "ben's\nana's",
        "removed": source,
        **counts,
    }
    assert op_for(view(maya), event)["data"]["text"] == "ben's\nana's"


def test_everyone_sees_the_count_per_section_rise(board, maya, ana, ben):
    do(board, maya, "phase.set", {"phase": "write"})
    do(board, ana, "note.add", {"section": "says", "text": "a"})
    do(board, ana, "note.add", {"section": "feels", "text": "b"})
    moved = do(board, ben, "note.add", {"section": "says", "text": "c"})["data"]["id"]
    do(board, ben, "note.move", {"id": moved, "section": "does", "index": 0})
    last = ops_after(board.id, 0)[-1]
    for participant in (maya, ana, ben):
        assert op_for(view(participant), last)["data"]["private_counts"] == {"says": 1, "feels": 1, "does": 1}
        snapshot = snapshot_for(view(participant), board_snapshot(board.id))
        assert snapshot["facilitation"]["private_counts"] == {"says": 1, "feels": 1, "does": 1}
    reveal = do(board, maya, "phase.set", {"phase": "reveal"})
    assert op_for(view(ben), reveal)["data"]["private_counts"] == {}
