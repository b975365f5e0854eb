"""The browser reducer (static/js/board-state.js) agrees with the Python one.

A board is built through boards/ops (the only write path); the snapshot before,
the logged events and the snapshot after are handed to Node, which replays them
with the JS reducer. Both replays must equal the database's snapshot (G5 in the
browser too). `UPDATE_JS_FIXTURES=1` also writes the log to
tests/js/fixtures/python-replay.json, which `node --test tests/js/` replays.
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
from boards.workshops import create_workshop, join_workshop

ROOT = Path(__file__).resolve().parents[2]
REPLAY_SCRIPT = ROOT / "tests" / "js" / "replay.mjs"
FIXTURE = ROOT / "tests" / "js" / "fixtures" / "python-replay.json"


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
