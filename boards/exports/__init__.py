"""Files a manager takes away from a workshop: Markdown, CSV, JSON and PDF.

Each format is one module holding a pure function of the summary or the
snapshots. `export_workshop()` is the one door to them: the summary page, the
share link, the REST API and `manage.py export_workshop` all call it, so a file
never depends on how it was asked for. Everything in it has passed through
boards.visibility, as the one who asks may see it (`reader_of(workshop, participant)`:
the caller's own per-reader view; a share link or the command reads as an observer).
"""

from dataclasses import dataclass

from django.db.models import Max, Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from boards.curve import curve_svg
from boards.errors import Invalid
from boards.models import Board, BoardKind, Op, Participant, ParticipantRole, Phase, Workshop
from boards.ops import ops_after
from boards.phases import ORDER
from boards.state import board_snapshot
from boards.summary import workshop_summary
from boards.visibility import Viewer, log_reader_at, op_for, reader_of, snapshot_for

FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
CURVE_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}

# Parts other apps add to every export (decisions/exports.py): SUMMARY_PARTS
# take (workshop, reader snapshots) and return keys merged into the summary;
# the Markdown and CSV parts render those keys (the page and PDF include a
# template, the JSON carries the keys). Registered at app start-up.
SUMMARY_PARTS: list = []  # fn(workshop, snapshots) -> dict
MARKDOWN_PARTS: list = []  # fn(summary) -> list of lines
CSV_PARTS: list = []  # fn(summary) -> list of rows, written after the notes


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str

    def response(self) -> HttpResponse:
        """The file as a download, under its own name."""
        return HttpResponse(
            self.content,
            content_type=self.content_type,
            headers={"Content-Disposition": content_disposition_header(True, self.filename)},
        )


def export_reader(workshop: Workshop, participant=None) -> Viewer:
    """Whose view of the boards a file, summary page or curve image holds, for whoever asks.

    The caller's own per-recipient view (`reader_of(workshop, participant)`);
    without a participant (a share link, the management command), someone
    reading after the fact as an observer. Pages and the API call this, never
    `reader_of` directly, so this is the one place that decides.
    """
    return reader_of(workshop, participant)


def reader_snapshots(workshop: Workshop, reader: Viewer | None = None) -> list[dict]:
    """Every board of the workshop as this reader (by default an outside observer) may read it."""
    reader = reader or reader_of(workshop)
    return [snapshot_for(reader, board_snapshot(board_id)) for board_id in board_ids(workshop)]


def board_ids(workshop: Workshop) -> list[int]:
    return list(workshop.boards.order_by("position", "id").values_list("id", flat=True))


def workshop_activity(workshop: Workshop) -> dict:
    """What the summary needs from outside the snapshots: who took part, when, which phases."""
    people = (
        Participant.objects.filter(workshop=workshop)
        .exclude(role=ParticipantRole.OBSERVER)
        .order_by("joined_at", "id")
        .values_list("display_name", "role")
    )
    ops = Op.objects.filter(board__workshop=workshop)
    span = ops.aggregate(first=Min("created_at"), last=Max("created_at"))
    # A phase.set is logged on every board of the workshop; stepping back and
    # forth runs a phase twice. A reader wants the phases that ran, in the
    # agenda's order (boards/phases.py), not the facilitator's detours.
    ran = set(ops.filter(kind="phase.set").values_list("data__phase", flat=True))
    phases = [phase for phase in ORDER if phase in ran and phase != Phase.OPEN]
    return {
        "participants": [{"name": name, "role": role} for name, role in people],
        "first_op_at": span["first"],
        "last_op_at": span["last"],
        "phases": phases,
    }


def summary_of(workshop: Workshop, reader: Viewer | None = None) -> tuple[dict, list[dict]]:
    """The workshop's summary and the snapshots it was made from, as this reader may see them."""
    snapshots = reader_snapshots(workshop, reader)
    summary = workshop_summary(workshop, snapshots, workshop_activity(workshop))
    for part in SUMMARY_PARTS:
        summary.update(part(workshop, snapshots))
    return summary, snapshots


def reader_ops(workshop: Workshop, snapshot: dict, reader: Viewer | None = None) -> list[dict]:
    """A board's op log up to its snapshot's seq, as this reader may see it."""
    reader = log_reader_at(reader or reader_of(workshop), snapshot)
    return [op_for(reader, event) for event in ops_after(snapshot["id"], 0, upto_seq=snapshot["seq"])]


def export_filename(workshop: Workshop, ext: str, part: str = "") -> str:
    """resonance-<slug of the title>-<the workshop's date>[-<part>].<ext>"""
    day = timezone.localdate(workshop.created_at).isoformat()
    return f"resonance-{slugify(workshop.title)[:60] or 'workshop'}-{day}{'-' + part if part else ''}.{ext}"


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Invalid(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")


def export_workshop(
    workshop: Workshop, fmt: str, ops: bool = False, reader: Viewer | None = None
) -> ExportFile:
    """The workshop as a file in one of FORMATS, as `reader` may see it, made now.

    Pages and the API ask for PDFs through boards.exports.cache.request_pdf()
    instead, which serves a cached file or builds a big one in the background;
    this function always builds (the management command, and the builder itself).
    Callers pass the asking person's reader (`export_reader`); without one the
    file is what an outside observer may read. Raises Invalid for an unknown format.
    """
    from boards.exports import csv, json, markdown, pdf

    check_format(fmt)
    summary, snapshots = summary_of(workshop, reader)
    if fmt == "md":
        content = markdown.to_markdown(summary).encode()
    elif fmt == "csv":
        content = csv.to_csv(summary)
    elif fmt == "json":
        log = {str(s["id"]): reader_ops(workshop, s, reader) for s in snapshots} if ops else None
        content = json.to_json(summary, snapshots, log)
    else:
        content = pdf.to_pdf(summary)
    return ExportFile(content, FORMATS[fmt], export_filename(workshop, fmt))


def curve_file(board: Board, ext: str, reader: Viewer | None = None) -> ExportFile | None:
    """A journey board's emotion curves as SVG or PNG; None for any other board or extension.

    The SVG is boards.curve.curve_svg's, the drawing of the board page and of
    GET /api/v1/boards/<id>/curve.svg, with the scores this reader may see.
    """
    from boards.exports.curve import svg_to_png

    if ext not in CURVE_FORMATS or board.kind != BoardKind.JOURNEY_MAP:
        return None
    svg = curve_svg(snapshot_for(reader or reader_of(board.workshop), board_snapshot(board.id)))
    content = svg.encode() if ext == "svg" else svg_to_png(svg)
    return ExportFile(content, CURVE_FORMATS[ext], export_filename(board.workshop, ext, f"curve-{board.id}"))
