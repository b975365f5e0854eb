"""Times a participant's erasure and a workshop's deletion on a 2,000-note board.

Erasure holds the board's row lock (it is one op through the door), so every
other op on that board waits for it: this is how long. The board is built
through boards.ops.apply_op_request (a note.add and a note.update per note, 20
people), in a throw-away SQLite database; then three people erase in turn and
the workshop is deleted.

    python bench/lifecycle_bench.py [--notes 2000] [--people 20]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args.notes, args.people)


def run(n_notes: int, n_people: int) -> None:
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Role, Team
    from boards.builtin_templates import ensure_builtin_templates
    from boards.models import Op, Template
    from boards.ops import apply_op_request
    from boards.workshops import create_workshop, join_workshop
    from lifecycle import services

    ensure_builtin_templates()
    user = get_user_model().objects.create_user("maya", password="x" * 12)
    team = Team.objects.create(name="Bench")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    workshop = create_workshop(
        user, team, "Bench", Template.objects.get(team__isnull=True, slug="empathy-map")
    )
    board = workshop.boards.get()
    people = [join_workshop(workshop.join_code, f"P{i}") for i in range(n_people)]
    sections = ["says", "thinks", "does", "feels"]
    for i in range(n_notes):
        who = people[i % n_people]
        added = apply_op_request(
            board.id, who.id, "note.add", {"section": sections[i % 4], "text": f"note {i}"}
        )
        apply_op_request(
            board.id, who.id, "note.update", {"id": added.event["data"]["id"], "text": f"edited {i}"}
        )
    for who in people[:3]:
        notes, ops = board.notes.count(), Op.objects.filter(board=board).count()
        start = time.perf_counter()
        counts = services.erase(who)
        print(f"erase {counts['notes']} notes (board of {notes} notes, {ops} ops): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")  # fmt: skip
    notes, ops = board.notes.count(), Op.objects.filter(board=board).count()
    start = time.perf_counter()
    services.delete_workshop(workshop, user)
    print(f"delete the workshop ({notes} notes, {ops} ops): {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
