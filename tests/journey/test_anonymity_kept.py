"""Anonymity given is never taken back (boards/visibility.py, ANONYMOUS): notes, votes and scores.

A note, a vote and a score given while anonymous mode is on keep their mark
after the mode is turned off: nobody but their giver sees who gave them, in
snapshots or ops, and later ops about such a note do not name who made them.
The marks replay (G5): the snapshot before + the logged ops == the snapshot
after, and each viewer's redacted replay equals their redacted snapshot.
"""

from boards.ops import ops_after
from boards.state import apply_op, board_snapshot
from boards.visibility import op_for, snapshot_for, viewer_of
from tests.journey.helpers import op


def replayed(before, board):
    state = before
    for event in ops_after(board.id, before["seq"]):
        state = apply_op(state, event)
    return state


def test_marks_replay_and_stay_after_the_mode_is_off(board, facilitator, guest, second_guest, persona):
    # Two scores at a point: a floor of 1 lets the guests see each other's (the floor has its own tests).
    op(board, facilitator, "journey.settings", respondent_floor=1)
    start = board_snapshot(board.id)
    op(board, facilitator, "workshop.settings", anonymous=True, votes_hidden=False)
    note = op(board, guest, "note.add", stage="use", lane="pain-points", text="Nobody calls back").event
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=-3)
    op(board, facilitator, "phase.set", phase="vote")
    op(board, guest, "vote.add", note_id=note["data"]["id"])
    op(board, facilitator, "votes.close")
    op(board, facilitator, "phase.set", phase="discuss")
    op(board, facilitator, "workshop.settings", anonymous=False)
    assert replayed(start, board) == board_snapshot(board.id)

    off = board_snapshot(board.id)
    # After the mode is off: the giver changes their note and score; someone else scores, named.
    op(board, guest, "note.update", id=note["data"]["id"], text="Nobody ever calls back")
    op(board, guest, "note.move", id=note["data"]["id"], stage="buy", lane="pain-points", index=0)
    op(board, guest, "emotion.set", stage="use", persona=persona.id, score=-2)
    op(board, second_guest, "emotion.set", stage="use", persona=persona.id, score=1)
    op(board, second_guest, "note.add", stage="use", lane="pain-points", text="Named now")
    after = board_snapshot(board.id)
    assert replayed(off, board) == after

    ravi = viewer_of(second_guest)
    seen = snapshot_for(ravi, after)
    notes = {n["text"]: n for n in seen["notes"]}
    assert notes["Nobody ever calls back"]["author"] is None and notes["Nobody ever calls back"]["anonymous"]
    assert notes["Named now"]["author"]["id"] == second_guest.id
    assert {s["participant"] for s in seen["emotion_scores"]} == {None, second_guest.id}
    assert [v["voter"] for v in seen["votes"]] == [None]
    # The facilitator, too, never learns who gave them.
    host = snapshot_for(viewer_of(facilitator), after)
    assert {s["participant"] for s in host["emotion_scores"]} == {None, second_guest.id}
    # The giver still sees their own as theirs.
    jo = snapshot_for(viewer_of(guest), after)
    assert {n["text"]: n for n in jo["notes"]}["Nobody ever calls back"]["author"]["id"] == guest.id

    # Later ops about the anonymous note or score name nobody; each viewer's replay matches their snapshot.
    for event in ops_after(board.id, off["seq"]):
        shown = op_for(ravi, event)
        if event["actor"]["id"] == guest.id:
            assert shown["actor"] is None and shown["client_op_id"] is None, event["op"]
            assert "anonymous_target" not in shown["data"] and "anonymous_rows" not in shown["data"]
    for participant in (guest, second_guest, facilitator):
        viewer = viewer_of(participant)
        state = snapshot_for(viewer, off)
        for event in ops_after(board.id, off["seq"]):
            state = apply_op(state, op_for(viewer, event))
        assert state == snapshot_for(viewer, after), participant.display_name
