"""The one board reducer (static/js/board-state.js + static/js/ops/*.js) replays journey ops to the same state as boards/state.py."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from boards.ops import ops_after
from boards.state import board_snapshot
from boards.visibility import op_for, snapshot_for, viewer_of
from tests.journey.helpers import op

CHECK = Path(__file__).parent / "js" / "replay_check.mjs"


def replay_in_node(tmp_path, before, events) -> dict:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    recording = tmp_path / "recording.json"
    recording.write_text(json.dumps({"before": before, "events": events}))
    result = subprocess.run(["node", str(CHECK), str(recording)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_journey_op_replays_the_same_in_js(tmp_path, board, facilitator, guest, second_guest, persona):
    before = board_snapshot(board.id)
    a = op(board, guest, "note.add", stage="buy", lane="pain-points", text="Price unclear").event["data"]
    b = op(board, guest, "note.add", stage="use", lane="actions", text="Rides").event["data"]
    op(board, facilitator, "note.add", stage=None, lane=None, text="Parked")
    op(board, guest, "note.update", id=a["id"], text="Price?", color="pink")
    op(board, guest, "note.move", id=b["id"], stage="buy", lane="pain-points", index=0)
    op(board, facilitator, "stage.add", title="Wait", index=3)
    op(board, facilitator, "stage.rename", stage="wait", title="Waiting")
    op(board, facilitator, "stage.move", stage="buy", index=5)
    op(board, facilitator, "lane.add", title="Backstage", index=0)
    op(board, facilitator, "lane.rename", lane="backstage", title="Behind the scenes")
    op(board, facilitator, "lane.move", lane="pain-points", index=0)
    ana = op(board, facilitator, "persona.add", name="Ana").event["data"]
    op(board, guest, "emotion.set", stage="wait", persona=persona.id, score=-2)
    op(board, second_guest, "emotion.set", stage="wait", persona=persona.id, score=-3)
    op(board, guest, "emotion.set", stage="buy", persona=ana["id"], score=1)
    op(board, guest, "emotion.set", stage="discover", persona=persona.id, score=2)
    op(board, facilitator, "journey.settings", scores_visible_before_own=False)
    op(board, second_guest, "emotion.set", stage="discover", persona=persona.id, score=0)
    op(board, facilitator, "stage.delete", stage="buy")
    op(board, facilitator, "lane.delete", lane="actions")
    op(board, facilitator, "persona.remove", id=ana["id"])
    op(board, guest, "note.delete", id=a["id"])
    events = ops_after(board.id, before["seq"])
    after = board_snapshot(board.id)
    assert replay_in_node(tmp_path, before, events) == after
    # ...and as one participant sees them, redacted.
    seen = [op_for(viewer_of(second_guest), e) for e in events]
    assert replay_in_node(tmp_path, snapshot_for(viewer_of(second_guest), before), seen) == snapshot_for(
        viewer_of(second_guest), after
    )
