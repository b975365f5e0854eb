"""PDFs made once per version of a workshop and view of a reader, kept on disk; big ones built by the worker.

A PDF of 2,000 notes takes 5 s on a quiet machine and 17-27 s on a busy one
(BENCHMARKS.md): too long for a request, and three at once slowed every board
on the server. So a PDF is asked for through `request_pdf()`, which

- serves the cached file if this version of the workshop was already built
  for this view (EXPORTS_DIR/<workshop id>/<version>-<reader key>.pdf);
- builds it inside the request if the workshop is small (PDF_INLINE_MAX_NOTES);
- otherwise returns a `PdfBuild` row the caller waits on: the worker
  (boards/exports/tasks.py) builds it, one build at a time per workshop, and a
  second request for the same file joins the same row.

The key has three parts: the workshop, its version (`workshop_version`: the
boards' seqs, and what the summary shows that is not an op: the title and the
people) and the reader's view (`reader_key`: a file made for one view is never
served to another).
"""

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from background.models import PdfBuild
from boards.exports import FORMATS, ExportFile, export_filename, summary_of
from boards.models import Note, Participant, Workshop
from boards.visibility import Viewer

# Bump when the PDF's layout changes, so files made by the old code are not served.
LAYOUT_VERSION = 1
# A build that has not reported progress for this long is taken as lost (its
# worker was killed) and handed out again.
STALE_AFTER = timedelta(minutes=5)
# Cached files and finished builds older than this go at the next cleanup.
KEEP_FOR = timedelta(days=7)


def reader_key(viewer: Viewer) -> str:
    """A short name for one view of the boards: equal viewers, equal files."""
    return hashlib.sha256(json.dumps(asdict(viewer), sort_keys=True).encode()).hexdigest()[:16]


def workshop_version(workshop: Workshop) -> tuple[str, int]:
    """(fingerprint, sum of the boards' seqs): the fingerprint changes whenever the PDF would.

    Every board change is an op and moves its board's seq; the title and the
    list of people are in the summary too but change without an op.
    """
    boards = list(workshop.boards.order_by("id").values_list("id", "seq"))
    people = list(
        Participant.objects.filter(workshop=workshop)
        .order_by("id")
        .values_list("id", "display_name", "role", "removed_at")
    )
    facts = [LAYOUT_VERSION, workshop.title, boards, people]
    fingerprint = hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()[:32]
    return fingerprint, sum(seq for _board, seq in boards)


def exports_dir(workshop_id: int) -> Path:
    return Path(settings.EXPORTS_DIR) / str(int(workshop_id))


def cached_path(workshop_id: int, version: str, key: str) -> Path:
    return exports_dir(workshop_id) / f"{version}-{key}.pdf"


def _pdf_file(workshop: Workshop, content: bytes) -> ExportFile:
    return ExportFile(content, FORMATS["pdf"], export_filename(workshop, "pdf"))


