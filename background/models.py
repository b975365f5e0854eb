"""What background work leaves in the database, besides django-tasks-db's own task rows.

A task row (django_tasks_db.DBTaskResult) says whether one run of a function
ended; these rows say what the people waiting for it need to know: how far a
PDF is, which error stopped it, when a scheduled job last went out.
"""

import uuid

from django.db import models


class PdfBuild(models.Model):
    """One PDF of a workshop as one kind of reader sees it, at one version of its boards.

    Unique per (workshop, version, reader_key): a second request for the same
    file finds this row and waits for it instead of starting another build.
    The id is the public name of the build in status URLs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        READY = "ready"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey("boards.Workshop", on_delete=models.CASCADE, related_name="pdf_builds")
    # boards.exports.cache.workshop_version(): changes with every op and with
    # what the summary shows that is not an op (title, people).
    version = models.CharField(max_length=64)
    # The sum of the boards' seqs at that version, for people reading the row.
    seq = models.PositiveBigIntegerField(default=0)
    # Which view of the boards the file holds (boards.exports.cache.reader_key),
    # and the viewer itself so the worker builds exactly that view.
    reader_key = models.CharField(max_length=32)
    reader = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, default="Waiting for the background worker")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "version", "reader_key"], name="one_pdf_build_per_view"
            )
        ]
        indexes = [models.Index(fields=["workshop", "status"])]

    def __str__(self):
        return f"PDF of workshop {self.workshop_id} at seq {self.seq} ({self.status})"


class ScheduledRun(models.Model):
    """When a scheduled job (background/schedule.py) was last handed to the worker."""

    name = models.CharField(max_length=60, primary_key=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} last enqueued {self.last_enqueued_at:%Y-%m-%d %H:%M}"
