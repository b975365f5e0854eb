"""Bad input at the door: each refused with a clear error, changing nothing (DB and seq)."""

import pytest

from boards.models import Participant, Workshop
from tests.facilitation.conftest import do, refused

FACILITATOR_OPS = [
    ("phase.set", {"phase": "write"}),
    ("workshop.settings", {"anonymous": True}),
    ("workshop.joining", {"open": False}),
    ("board.lock", {"locked": True}),
    ("timer.start", {"seconds": 60}),
    ("participant.role", {"id": 0, "role": "facilitator"}),
    ("participant.remove", {"id": 0}),
    ("votes.close", {}),
    ("votes.reset", {}),
    ("note.hide", {"id": 1, "hidden": True}),
    ("note.merge", {"id": 1, "into": 2}),
]


@pytest.mark.parametrize("kind,data", FACILITATOR_OPS)
def test_it_refuses_facilitator_ops_from_participants(board, ana, ben, kind, data):
    data = {**data, **({"id": ben.id} if kind.startswith("participant.") else {})}
    message = refused("forbidden", board, ana, kind, data)
    assert "facilitator" in message
    workshop = Workshop.objects.get(id=board.workshop_id)
    assert (workshop.phase, workshop.anonymous, workshop.joining_open) == ("open", False, True)
    assert Participant.objects.get(id=ben.id).removed_at is None


def test_it_refuses_observers(board, observer):
    assert "Observers" in refused("forbidden", board, observer, "note.add", {"section": "says"})


def test_it_refuses_ops_outside_their_phase(board, maya, ana):
    note = do(board, ana, "note.add", {"section": "says", "text": "x"})["data"]["id"]
    assert "vote phase" not in refused("forbidden", board, ana, "vote.add", {"note_id": note})
    assert "allowed in: vote" in refused("forbidden", board, ana, "vote.add", {"note_id": note})
    do(board, maya, "phase.set", {"phase": "vote"})
    assert "not allowed in the vote phase" in refused(
        "forbidden", board, ana, "note.add", {"section": "says"}
    )
    refused("forbidden", board, ana, "cluster.create", {"note_ids": [note]})
    do(board, maya, "phase.set", {"phase": "reveal"})
    refused("forbidden", board, ana, "note.update", {"id": note, "text": "y"})


def test_it_refuses_votes_past_the_limits(board, maya, ana):
    notes = [do(board, ana, "note.add", {"section": "says", "text": t})["data"]["id"] for t in "abcd"]
    do(board, maya, "phase.set", {"phase": "vote"})
    do(board, ana, "vote.add", {"note_id": notes[0]})
    assert "at most 1" in refused("invalid", board, ana, "vote.add", {"note_id": notes[0]})
    do(board, ana, "vote.add", {"note_id": notes[1]})
    do(board, ana, "vote.add", {"note_id": notes[2]})
    assert "all your 3 votes" in refused("invalid", board, ana, "vote.add", {"note_id": notes[3]})
    assert "no vote" in refused("invalid", board, ana, "vote.remove", {"note_id": notes[3]})
    do(board, maya, "votes.close")
    assert "closed" in refused("invalid", board, ana, "vote.remove", {"note_id": notes[0]})


def test_it_refuses_edits_of_a_locked_board(board, maya, ana):
    note = do(board, ana, "note.add", {"section": "says", "text": "x"})["data"]["id"]
    do(board, maya, "board.lock", {"locked": True})
    assert "locked" in refused("forbidden", board, ana, "note.update", {"id": note, "text": "y"})
    assert "locked" in refused("forbidden", board, ana, "note.add", {"section": "says"})
    do(board, maya, "note.update", {"id": note, "text": "facilitators still can"})
    do(board, maya, "board.lock", {"locked": False})
    do(board, ana, "note.update", {"id": note, "text": "unlocked"})


def test_it_refuses_bad_facilitation_data(board, maya, ana):
    refused("invalid", board, maya, "phase.set", {"phase": "lunch"})
    refused("invalid", board, maya, "phase.set", {"phase": "open"})  # already there
    refused("invalid", board, maya, "workshop.settings", {"anonymous": "yes"})
    refused("invalid", board, maya, "workshop.settings", {"votes_per_person": 0})
    refused("invalid", board, maya, "workshop.settings", {"colour": "red"})
    refused("invalid", board, maya, "workshop.settings", {"anonymous": False})  # nothing changes
    refused("invalid", board, maya, "timer.start", {"seconds": -5})
    refused("invalid", board, maya, "timer.pause")
    refused("invalid", board, maya, "timer.resume")
    refused("invalid", board, maya, "timer.extend", {"seconds": 60})
    refused("invalid", board, maya, "timer.stop")
    refused("invalid", board, maya, "participant.role", {"id": ana.id, "role": "king"})
    refused("not_found", board, maya, "participant.remove", {"id": 999999})
    # The last facilitator can neither step down nor be removed.
    assert "needs a facilitator" in refused("invalid", board, maya, "participant.remove", {"id": maya.id})
    refused("invalid", board, maya, "participant.role", {"id": maya.id, "role": "participant"})


def test_moderation_needs_moderation_on_and_private_notes(board, maya, ana):
    do(board, maya, "phase.set", {"phase": "write"})
    note = do(board, ana, "note.add", {"section": "says", "text": "x"})["data"]["id"]
    assert "moderation" in refused("invalid", board, maya, "note.hide", {"id": note, "hidden": True})
    do(board, maya, "workshop.settings", {"moderation": True})
    do(board, maya, "note.hide", {"id": note, "hidden": True})
    refused("invalid", board, maya, "note.hide", {"id": note, "hidden": True})
    refused("invalid", board, maya, "note.merge", {"id": note, "into": note})


def test_someone_elses_private_note_looks_missing(board, maya, ana, ben):
    do(board, maya, "phase.set", {"phase": "write"})
    note = do(board, ana, "note.add", {"section": "says", "text": "mine"})["data"]["id"]
    assert refused("not_found", board, ben, "note.update", {"id": note, "text": "x"}) == (
        f"This board has no note {note}."
    )
    refused("not_found", board, ben, "note.delete", {"id": note})
    # Facilitators see private notes only with moderation on.
    refused("not_found", board, maya, "note.delete", {"id": note})


def test_a_removed_participant_cannot_write(board, maya, ana):
    do(board, maya, "participant.remove", {"id": ana.id})
    assert "not a participant" in refused("forbidden", board, ana, "note.add", {"section": "says"})
