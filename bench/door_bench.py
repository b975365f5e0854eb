"""CPU and wall time per op of the op door alone: `note.add` N times in one process.

    DATABASE_URL=sqlite:////tmp/door.sqlite3 python bench/door_bench.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<a scratch database> python bench/door_bench.py

Migrates the database it is given (use a scratch one), stubs the broadcast out,
and times `apply_op_request` one op per transaction, then `apply_op_batch` in
batches of 10 (group commit, boards/batching.py).
"""

import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import Membership, Team  # noqa: E402
from boards import broadcast  # noqa: E402
from boards.builtin_templates import ensure_builtin_templates  # noqa: E402
from boards.models import Template  # noqa: E402
from boards.ops import apply_op_request  # noqa: E402
from boards.ops.core import apply_op_batch  # noqa: E402
from boards.workshops import create_workshop, join_workshop  # noqa: E402

N = int(os.environ.get("DOOR_OPS", "400"))


def main():
    broadcast.publish = lambda board_id, event: None
    call_command("migrate", verbosity=0)
    ensure_builtin_templates()
    user = get_user_model().objects.create_user(f"door-{uuid.uuid4().hex[:6]}")
    team = Team.objects.create(name="door bench")
    Membership.objects.create(team=team, user=user, role="owner")
    workshop = create_workshop(
        user, team, "door", Template.objects.get(team__isnull=True, slug="empathy-map")
    )
    board, participant = workshop.boards.get(), join_workshop(workshop.join_code, "p")

    def request(i):
        return (board.id, participant.id, "note.add", {"section": "says", "text": f"t{i}"}, str(uuid.uuid4()))

    for mode in ("one per transaction", "batches of 10"):
        cpu, wall = time.process_time(), time.perf_counter()
        if mode == "one per transaction":
            for i in range(N):
                apply_op_request(*request(i))
        else:
            for i in range(N // 10):
                apply_op_batch([request(i * 10 + j) for j in range(10)])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"{mode}: CPU {1000 * cpu / N:.2f} ms/op, wall {1000 * wall / N:.2f} ms/op")


if __name__ == "__main__":
    main()
