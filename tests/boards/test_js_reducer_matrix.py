"""Every op kind × board kind × phase through the Python and the JS reducer.

For each board kind a workshop is run through every phase; in each phase every op
kind is tried (the phase table and the roles refuse some: those are skipped, as the
server would). The log must replay to the database's snapshot in Python and in Node,
and, as each participant's connection receives it (redacted, anonymised, with the
fresh snapshots sent when what they may see changes), to the snapshot they would fetch.
A test fails when an op kind the server logs has no JS reducer, or is never exercised.
"""

import json
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.errors import OpError
from boards.models import Template
from boards.ops import apply_op_request, ops_after
from boards.ops.core import OPS
from boards.state import REDUCERS, apply_op, board_snapshot
from boards.workshops import create_workshop, join_workshop
from tests.boards.test_js_reducer_parity import _as_received, _node, _replay_in_node

ROOT = Path(__file__).resolve().parents[2]
PHASES = ["open", "write", "reveal", "group", "vote", "discuss", "wrap-up"]
KINDS = ["empathy-map", "empathy-map-extended", "jtbd", "journey-map"]
# Ops only a prioritisation board takes (decisions/ops.py). A prioritisation board has
# no notes of its own, so it does not fit this run; its ops replay in Python and Node
# in tests/decisions/test_js_reducer_parity.py.
PRIORITISATION_ONLY = {"opportunity.score", "opportunity.unscore", "prioritisation.settings"}


