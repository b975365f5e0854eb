"""Enqueues the scheduled jobs that are due (background/schedule.py); the worker runs them."""

import time

from django.core.management.base import BaseCommand, CommandError

from background.schedule import JOBS, enqueue_due


class Command(BaseCommand):
    help = (
        "Hands every due scheduled job to the task worker (db_worker). Once, or every N seconds with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS (development; production uses a timer).",
        )

    def handle(self, *args, loop, **options):
        if loop is not None and loop <= 0:
            raise CommandError("--loop needs a number of seconds above 0.")
        while True:
            names = enqueue_due()
            if options["verbosity"] > 1 or names:
                due = ", ".join(names) or "nothing due"
                self.stdout.write(f"run_scheduled: {due} (of {len(JOBS)} jobs)")
            if loop is None:
                return
            time.sleep(loop)
