"""The browser's decisions reducers and matrix numbers (decisions-state.js) agree with Python's.

A prioritisation board is built through the op door; each person's connection
view of the log (boards.visibility: floor, private scoring, anonymity) is
replayed in Node and must equal the snapshot they would fetch, and the matrix
rows Node computes must equal decisions/matrix.py's.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from boards.ops import ops_after
from boards.state import board_snapshot
from boards.visibility import follow, op_for, snapshot_for, viewer_of
from boards.workshops import join_workshop
from decisions.matrix import matrix_rows

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "js" / "replay-decisions.mjs"

pytestmark = pytest.mark.django_db


def _node():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the browser reducer cannot be checked", pytrace=False)
    return node


def _replay_in_node(tmp_path, before, events, me, sees_all):
    fixture = tmp_path / "log.json"
    fixture.write_text(json.dumps({"before": before, "events": events, "me": me, "sees_all": sees_all}))
    out = subprocess.run(
        [_node(), str(SCRIPT), str(fixture)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_every_connection_replays_in_node_to_its_snapshot(tmp_path, workshop, board, matrix, host, op, pains):
    jo, ravi = join_workshop(workshop.join_code, "Jo"), join_workshop(workshop.join_code, "Ravi")
    people = [host, jo, ravi]
    before = board_snapshot(matrix.id)
    first = op(board, host, "opportunity.add", title="Text when ready", notes=pains[:2])["opportunity"]
    second = op(matrix, jo, "opportunity.add", title="Loan bikes")["opportunity"]
    op(matrix, host, "opportunity.update", id=second["id"], description="for commuters")
    op(board, ravi, "opportunity.link", id=second["id"], note=pains[2])
    op(board, ravi, "opportunity.unlink", id=first["id"], note=pains[0])
    for i, person in enumerate(people):
        op(matrix, person, "opportunity.score", opportunity=first["id"], impact=5 - i, value=4)
    op(matrix, jo, "opportunity.score", opportunity=second["id"], impact=2, value=5)
    op(matrix, host, "prioritisation.settings", effort=True)
    op(matrix, ravi, "opportunity.score", opportunity=second["id"], impact=3, value=1, effort=2)
    op(matrix, ravi, "opportunity.unscore", opportunity=second["id"])
    action = op(
        matrix, host, "action.add", opportunity=first["id"], owner={"participant": jo.id}, due="2020-01-01"
    )
    op(matrix, host, "action.update", id=action["action"]["id"], status="carried")
    extra = op(matrix, host, "action.add", opportunity=second["id"], owner={"participant": host.id})
    op(matrix, host, "action.delete", id=extra["action"]["id"])
    events = ops_after(matrix.id, before["seq"])
    for person in people:
        person.refresh_from_db()
        viewer = viewer_of(person)
        seen = []
        for event in events:
            seen.append(op_for(viewer, event))
            viewer = follow(viewer, event)
        expected = snapshot_for(viewer, board_snapshot(matrix.id))
        sees_all = person.is_facilitator
        replayed = _replay_in_node(
            tmp_path, snapshot_for(viewer_of(person), before), seen, person.id, sees_all
        )
        assert replayed["state"] == expected, person.display_name
        assert replayed["rows"] == matrix_rows(expected, sees_all), person.display_name
    # Jo (a participant) sees no mean for the opportunity only Jo scored (below the floor of 3).
    jo_rows = {r["id"]: r for r in matrix_rows(snapshot_for(viewer_of(jo), board_snapshot(matrix.id)), False)}
    assert jo_rows[second["id"]]["impact"] is None and jo_rows[first["id"]]["rank"] == 1
    host_rows = {r["id"]: r for r in matrix_rows(snapshot_for(viewer_of(host), board_snapshot(matrix.id)))}
    assert host_rows[second["id"]]["impact"] == 2.0
