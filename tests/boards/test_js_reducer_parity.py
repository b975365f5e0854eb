"""The browser reducer (static/js/board-state.js) agrees with the Python one.

A board is built through boards/ops (the only write path); the snapshot before,
the logged events and the snapshot after are handed to Node, which replays them
with the JS reducer. Both replays must equal the database's snapshot (G5 in the
browser too). `UPDATE_JS_FIXTURES=1` also writes the logs to
tests/js/fixtures/, which `node --test tests/js/` replays.

A facilitated workshop (docs/workshop-scenario.md: private writing, reveal, moderation,
grouping, dot votes, the timer, people) is checked twice: as the log holds it,
and as each participant's connection receives it (boards.visibility: redacted
placeholders, anonymised ops and the fresh snapshots sent when what they may
see changes), which must end equal to the snapshot they would fetch.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.ops import apply_op_request, ops_after
from boards.state import apply_op, board_snapshot
from boards.visibility import follow, needs_snapshot, op_for, snapshot_for, viewer_of
from boards.workshops import create_workshop, join_workshop

ROOT = Path(__file__).resolve().parents[2]
REPLAY_SCRIPT = ROOT / "tests" / "js" / "replay.mjs"
FIXTURE = ROOT / "tests" / "js" / "fixtures" / "python-replay.json"
FACILITATED_FIXTURE = ROOT / "tests" / "js" / "fixtures" / "python-replay-facilitated.json"


def _node() -> str:
    node = shutil.which("node") or ("/usr/bin/node" if Path("/usr/bin/node").exists() else None)
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set and node is missing", pytrace=False)
        pytest.skip("node is not installed")
    return node


def _board_with_history(template_slug):
    ensure_builtin_templates()
    user = get_user_model().objects.create_user("maya", password="x" * 12)
    team = Team.objects.create(name="Bikes")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    template = Template.objects.get(team__isnull=True, slug=template_slug)
    workshop = create_workshop(user, team, "First-time e-bike owner", template)
    board = workshop.boards.get()
    maya = workshop.participants.get(user=user)
    sam = join_workshop(workshop.join_code, "Sam")
    keys = list(board.sections.order_by("position").values_list("key", flat=True))
    first, second, third, fourth = keys[0], keys[1], keys[2], keys[3]

    def do(actor, kind, **data):
        return apply_op_request(board.id, actor.id, kind, data, client_op_id=None).event["data"]

    ids = [do(maya, "note.add", section=first, text=f"warm-up {i}")["id"] for i in range(2)]
    before = board_snapshot(board.id)

    a = do(maya, "note.add", section=third, text="Searches forums first", color="blue")["id"]
    b = do(sam, "note.add", section=first, text="How much will this cost?")["id"]
    c = do(sam, "note.add", section=second, text="")["id"]
    d = do(maya, "note.add", section=fourth, text='Anxious <b>not</b> bold & "quoted"', color="pink")["id"]
    do(sam, "note.update", id=c, text="Did I buy a lemon?")
    do(maya, "note.update", id=a, color="green")
    do(maya, "note.update", id=b, text="How much?", color="orange")
    do(maya, "note.move", id=ids[0], section=first, index=2)  # within, forwards
    do(sam, "note.move", id=b, section=first, index=0)  # within, backwards
    do(sam, "note.move", id=ids[1], section=third, index=0)  # to another section, at the top
    do(maya, "note.move", id=d, section=third, index=99)  # clamped to the end
    do(maya, "note.move", id=a, section=fourth, index=5)  # into a now-empty section
    do(sam, "note.delete", id=ids[0])
    e = do(sam, "note.add", section=first, text="Just needs it by Monday", color="purple")["id"]
    do(maya, "note.move", id=e, section=second, index=0)
    do(maya, "persona.update", name="Sam")
    do(maya, "persona.update", details={"age": "34", "quote": "I just need it to work by Monday."})
    do(sam, "note.delete", id=c)

    events = ops_after(board.id, before["seq"])
    return {"before": before, "events": events, "after": board_snapshot(board.id)}


def _facilitated_workshop():
    """docs/workshop-scenario.md's empathy-map part, op by op; returns the log and a snapshot after every op."""
    ensure_builtin_templates()
    user = get_user_model().objects.create_user("maya", password="x" * 12)
    team = Team.objects.create(name="Bikes")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    template = Template.objects.get(team__isnull=True, slug="empathy-map")
    workshop = create_workshop(user, team, "First-time e-bike owner", template)
    board = workshop.boards.get()
    maya = workshop.participants.get(user=user)
    ana, ben, sam = (join_workshop(workshop.join_code, name) for name in ("Ana", "Ben", "Sam"))
    says, thinks, does, feels = board.sections.order_by("position").values_list("key", flat=True)[:4]
    snapshots = {}

    def do(actor, kind, **data):
        event = apply_op_request(board.id, actor.id, kind, data, client_op_id=None).event
        snapshots[event["seq"]] = board_snapshot(board.id)
        return event["data"]

    warm_up = [do(maya, "note.add", section=says, text=f"warm-up {i}")["id"] for i in range(2)]
    do(maya, "workshop.settings", moderation=True)
    before = board_snapshot(board.id)

    # 10:00: anonymous on, the agenda starts; 10:03 silent writing with a timer.
    do(maya, "workshop.settings", anonymous=True)
    do(maya, "phase.set", phase="write")
    do(maya, "timer.start", seconds=480)
    a1 = do(ana, "note.add", section=says, text="How much will this cost?", color="pink")["id"]
    a2 = do(ana, "note.add", section=thinks, text="Did I buy a lemon?")["id"]
    b1 = do(ben, "note.add", section=says, text="Can I ride it meanwhile?", color="blue")["id"]
    b2 = do(ben, "note.add", section=feels, text="Anxious")["id"]
    s1 = do(sam, "note.add", section=says, text="I just need it by Monday", color="green")["id"]
    s2 = do(sam, "note.add", section=does, text="Searches forums first")["id"]
    do(ana, "note.update", id=a2, text="Did I buy a lemon??")
    do(ana, "note.move", id=a2, section=feels, index=0)
    do(ben, "note.move", id=warm_up[0], section=does, index=0)  # a public note in silent writing
    do(maya, "note.hide", id=b2, hidden=True)  # kept back by the moderator
    do(maya, "note.merge", id=s2, into=b1)  # Sam's note goes into Ben's
    s3 = do(sam, "note.add", section=thinks, text="Will they upsell me?")["id"]
    do(sam, "note.delete", id=s3)
    do(maya, "timer.pause")
    do(maya, "timer.resume")
    do(maya, "timer.extend", seconds=60)

    # 10:12 reveal; the hidden note comes back on its own.
    do(maya, "phase.set", phase="reveal")
    do(maya, "note.hide", id=b2, hidden=False)

    # 10:13 grouping.
    do(maya, "phase.set", phase="group")
    first = do(ana, "cluster.create", note_ids=[a1, b1])["id"]
    do(ben, "cluster.rename", id=first, title="Doesn't trust the estimate")
    do(sam, "cluster.add_note", id=first, note_id=s1)
    do(ana, "cluster.remove_note", note_id=s1)
    second = do(sam, "cluster.create", note_ids=[s1, a2], title="Needs the bike for work")["id"]
    do(ana, "cluster.add_note", id=second, note_id=b1)
    third = do(ben, "cluster.create", note_ids=[b2], title="Feelings")["id"]
    do(maya, "cluster.delete", id=third)
    do(ben, "note.move", id=a1, section=says, index=0)
    do(maya, "workshop.joining", open=False)
    do(maya, "board.lock", locked=True)
    do(maya, "board.lock", locked=False)

    # 10:25 voting, results hidden; the round is reset once, then closed.
    do(maya, "workshop.settings", votes_per_person=3, votes_per_note=2)
    do(maya, "phase.set", phase="vote")
    do(ana, "vote.add", note_id=a1)
    do(ana, "vote.add", note_id=a1)
    do(ben, "vote.add", note_id=s1)
    do(ana, "vote.remove", note_id=a1)
    do(maya, "votes.reset")
    do(ana, "vote.add", note_id=b1)
    do(ben, "vote.add", note_id=b1)
    do(ben, "vote.add", note_id=a2)
    do(sam, "vote.add", note_id=a1)
    do(maya, "votes.close")

    # Maya skips the discussion and steps back; people change.
    do(maya, "phase.set", phase="wrap-up")
    do(maya, "phase.set", phase="discuss")
    do(maya, "timer.start", seconds=1200)
    do(sam, "note.add", section=feels, text="Relieved when it works")
    do(ana, "note.delete", id=a2)  # its votes go with it
    do(maya, "participant.role", id=sam.id, role="observer")
    do(maya, "participant.role", id=ana.id, role="facilitator")
    do(maya, "participant.remove", id=ben.id)
    do(maya, "workshop.settings", anonymous=False)
    do(maya, "workshop.settings", votes_hidden=False)
    do(ana, "note.update", id=a1, text="How much will this cost, really?")
    do(maya, "timer.stop")
    do(maya, "phase.set", phase="write")  # back to writing: revealed notes stay public
    do(maya, "note.add", section=does, text="Calls the shop twice")
    do(maya, "phase.set", phase="wrap-up")

    events = ops_after(board.id, before["seq"])
    people = {"maya": maya, "ana": ana, "ben": ben, "sam": sam}
    return {"before": before, "events": events, "after": board_snapshot(board.id)}, snapshots, people


