"""The worker's side of exports: building a PDF, and the cleanup of cached files (a scheduled job).

django-tasks has no retries of its own, so `build_pdf` keeps count on its
PdfBuild row: an attempt that raises is enqueued again
(after PDF_RETRY_DELAY_SECONDS, then twice as long each time)
until PDF_BUILD_ATTEMPTS, then the row says it failed and why, which the
waiting page and the status endpoint show. The exception is raised again
each time, so the task row (django_tasks_db) records it as failed too.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from background.models import PdfBuild
from boards.exports import cache
from boards.visibility import Viewer

logger = logging.getLogger(__name__)

# While another build of the same workshop runs, a build waits this long before looking again.
WAIT_FOR_OTHER_BUILD = timedelta(seconds=2)


@task()
def build_pdf(build_id: str) -> str:
    """Builds one PdfBuild's file; one build at a time per workshop."""
    build = cache.claim(build_id)
    if build is None:
        current = PdfBuild.objects.filter(id=build_id).first()
        if current is not None and current.status == PdfBuild.Status.QUEUED:
            # Another build of this workshop is running: look again shortly.
            build_pdf.using(run_after=timezone.now() + WAIT_FOR_OTHER_BUILD).enqueue(build_id)
            return "waiting"
        return "nothing to do"  # done, deleted, or taken by another task
    try:
        content = cache.render_pdf(
            build.workshop,
            Viewer(**build.reader),
            progress=lambda percent, step: cache.report_progress(build.id, percent, step),
        )
        cache.store_pdf(build.workshop, build.version, build.reader_key, content)
    except Exception as exc:
        _failed(build, exc)
        raise
    PdfBuild.objects.filter(id=build.id).update(
        status=PdfBuild.Status.READY,
        progress=100,
        step=f"Ready ({len(content) // 1024:,} KiB)",
        finished_at=timezone.now(),
    )
    return "ready"


def _failed(build: PdfBuild, exc: Exception) -> None:
    logger.exception("PDF of workshop %s failed (attempt %s)", build.workshop_id, build.attempts)
    reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    if build.attempts < settings.PDF_BUILD_ATTEMPTS:
        PdfBuild.objects.filter(id=build.id).update(
            status=PdfBuild.Status.QUEUED,
            step=f"Trying again after an error (attempt {build.attempts + 1} of {settings.PDF_BUILD_ATTEMPTS})",
            error=reason,
        )
        delay = timedelta(seconds=settings.PDF_RETRY_DELAY_SECONDS * 2 ** (build.attempts - 1))
        build_pdf.using(run_after=timezone.now() + delay).enqueue(str(build.id))
        return
    PdfBuild.objects.filter(id=build.id).update(
        status=PdfBuild.Status.FAILED,
        step=f"Failed after {build.attempts} attempts",
        error=reason,
        finished_at=timezone.now(),
    )


@task()
def cleanup_exports() -> dict:
    """Scheduled (background/schedule.py): removes cached PDFs nobody will be served again."""
    return cache.cleanup_cached_exports()
