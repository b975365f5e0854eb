"""Dot voting: hidden results, a participant's own votes, and closing the round."""

from boards.state import board_snapshot
from boards.visibility import op_for, snapshot_for
from tests.facilitation.conftest import client_view, do, view


def _notes(board, participant, n=3):
    return [
        do(board, participant, "note.add", {"section": "says", "text": str(i)})["data"]["id"]
        for i in range(n)
    ]


def test_hidden_votes_reach_only_the_voter(board, maya, ana, ben):
    notes = _notes(board, maya)
    do(board, maya, "phase.set", {"phase": "vote"})
    event = do(board, ana, "vote.add", {"note_id": notes[0]})
    assert op_for(view(ana), event)["data"] == {"note_id": notes[0], "voter": ana.id}
    assert op_for(view(ben), event)["op"] == "redacted"
    assert op_for(view(maya), event)["op"] == "redacted"
    assert snapshot_for(view(ben), board_snapshot(board.id))["votes"] == []
    assert snapshot_for(view(ana), board_snapshot(board.id))["votes"] == [{"note": notes[0], "voter": ana.id}]


def test_closing_reveals_totals_and_every_client_converges(board, maya, ana, ben):
    notes = _notes(board, maya)
    start = board_snapshot(board.id)
    do(board, maya, "phase.set", {"phase": "vote"})
    do(board, ana, "vote.add", {"note_id": notes[0]})
    do(board, ben, "vote.add", {"note_id": notes[0]})
    do(board, ben, "vote.add", {"note_id": notes[2]})
    do(board, ben, "vote.remove", {"note_id": notes[2]})
    close = do(board, maya, "votes.close")
    assert close["data"]["totals"] == [{"note": notes[0], "count": 2}]
    final = board_snapshot(board.id)
    for participant in (maya, ana, ben):
        state, _ = client_view(participant, start, board)
        assert state == snapshot_for(view(participant), final)
        assert len(state["votes"]) == 2


def test_visible_results_show_every_vote_and_anonymous_hides_voters(board, maya, ana, ben):
    notes = _notes(board, maya)
    do(board, maya, "workshop.settings", {"votes_hidden": False, "anonymous": True})
    do(board, maya, "phase.set", {"phase": "vote"})
    event = do(board, ana, "vote.add", {"note_id": notes[1]})
    assert op_for(view(ben), event)["data"] == {"note_id": notes[1], "voter": None, "anonymous": True}
    assert op_for(view(ben), event)["actor"] is None
    assert op_for(view(ana), event)["data"]["voter"] == ana.id


def test_showing_results_mid_round_sends_a_fresh_snapshot(board, maya, ana, ben):
    notes = _notes(board, maya)
    start = board_snapshot(board.id)
    do(board, maya, "phase.set", {"phase": "vote"})
    do(board, ana, "vote.add", {"note_id": notes[0]})
    do(board, maya, "workshop.settings", {"votes_hidden": False})
    state, frames = client_view(ben, start, board)
    assert state["votes"] == [{"note": notes[0], "voter": ana.id}]
    assert "notes" in frames[-1]  # the last thing Ben got was a snapshot
