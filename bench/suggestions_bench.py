"""Times local analysis on a 2,000-note board: suggested clusters (target <= 2 s) and sentiment hints.

The board is built through boards.ops.apply_op_request, one op per note, in a
throw-away SQLite database; the timed part is the facilitator's request as the
server answers it: POST /api/v1/boards/{id}/suggestions/clusters/ (snapshot,
per-recipient view, TF-IDF + agglomerative clustering, the signed suggestion)
and GET .../sentiment/. The median of several runs is printed.

    python bench/suggestions_bench.py [--notes 2000] [--runs 5]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Pains and phrases of the bike-repair workshop (WORKSHOP.md), mixed at random,
# so that notes share words the way a real board's do.
PHRASES = [
    "the estimate was wrong", "never know when the bike is ready", "waiting all week",
    "need the bike for work on monday", "nobody calls back", "price went up at pickup",
    "brakes still squeak", "battery drains fast", "booking online is confusing",
    "friendly mechanic", "parts take ages", "no loan bike", "the shop closes too early",
    "great repair", "forum says it is the charger", "warranty was refused",
]  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from accounts.models import Membership, Role, Team
    from boards.models import Template
    from boards.ops import apply_op_request
    from boards.workshops import create_workshop

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("maya", password="x" * 12)
    team = Team.objects.create(name="Bikes")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    workshop = create_workshop(
        user, team, "Bench", Template.objects.get(team__isnull=True, slug="empathy-map")
    )
    board = workshop.boards.get()
    host = workshop.participants.get(user=user)
    rng = random.Random(15)
    sections = ["says", "thinks", "does", "feels"]
    for i in range(args.notes):
        text = " and ".join(rng.sample(PHRASES, rng.randint(1, 2)))
        apply_op_request(board.id, host.id, "note.add", {"section": sections[i % 4], "text": text})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {host.token}")
    for name, call in (
        ("clusters", lambda: client.post(f"/api/v1/boards/{board.id}/suggestions/clusters/")),
        ("sentiment", lambda: client.get(f"/api/v1/boards/{board.id}/sentiment/")),
    ):
        times, groups = [], None
        for _ in range(args.runs):
            start = time.perf_counter()
            response = call()
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content
            groups = len(response.json().get("groups", response.json().get("notes", [])))
        print(
            f"{name}: {args.notes} notes, median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms over {args.runs} runs ({groups} groups/hints)"
        )


if __name__ == "__main__":
    main()
