"""G5 for every facilitation op: the snapshot before + the logged ops == the snapshot after."""

from boards.models import Note, Phase
from boards.state import board_snapshot
from tests.facilitation.conftest import assert_replays, do


def _step(board, participant, kind, data=None):
    before = board_snapshot(board.id)
    event = do(board, participant, kind, data)
    assert_replays(before, board)
    return event


def test_phase_settings_joining_lock_and_people_replay(board, maya, ana, ben):
    for phase in ["write", "reveal", "group", "vote", "discuss", "vote", "wrap-up", "open"]:
        _step(board, maya, "phase.set", {"phase": phase})
    _step(board, maya, "workshop.settings", {"anonymous": True, "votes_per_person": 5, "votes_hidden": False})
    _step(board, maya, "workshop.settings", {"moderation": True, "votes_per_note": 2})
    _step(board, maya, "workshop.joining", {"open": False})
    _step(board, maya, "board.lock", {"locked": True})
    _step(board, maya, "board.lock", {"locked": False})
    _step(board, maya, "participant.role", {"id": ana.id, "role": "facilitator"})
    _step(board, maya, "participant.remove", {"id": ben.id})


def test_a_role_change_replays_onto_the_authors_of_their_notes(board, maya, ana):
    # Notes carry their author's current role: the op log must change it too.
    do(board, ana, "note.add", {"section": "says", "text": "How much?"})
    _step(board, maya, "participant.role", {"id": ana.id, "role": "facilitator"})
    assert board_snapshot(board.id)["notes"][0]["author"]["role"] == "facilitator"


def test_timer_replays(board, maya):
    _step(board, maya, "timer.start", {"seconds": 480})
    _step(board, maya, "timer.pause")
    _step(board, maya, "timer.extend", {"seconds": 60})
    _step(board, maya, "timer.resume")
    _step(board, maya, "timer.extend", {"seconds": 30})
    _step(board, maya, "timer.stop")


def test_private_writing_reveal_and_moderation_replay(board, maya, ana, ben):
    do(board, maya, "note.add", {"section": "says", "text": "public before writing"})
    do(board, maya, "workshop.settings", {"moderation": True})
    _step(board, maya, "phase.set", {"phase": "write"})
    a1 = _step(board, ana, "note.add", {"section": "says", "text": "a1"})["data"]["id"]
    a2 = _step(board, ana, "note.add", {"section": "thinks", "text": "a2"})["data"]["id"]
    b1 = _step(board, ben, "note.add", {"section": "says", "text": "b1"})["data"]["id"]
    b2 = _step(board, ben, "note.add", {"section": "feels", "text": "b2"})["data"]["id"]
    b3 = _step(board, ben, "note.add", {"section": "does", "text": "b3"})["data"]["id"]
    _step(board, ana, "note.update", {"id": a1, "text": "a1 edited"})
    _step(board, ana, "note.move", {"id": a2, "section": "says", "index": 0})
    _step(board, ben, "note.delete", {"id": b3})
    _step(board, maya, "note.hide", {"id": b2, "hidden": True})
    _step(board, maya, "note.merge", {"id": a2, "into": b1})
    _step(board, maya, "phase.set", {"phase": "reveal"})
    assert not Note.objects.get(id=a1).private and Note.objects.get(id=b2).private
    _step(board, maya, "note.hide", {"id": b2, "hidden": False})
    assert not Note.objects.get(id=b2).private
    # Back to writing after the reveal: old notes stay public, new ones are private.
    _step(board, maya, "phase.set", {"phase": "write"})
    _step(board, ana, "note.add", {"section": "says", "text": "late"})
    _step(board, maya, "note.move", {"id": a1, "section": "says", "index": 0})
    _step(board, maya, "phase.set", {"phase": "group"})


def test_clusters_replay(board, maya, ana):
    ids = [do(board, ana, "note.add", {"section": "says", "text": t})["data"]["id"] for t in "abcd"]
    do(board, maya, "phase.set", {"phase": Phase.GROUP})
    cluster = _step(
        board, ana, "cluster.create", {"note_ids": ids[:2], "title": "Doesn't trust the estimate"}
    )
    cid = cluster["data"]["id"]
    _step(board, ana, "cluster.rename", {"id": cid, "title": "Needs the bike for work"})
    _step(board, ana, "cluster.add_note", {"id": cid, "note_id": ids[2]})
    other = _step(board, ana, "cluster.create", {"note_ids": [ids[2], ids[3]]})["data"]["id"]
    _step(board, ana, "cluster.remove_note", {"note_id": ids[3]})
    _step(board, ana, "note.delete", {"id": ids[0]})
    _step(board, ana, "cluster.delete", {"id": other})


def test_votes_replay(board, maya, ana, ben):
    ids = [do(board, ana, "note.add", {"section": "says", "text": t})["data"]["id"] for t in "abc"]
    do(board, maya, "workshop.settings", {"votes_per_note": 2})
    _step(board, maya, "phase.set", {"phase": "vote"})
    _step(board, ana, "vote.add", {"note_id": ids[0]})
    _step(board, ana, "vote.add", {"note_id": ids[0]})
    _step(board, ben, "vote.add", {"note_id": ids[1]})
    _step(board, ben, "vote.add", {"note_id": ids[0]})
    _step(board, ana, "vote.remove", {"note_id": ids[0]})
    _step(board, maya, "votes.close")
    _step(board, maya, "votes.reset")
    _step(board, ben, "vote.add", {"note_id": ids[2]})
    _step(board, maya, "phase.set", {"phase": "discuss"})
    _step(board, maya, "votes.close")
    _step(board, ana, "note.delete", {"id": ids[2]})
