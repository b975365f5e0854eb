"""Deletes the closed workshops whose retention has run out, and says which."""

from django.core.management.base import BaseCommand

from lifecycle.services import due_workshops, purge_due_workshops


class Command(BaseCommand):
    help = "Delete every closed workshop whose team's (or its own) retention has run out."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what is due.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = [{"id": w.id, "title": w.title, "team": w.team.name} for w in due_workshops()]
            for w in due:
                self.stdout.write(f"due: workshop {w['id']} “{w['title']}” of {w['team']}")
            self.stdout.write(f"{len(due)} workshop(s) due; nothing deleted (--dry-run).")
            return
        deleted = purge_due_workshops()
        for w in deleted:
            self.stdout.write(
                f"deleted: workshop {w['id']} “{w['title']}” of {w['team']} "
                f"(closed {w['closed_at']}, retention {w['days']} days)"
            )
        self.stdout.write(f"{len(deleted)} workshop(s) deleted.")