def _write(path: Path, content: bytes) -> None:
    """Writes the file whole or not at all: a reader never sees half a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _drop_older_versions(workshop_id: int, version: str) -> None:
    """A workshop that changed has no use for its older files (other views of this version stay)."""
    for path in exports_dir(workshop_id).glob("*.pdf"):
        if not path.name.startswith(f"{version}-"):
            path.unlink(missing_ok=True)


def render_pdf(workshop: Workshop, viewer: Viewer, progress=None) -> bytes:
    from boards.exports import pdf

    report = progress or (lambda percent, step: None)
    report(10, "Reading the boards")
    summary, _snapshots = summary_of(workshop, viewer)
    return pdf.to_pdf(summary, progress=report)


def store_pdf(workshop: Workshop, version: str, key: str, content: bytes) -> Path:
    path = cached_path(workshop.id, version, key)
    _write(path, content)
    _drop_older_versions(workshop.id, version)
    return path


def cached_pdf(workshop: Workshop, viewer: Viewer) -> ExportFile | None:
    version, _seq = workshop_version(workshop)
    path = cached_path(workshop.id, version, reader_key(viewer))
    try:
        return _pdf_file(workshop, path.read_bytes())
    except FileNotFoundError:
        return None


def note_count(workshop: Workshop) -> int:
    return Note.objects.filter(board__workshop=workshop).count()


def request_pdf(workshop: Workshop, viewer: Viewer) -> ExportFile | PdfBuild:
    """The PDF for this reader now (cached, or small enough to build here), or the build to wait for."""
    version, seq = workshop_version(workshop)
    key = reader_key(viewer)
    path = cached_path(workshop.id, version, key)
    if path.exists():
        return _pdf_file(workshop, path.read_bytes())
    if note_count(workshop) <= settings.PDF_INLINE_MAX_NOTES:
        content = render_pdf(workshop, viewer)
        store_pdf(workshop, version, key, content)
        return _pdf_file(workshop, content)
    return start_build(workshop, version, seq, key, viewer)


def start_build(workshop: Workshop, version: str, seq: int, key: str, viewer: Viewer) -> PdfBuild:
    """The build of this file: the one already queued or running, or a new one handed to the worker."""
    from boards.exports.tasks import build_pdf

    try:
        with transaction.atomic():
            build, created = PdfBuild.objects.get_or_create(
                workshop=workshop,
                version=version,
                reader_key=key,
                defaults={"seq": seq, "reader": asdict(viewer)},
            )
    except IntegrityError:
        # Two requests raced to create it: the other one won, join its build.
        build, created = PdfBuild.objects.get(workshop=workshop, version=version, reader_key=key), False
    if created:
        build_pdf.enqueue(str(build.id))
        return build
    return revive(build)


def revive(build: PdfBuild) -> PdfBuild:
    """Hands a build out again if nothing will finish it otherwise.

    A build that failed for good starts over when someone asks again; a ready
    one whose file was cleaned up is rebuilt; a running one whose worker died
    (no progress for STALE_AFTER) is queued again, which counts as an attempt.
    """
    from boards.exports.tasks import build_pdf

    now = timezone.now()
    Status = PdfBuild.Status
    restart = {"status": Status.QUEUED, "progress": 0, "error": "", "updated_at": now}
    rows = PdfBuild.objects.filter(id=build.id)
    if build.status == Status.FAILED:
        won = rows.filter(status=Status.FAILED).update(
            attempts=0, step="Waiting for the background worker", **restart
        )
    elif (
        build.status == Status.READY
        and not cached_path(build.workshop_id, build.version, build.reader_key).exists()
    ):
        won = rows.filter(status=Status.READY).update(step="Waiting for the background worker", **restart)
    elif build.status == Status.RUNNING and build.updated_at < now - STALE_AFTER:
        won = rows.filter(status=Status.RUNNING, updated_at=build.updated_at).update(
            step="Starting again: the worker stopped answering", **restart
        )
    else:
        return build
    if won:
        build_pdf.enqueue(str(build.id))
    build.refresh_from_db()
    return build


def build_for_reader(workshop: Workshop, viewer: Viewer, build_id) -> PdfBuild | None:
    """The build, if it is of this workshop and made for this reader's view; None otherwise.

    A build id is not a credential: someone who learns another reader's
    build id (say a facilitator's) still gets only builds of their own view.
    """
    build = PdfBuild.objects.filter(id=build_id, workshop=workshop, reader_key=reader_key(viewer)).first()
    return build_status(build) if build else None


def built_file(build: PdfBuild) -> ExportFile | None:
    """The file of a ready build; None while it is not (or its file was cleaned up)."""
    if build.status != PdfBuild.Status.READY:
        return None
    try:
        content = cached_path(build.workshop_id, build.version, build.reader_key).read_bytes()
    except FileNotFoundError:
        return None
    return _pdf_file(build.workshop, content)


def build_status(build: PdfBuild) -> PdfBuild:
    """The build as it stands, revived if its worker was lost (status pages call this on every poll)."""
    build.refresh_from_db()
    if build.status == PdfBuild.Status.RUNNING:
        return revive(build)
    return build


def pdf_status_of(build: PdfBuild, urls: dict) -> dict:
    """The build as the waiting page and the REST status endpoint show it."""
    status = {
        "id": str(build.id),
        "status": build.status,
        "progress": build.progress,
        "step": build.step,
        "attempts": build.attempts,
        "seq": build.seq,
    }
    if build.status == PdfBuild.Status.READY:
        status["file_url"] = urls["file"]
    if build.status == PdfBuild.Status.FAILED:
        status["error"] = (
            f"The PDF could not be made ({build.error}). Try again, or ask for Markdown instead."
        )
    elif build.error:
        status["last_error"] = build.error
    return status


def claim(build_id) -> PdfBuild | None:
    """Marks the build running if no other build of its workshop runs; None if it must wait.

    The race: two workers picking up two builds of one workshop at once. The
    workshop row is locked while checking, so only one of them sees "nobody is
    running" (SQLite's IMMEDIATE transactions serialise the same way).
    """
    now = timezone.now()
    with transaction.atomic():
        build = PdfBuild.objects.filter(id=build_id).first()
        if build is None or build.status != PdfBuild.Status.QUEUED:
            return None
        Workshop.objects.select_for_update().filter(id=build.workshop_id).first()
        busy = (
            PdfBuild.objects.filter(
                workshop_id=build.workshop_id,
                status=PdfBuild.Status.RUNNING,
                updated_at__gt=now - STALE_AFTER,
            )
            .exclude(id=build.id)
            .exists()
        )
        if busy:
            return None
        PdfBuild.objects.filter(id=build.id).update(
            status=PdfBuild.Status.RUNNING,
            attempts=F("attempts") + 1,
            progress=5,
            step="Starting",
            error="",
            updated_at=now,
        )
    build.refresh_from_db()
    return build


def report_progress(build_id, percent: int, step: str) -> None:
    PdfBuild.objects.filter(id=build_id, status=PdfBuild.Status.RUNNING).update(
        progress=percent, step=step[:120], updated_at=timezone.now()
    )


def delete_cached_exports(workshop_id: int) -> int:
    """Removes every cached file and build of a workshop (call it when the workshop is deleted).

    Returns how many files went. Safe to call for a workshop that has none,
    or that no longer exists.
    """
    folder = exports_dir(workshop_id)
    count = len(list(folder.glob("*.pdf"))) if folder.exists() else 0
    shutil.rmtree(folder, ignore_errors=True)
    PdfBuild.objects.filter(workshop_id=workshop_id).delete()
    return count


def cleanup_cached_exports(now=None) -> dict:
    """Removes cached files nobody will be served again, and finished builds past KEEP_FOR.

    A file goes when its workshop is gone, when the workshop has changed since
    (its version is no longer the current one), or when it is older than KEEP_FOR.
    """
    now = now or timezone.now()
    root = Path(settings.EXPORTS_DIR)
    removed = 0
    folders = [p for p in root.iterdir() if p.is_dir()] if root.exists() else []
    for folder in folders:
        workshop = Workshop.objects.filter(id=int(folder.name)).first() if folder.name.isdigit() else None
        if workshop is None:
            removed += delete_cached_exports(int(folder.name)) if folder.name.isdigit() else 0
            continue
        version, _seq = workshop_version(workshop)
        for path in folder.glob("*"):
            age = now.timestamp() - path.stat().st_mtime
            if path.suffix != ".pdf":
                # A file being written (see _write); only a crashed writer leaves one for an hour.
                stale = age > 3600
            else:
                stale = not path.name.startswith(f"{version}-") or age > KEEP_FOR.total_seconds()
            if stale:
                path.unlink(missing_ok=True)
                removed += 1
    finished = (PdfBuild.Status.READY, PdfBuild.Status.FAILED)
    builds, _ = PdfBuild.objects.filter(status__in=finished, updated_at__lt=now - KEEP_FOR).delete()
    return {"files": removed, "builds": builds}
