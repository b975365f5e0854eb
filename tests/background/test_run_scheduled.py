"""background/schedule.py and `manage.py run_scheduled`: due jobs go to the worker once per period."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background.models import ScheduledRun
from background.schedule import JOBS, Job, enqueue_due
from boards.exports import cache
from tests.exports.conftest import run_worker_here

CLEANUP = "boards.exports.tasks.cleanup_exports"


def queued(path=CLEANUP):
    return DBTaskResult.objects.filter(task_path=path).count()


def test_the_cache_cleanup_is_the_first_registered_job():
    assert JOBS[0] == Job("cleanup_exports", CLEANUP, every=timedelta(hours=1))


def test_the_retention_purge_is_scheduled():
    assert Job("purge_workshops", "lifecycle.tasks.purge_workshops", every=timedelta(hours=1)) in JOBS


def test_a_due_job_is_enqueued_once_per_period(db):
    now = timezone.now()
    assert enqueue_due(now) == ["cleanup_exports", "purge_workshops"]
    assert enqueue_due(now + timedelta(minutes=59)) == []
    assert queued() == 1
    assert enqueue_due(now + timedelta(hours=1)) == ["cleanup_exports", "purge_workshops"]
    assert queued() == 2
    assert ScheduledRun.objects.get(name="cleanup_exports").last_enqueued_at == now + timedelta(hours=1)


def test_a_job_is_one_line(db):
    daily = Job("daily_cleanup", CLEANUP, every=timedelta(days=1))
    assert enqueue_due(jobs=[daily]) == ["daily_cleanup"]
    assert enqueue_due(jobs=[daily]) == []


def test_two_schedulers_at_once_enqueue_a_job_once(db):
    """The conditional update: the second scheduler finds the job no longer due."""
    now = timezone.now()
    assert enqueue_due(now) == ["cleanup_exports", "purge_workshops"]
    assert enqueue_due(now) == []
    assert queued() == 1


@pytest.mark.django_db(transaction=True)
def test_run_scheduled_hands_the_cleanup_to_the_worker_which_runs_it(capsys):
    orphan = cache.exports_dir(424_242) / "x-y.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF of a deleted workshop")

    call_command("run_scheduled")
    assert "cleanup_exports" in capsys.readouterr().out
    run_worker_here()

    assert not orphan.exists()
    row = DBTaskResult.objects.get(task_path=CLEANUP)
    assert row.status == "SUCCESSFUL" and row.return_value == {"files": 1, "builds": 0}


def test_run_scheduled_refuses_a_loop_of_no_time(db):
    with pytest.raises(CommandError, match="--loop"):
        call_command("run_scheduled", "--loop", "0")