def _as_received(participant, log, snapshots):
    """What one connection receives from `before` on, and the state it must end in.

    Follows boards/consumers.py: each op through op_for with the viewer after it,
    a fresh snapshot when what the viewer may see changed, nothing after removal.
    """
    viewer = viewer_of(participant)
    # The settings at `before`, and the role the participant had then (a participant,
    # or Maya facilitating); the viewer follows the log from there like the consumer's.
    viewer = viewer.__class__(**{**viewer.__dict__, "facilitator": participant.user_id is not None})
    viewer = viewer.__class__(**{**viewer.__dict__, "observer": False})
    from boards.visibility import viewer_at

    viewer = viewer_at(viewer, log["before"])
    frames, seq = [], log["before"]["seq"]
    for event in log["events"]:
        after = follow(viewer, event)
        frames.append(op_for(after or viewer, event))
        seq = event["seq"]
        if after is None:
            break
        if needs_snapshot(viewer, after):
            frames.append({"type": "snapshot", "seq": seq, "board": snapshot_for(after, snapshots[seq])})
        viewer = after
    received = {"before": snapshot_for(viewer_at(viewer, log["before"]), log["before"]), "events": frames}
    return received, snapshot_for(viewer, snapshots[seq])


def _replay_in_node(tmp_path, log) -> dict:
    path = tmp_path / "log.json"
    path.write_text(json.dumps(log))
    result = subprocess.run(
        [_node(), str(REPLAY_SCRIPT), str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.django_db
@pytest.mark.parametrize("template_slug", ["empathy-map", "empathy-map-extended"])
def test_js_replay_equals_the_database(tmp_path, template_slug):
    log = _board_with_history(template_slug)
    # JSON round trip: what Node reads is what the wire carries.
    log = json.loads(json.dumps(log))

    python_state = log["before"]
    for event in log["events"]:
        python_state = apply_op(python_state, event)
    assert python_state == log["after"]

    assert _replay_in_node(tmp_path, log) == log["after"]

    if template_slug == "empathy-map" and os.environ.get("UPDATE_JS_FIXTURES"):
        FIXTURE.write_text(json.dumps(log, indent=1, ensure_ascii=False) + "\n")


@pytest.mark.django_db
def test_js_replay_of_a_facilitated_workshop_equals_the_database(tmp_path):
    log, _, _ = _facilitated_workshop()
    log = json.loads(json.dumps(log))
    kinds = {event["op"] for event in log["events"]}
    assert {"phase.set", "note.hide", "note.merge", "cluster.create", "votes.close", "timer.extend"} <= kinds

    python_state = log["before"]
    for event in log["events"]:
        python_state = apply_op(python_state, event)
    assert python_state == log["after"]

    assert _replay_in_node(tmp_path, log) == log["after"]
    if os.environ.get("UPDATE_JS_FIXTURES"):
        FACILITATED_FIXTURE.write_text(json.dumps(log, indent=1, ensure_ascii=False) + "\n")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["maya", "ana", "ben", "sam"])
def test_js_replay_of_what_each_participant_receives_equals_their_snapshot(tmp_path, who):
    log, snapshots, people = _facilitated_workshop()
    received, expected = _as_received(people[who], log, snapshots)
    received, expected = json.loads(json.dumps(received)), json.loads(json.dumps(expected))
    kinds = [frame.get("op") for frame in received["events"]]
    if who != "maya":
        assert "redacted" in kinds  # others' private notes and hidden votes
    assert any(frame.get("type") == "snapshot" for frame in received["events"])

    assert _replay_in_node(tmp_path, received) == expected


def test_node_reducer_suite_passes():
    """`node --test tests/js/` (the reducer's own tests and the fixture replay)."""
    result = subprocess.run(
        [_node(), "--test", str(ROOT / "tests" / "js")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
