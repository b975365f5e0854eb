"""The retention purge as a background task, scheduled by background/schedule.py.

`manage.py purge_workshops` does the same from cron or by hand. The job is
idempotent: it deletes only what is due when it runs.
"""

from django_tasks import task


@task()
def purge_workshops() -> list[dict]:
    from lifecycle.services import purge_due_workshops

    return purge_due_workshops()
