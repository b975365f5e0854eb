"""The scheduled jobs: which task goes to the worker how often.

Adding a job is one line in JOBS: a name, the dotted path of a django-tasks
`@task()` function that takes no arguments, and how often it is due.
`manage.py run_scheduled` (run by a systemd timer, cron, or `make run`)
enqueues every job that is due; the worker (`manage.py db_worker`) runs it.
Jobs are named by path, so this module imports no app's code.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from background.models import ScheduledRun


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    every: timedelta


JOBS = [
    Job("cleanup_exports", "boards.exports.tasks.cleanup_exports", every=timedelta(hours=1)),
    # Retention (docs/data-rights.md): idempotent, so hourly is only how late a due workshop may go.
    Job("purge_workshops", "lifecycle.tasks.purge_workshops", every=timedelta(hours=1)),
]

NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def enqueue_due(now=None, jobs=None) -> list[str]:
    """Hands every due job to the worker once; returns the names enqueued.

    Several schedulers may run at once (one per machine, or a timer firing
    while a loop runs): the conditional UPDATE lets exactly one of them move
    `last_enqueued_at` forward, and only that one enqueues.
    """
    now = now or timezone.now()
    enqueued = []
    for job in JOBS if jobs is None else jobs:
        try:
            with transaction.atomic():
                ScheduledRun.objects.get_or_create(name=job.name, defaults={"last_enqueued_at": NEVER})
        except IntegrityError:
            pass  # another scheduler made the row first
        won = ScheduledRun.objects.filter(name=job.name, last_enqueued_at__lte=now - job.every).update(
            last_enqueued_at=now
        )
        if won:
            import_string(job.task).enqueue()
            enqueued.append(job.name)
    return enqueued
