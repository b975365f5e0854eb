"""Writes a workshop's summary or data to a file: the same files the summary page offers."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from boards.exports import FORMATS, export_workshop
from boards.models import Workshop


class Command(BaseCommand):
    help = "Exports a workshop as Markdown, CSV, JSON or PDF, as an outside reader sees it."

    def add_arguments(self, parser):
        parser.add_argument("workshop_id", type=int)
        parser.add_argument("--format", "-f", choices=list(FORMATS), default="md")
        parser.add_argument(
            "-o", "--output", help="File to write; '-' for stdout. Default: the export's own name."
        )
        parser.add_argument("--ops", action="store_true", help="With --format json, add the op log.")

    def handle(self, *args, workshop_id, format, output, ops, **options):
        workshop = Workshop.objects.select_related("team").filter(id=workshop_id).first()
        if workshop is None:
            raise CommandError(f"No workshop {workshop_id}.")
        export = export_workshop(workshop, format, ops=ops)
        if output == "-":
            sys.stdout.buffer.write(export.content)
            return
        path = Path(output or export.filename)
        path.write_bytes(export.content)
        self.stderr.write(f"Wrote {path} ({len(export.content):,} bytes).")
