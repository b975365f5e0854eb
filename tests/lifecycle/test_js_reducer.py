"""The browser's reducers of workshop.close, workshop.reopen and participant.erase agree with Python (G5)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from boards.ops import ops_after
from boards.state import board_snapshot
from boards.visibility import op_for, snapshot_for, viewer_of

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).parent / "js" / "replay.mjs"


def _replay_in_node(tmp_path, before, events) -> dict:
    node = shutil.which("node")
    assert node, "node is needed for the browser reducer tests"
    fixture = tmp_path / "log.json"
    fixture.write_text(json.dumps({"before": before, "events": events}))
    result = subprocess.run([node, str(SCRIPT), str(fixture)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_js_reducer_replays_close_erase_and_reopen(
    tmp_path, board, host, guest, second_guest, do, anonymous
):
    do(board, host, "workshop.settings", anonymous=anonymous, votes_per_person=5)
    do(board, host, "phase.set", phase="vote")
    do(board, host, "phase.set", phase="open")
    before = board_snapshot(board.id)
    mine = do(board, guest, "note.add", section="says", text="Jo's").event["data"]["id"]
    do(board, second_guest, "note.add", section="says", text="Ravi's")
    do(board, guest, "note.add", section="feels", text="Jo's too")
    do(board, host, "phase.set", phase="vote")
    do(board, second_guest, "vote.add", note_id=mine)
    ravis = next(n["id"] for n in board_snapshot(board.id)["notes"] if n["text"] == "Ravi's")
    do(board, guest, "vote.add", note_id=ravis)
    do(board, second_guest, "vote.add", note_id=ravis)
    do(board, host, "votes.close")
    do(board, host, "workshop.close")
    do(board, guest, "participant.erase")
    do(board, host, "workshop.reopen")
    do(board, host, "workshop.close")
    events = ops_after(board.id, before["seq"])
    after = board_snapshot(board.id)
    assert _replay_in_node(tmp_path, before, events) == after
    # As Ravi's connection receives it (redacted and anonymised where the rules say),
    # it ends at the snapshot Ravi would fetch.
    board.workshop.refresh_from_db()
    viewer = viewer_of(second_guest, board.workshop)
    assert viewer.anonymous == anonymous
    seen = [op_for(viewer, e) for e in events]
    assert _replay_in_node(tmp_path, snapshot_for(viewer, before), seen) == snapshot_for(viewer, after)
    assert after["closed_at"] is not None and [n["text"] for n in after["notes"]] == ["Ravi's"]
    # A dot given under anonymity keeps its mark for good.
    assert after["votes"] == [
        {"note": ravis, "voter": second_guest.id, **({"anonymous": True} if anonymous else {})}
    ]


def test_an_anonymous_erasure_of_scores_replays_for_everyone_else(workshop, maya, maya_team, do):
    """On a journey map in anonymous mode, another connection drops the erased score it could not name."""
    from boards.models import Template
    from boards.state import apply_op
    from boards.workshops import create_workshop, join_workshop

    journey = create_workshop(
        maya, maya_team, "Journey", Template.objects.get(team__isnull=True, slug="journey-map")
    )
    board = journey.boards.get()
    host = journey.participants.get(user=maya)
    ana, ben = join_workshop(journey.join_code, "Ana"), join_workshop(journey.join_code, "Ben")
    do(board, host, "workshop.settings", anonymous=True)
    stage, persona = board.stages.first(), board.personas.first()
    do(board, ana, "emotion.set", stage=stage.key, persona=persona.id, score=-2)
    do(board, ben, "emotion.set", stage=stage.key, persona=persona.id, score=1)
    before = board_snapshot(board.id)
    do(board, ana, "participant.erase")
    journey.refresh_from_db()
    viewer = viewer_of(ben, journey)
    assert viewer.anonymous
    state = snapshot_for(viewer, before)
    for event in ops_after(board.id, before["seq"]):
        state = apply_op(state, op_for(viewer, event))
    after = snapshot_for(viewer, board_snapshot(board.id))
    assert state == after
    assert [s["score"] for s in after["emotion_scores"]] == [1]