def test_every_logged_op_kind_has_a_js_reducer():
    result = subprocess.run(
        [_node(), str(ROOT / "tests" / "js" / "reducer_kinds.mjs")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    js = set(json.loads(result.stdout))
    assert set(OPS) <= set(REDUCERS), "every op the server logs has a Python reducer"
    missing = sorted(set(REDUCERS) - js)
    assert not missing, f"op kinds with no JS reducer in static/js/ops/: {missing}"


def _run(kind):
    """A workshop of `kind` through every phase, every op tried in each; the log and snapshots."""
    ensure_builtin_templates()
    user = get_user_model().objects.create_user("maya", password="x" * 12)
    team = Team.objects.create(name="Bikes")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    template = Template.objects.get(team__isnull=True, slug=kind)
    # An earlier workshop of the team left an open action: this one starts with its review (review.mark).
    earlier = create_workshop(user, team, "Last time", template)
    earlier_board = earlier.boards.get()
    host = earlier.participants.get(user=user)
    found = apply_op_request(earlier_board.id, host.id, "opportunity.add", {"title": "Call back"}).event
    opportunity_id = found["data"]["opportunity"]["id"]
    apply_op_request(
        earlier_board.id,
        host.id,
        "action.add",
        {"opportunity": opportunity_id, "owner": {"participant": host.id}, "due": "2026-01-31"},
    )
    workshop = create_workshop(user, team, "Matrix", template)
    board = workshop.boards.get()
    maya = workshop.participants.get(user=user)
    ana, ben, sam = (join_workshop(workshop.join_code, n) for n in ("Ana", "Ben", "Sam"))
    journey = kind == "journey-map"
    snapshots, applied = {}, set()

    def do(actor, op_kind, **data):
        try:
            event = apply_op_request(board.id, actor.id, op_kind, data).event
        except OpError:
            return None
        snapshots[event["seq"]] = board_snapshot(board.id)
        applied.add(op_kind)
        return event["data"]

    def places():
        snap = board_snapshot(board.id)
        if journey:
            lanes = [lane["key"] for lane in snap["lanes"] if lane["kind"] == "notes"]
            return [{"stage": s["key"], "lane": lane} for s in snap["stages"][:2] for lane in lanes[:2]]
        return [{"section": s["key"]} for s in snap["sections"][:3]]

    def note_ids(who=None):
        return [
            n["id"] for n in board_snapshot(board.id)["notes"] if who is None or n["author"]["id"] == who.id
        ]

    do(maya, "note.add", **places()[0], text="warm-up")
    do(maya, "workshop.settings", moderation=True)
    before = board_snapshot(board.id)
    persona = before["personas"][0]["id"]
    for step, phase in enumerate(PHASES):
        do(maya, "phase.set", phase=phase)
        p = places()
        a = do(ana, "note.add", **p[step % len(p)], text=f"{phase} a", color="pink")
        b = do(ben, "note.add", **p[(step + 1) % len(p)], text=f"{phase} b")
        c = do(sam, "note.add", **p[(step + 2) % len(p)], text=f"{phase} c")
        if a:
            do(ana, "note.update", id=a["id"], text=f"{phase} a!")
            do(ana, "note.move", id=a["id"], **p[(step + 3) % len(p)], index=0)
        if b and c:
            do(maya, "note.hide", id=b["id"], hidden=True)
            do(maya, "note.hide", id=b["id"], hidden=False)
            do(maya, "note.merge", id=c["id"], into=b["id"])
        if phase == "reveal":
            hidden = note_ids(ben)
            if hidden:
                do(maya, "note.hide", id=hidden[-1], hidden=True)
                do(maya, "note.hide", id=hidden[-1], hidden=False)
        do(maya, "persona.update", id=persona, name=f"Sam {phase}")
        ids = note_ids()
        cluster = (
            do(ana, "cluster.create", note_ids=ids[:2], title=f"{phase} group") if len(ids) > 2 else None
        )
        if cluster:
            do(ben, "cluster.rename", id=cluster["id"], title="renamed")
            do(sam, "cluster.add_note", id=cluster["id"], note_id=ids[2])
            do(ana, "cluster.remove_note", note_id=ids[2])
            if step % 2:
                do(maya, "cluster.delete", id=cluster["id"])
        if ids:
            do(ana, "vote.add", note_id=ids[0])
            do(ben, "vote.add", note_id=ids[0])
            do(ana, "vote.remove", note_id=ids[0])
        if phase == "vote":
            do(maya, "votes.reset")
            do(sam, "vote.add", note_id=ids[-1])
            do(maya, "votes.close")
        do(maya, "timer.start", seconds=300)
        do(maya, "timer.pause")
        do(maya, "timer.resume")
        do(maya, "timer.extend", seconds=60)
        do(maya, "timer.stop")
        do(maya, "board.lock", locked=True)
        do(ana, "note.add", **p[0], text="refused while locked")
        do(maya, "board.lock", locked=False)
        do(maya, "workshop.joining", open=step % 2 == 0)
        do(maya, "workshop.settings", anonymous=step in (1, 2), votes_hidden=step == 4)
        if journey:
            stage = do(maya, "stage.add", title=f"Stage {phase}", index=1)
            lane = do(maya, "lane.add", title=f"Lane {phase}", index=0)
            if stage:
                do(maya, "stage.rename", stage=stage["stage"], title=f"{phase}!")
                do(maya, "stage.move", stage=stage["stage"], index=0)
                for who, score, curve in ((ana, -2, "as-is"), (ben, 1, "as-is"), (sam, 3, "to-be")):
                    do(who, "emotion.set", stage=stage["stage"], persona=persona, curve=curve, score=score)
            if lane:
                do(maya, "lane.rename", lane=lane["lane"], title=f"{phase}!")
                do(maya, "lane.move", lane=lane["lane"], index=2)
                do(
                    ana,
                    "note.add",
                    stage=board_snapshot(board.id)["stages"][0]["key"],
                    lane=lane["lane"],
                    text="x",
                )
            other = do(maya, "persona.add", name=f"Ana {phase}")
            if other:
                do(ana, "emotion.set", stage="buy", persona=other["id"], score=-1)
            do(maya, "journey.settings", respondent_floor=1 + step % 3)
            do(maya, "journey.settings", scores_visible_before_own=step % 2 == 1)
            if stage and step % 2:
                do(maya, "stage.delete", stage=stage["stage"])
            if lane and step % 2:
                do(maya, "lane.delete", lane=lane["lane"])
            if other and step % 2:
                do(maya, "persona.remove", id=other["id"])
        # The decisions app's ops: opportunities and actions are workshop-wide (every board logs them).
        opportunity = do(ana, "opportunity.add", title=f"{phase} idea", notes=ids[:1])
        if opportunity:
            oid = opportunity["opportunity"]["id"]
            do(ben, "opportunity.update", id=oid, title=f"{phase} idea!")
            if len(ids) > 1:
                do(sam, "opportunity.link", id=oid, note=ids[1])
                do(sam, "opportunity.unlink", id=oid, note=ids[1])
            action = do(maya, "action.add", opportunity=oid, owner={"participant": ana.id}, due="2026-12-24")
            if action:
                do(ana, "action.update", id=action["action"]["id"], status="done")
                if step % 2:
                    do(maya, "action.delete", id=action["action"]["id"])
            if step % 2:
                do(maya, "opportunity.delete", id=oid)
        review = board_snapshot(board.id).get("action_review") or []
        if review:
            do(maya, "review.mark", id=review[0]["id"], outcome=["done", "carried", None][step % 3])
        if ids and step == 5:
            do(ben, "note.delete", id=note_ids(ben)[0]) if note_ids(ben) else None
    # The lifecycle: closed (only reopening and erasing are taken then), reopened, one guest's data erased.
    do(maya, "workshop.close")
    do(ana, "note.add", **places()[0], text="refused while closed")
    do(sam, "participant.erase")
    do(maya, "workshop.reopen")
    do(maya, "participant.role", id=sam.id, role="observer")
    do(maya, "participant.role", id=ana.id, role="facilitator")
    do(maya, "participant.remove", id=ben.id)
    log = {"before": before, "events": ops_after(board.id, before["seq"]), "after": board_snapshot(board.id)}
    return log, snapshots, {"maya": maya, "ana": ana, "ben": ben, "sam": sam}, applied


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_op_kind_in_every_phase_replays_the_same_in_python_and_js(tmp_path, kind):
    log, snapshots, people, applied = _run(kind)
    log = json.loads(json.dumps(log))
    state = log["before"]
    for event in log["events"]:
        state = apply_op(state, event)
    assert state == log["after"]
    assert _replay_in_node(tmp_path, log) == log["after"]
    for who, participant in people.items():
        received, expected = _as_received(participant, log, snapshots)
        received, expected = json.loads(json.dumps(received)), json.loads(json.dumps(expected))
        assert _replay_in_node(tmp_path, received) == expected, f"{kind} as {who} receives it"
    journey_only = {k for k in OPS if k.split(".")[0] in ("stage", "lane", "emotion", "journey")} | {
        "persona.add",
        "persona.remove",
    }
    expected_kinds = set(OPS) - (set() if kind == "journey-map" else journey_only) - PRIORITISATION_ONLY
    assert expected_kinds <= applied, f"never applied on {kind}: {sorted(expected_kinds - applied)}"
