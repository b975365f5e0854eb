"""The purge as a background task, for a deployment that runs django-tasks' worker.

Without django-tasks installed this module defines nothing; cron can run
`manage.py purge_workshops` instead. Schedule it daily: the job is idempotent.
"""

try:
    from django_tasks import task
except ImportError:  # pragma: no cover - the worker is optional
    task = None

if task is not None:

    @task()
    def purge_workshops() -> list[dict]:
        from lifecycle.services import purge_due_workshops

        return purge_due_workshops()
