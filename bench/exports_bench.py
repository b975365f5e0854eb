"""Times the exports of a 2,000-note workshop: Markdown (target <= 100 ms) and PDF (<= 3 s).

The workshop is built through boards.ops.apply_op_request, one op per note, as
a live workshop would be, in a throw-away SQLite database. Each format is timed
end to end (read the snapshots, summarise, render: export_workshop) and as the
pure exporter alone (from a ready summary); the median of several runs is printed.

    python bench/exports_bench.py [--notes 2000] [--runs 7] [--pdf-out FILE]
    python bench/exports_bench.py --background [--notes 2000] [--runs 7]

With --background it times the PDF as pages and the API get it: the request
that queues the build (answered 202), the build by a real `manage.py db_worker`
process until the file is ready, and the cached second download, through the
REST endpoint (Django's test client) and through boards.exports.cache.request_pdf.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


SECTIONS = ["says", "thinks", "does", "feels"]
WORDS = [
    "bike",
    "repair",
    "estimate",
    "monday",
    "commute",
    "battery",
    "shop",
    "wait",
    "price",
    "trust",
    "mechanic",
    "brakes",
    "parts",
    "phone",
    "update",
    "pickup",
    "weekend",
    "forum",
    "warranty",
    "second-hand",
    "charger",
]


def build(notes: int):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Role, Team
    from boards.builtin_templates import ensure_builtin_templates
    from boards.models import Template
    from boards.ops import apply_op_request
    from boards.workshops import create_workshop, join_workshop

    ensure_builtin_templates()
    user = get_user_model().objects.create_user("bench", password="x", first_name="Bench")
    team = Team.objects.create(name="Bench team")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    workshop = create_workshop(user, team, "Bench workshop", Template.objects.get(slug="empathy-map"))
    board = workshop.boards.get()
    people = [workshop.participants.get()] + [
        join_workshop(workshop.join_code, f"Guest {i}") for i in range(14)
    ]
    apply_op_request(board.id, people[0].id, "persona.update", {"name": "Sam", "details": {"age": "34"}})
    for i in range(notes):
        length = 4 + (i * 7) % 30
        text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(length)).capitalize() + f" ({i})"
        apply_op_request(
            board.id, people[i % len(people)].id, "note.add", {"section": SECTIONS[i % 4], "text": text}
        )
    return workshop


def bare_paragraphs_pdf(summary: dict) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    notes = [n for board in summary["boards"] for n in board["notes"]]
    return HTML(string="".join(f"<p>{escape(n['text'])}</p>" for n in notes)).write_pdf()


def timed(fn, runs: int) -> tuple[float, float, list[float]]:
    """Median wall time, median CPU time of this process, and every wall time."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu), times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf-out", help="Also write the PDF here, to look at it.")
    parser.add_argument("--background", action="store_true", help="Time the background build and the cache.")
    args = parser.parse_args()
    if args.background:
        return background(args)

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from boards.exports import export_workshop, summary_of
        from boards.exports.markdown import to_markdown
        from boards.exports.pdf import to_pdf

        start = time.perf_counter()
        workshop = build(args.notes)
        print(f"built {args.notes} notes through apply_op_request in {time.perf_counter() - start:.1f} s")
        summary, _ = summary_of(workshop)
        export_workshop(workshop, "pdf")  # warm up fonts and templates

        rows = [
            (
                "Markdown, end to end (export_workshop)",
                lambda: export_workshop(workshop, "md"),
                args.runs * 3,
            ),
            ("Markdown, exporter only (to_markdown)", lambda: to_markdown(summary), args.runs * 3),
            ("summary only (snapshots + workshop_summary)", lambda: summary_of(workshop), args.runs * 3),
            ("CSV, end to end", lambda: export_workshop(workshop, "csv"), args.runs),
            ("JSON with ops, end to end", lambda: export_workshop(workshop, "json", ops=True), args.runs),
            ("PDF, end to end (export_workshop)", lambda: export_workshop(workshop, "pdf"), args.runs),
            ("PDF, exporter only (to_pdf)", lambda: to_pdf(summary), args.runs),
            # What WeasyPrint needs for the same texts with no styling at all:
            # the floor any one-block-per-note layout starts from.
            ("WeasyPrint floor: 2,000 bare <p>", lambda: bare_paragraphs_pdf(summary), args.runs),
        ]
        print(f"load average before timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        for name, fn, runs in rows:
            median, cpu, times = timed(fn, runs)
            print(
                f"{name:46s} median {median * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU"
                f"  (wall min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, n={runs})"
            )
        print(f"load average after timing: {os.getloadavg()[0]:.1f}")
        pdf = export_workshop(workshop, "pdf").content
        from io import BytesIO

        from pypdf import PdfReader

        print(f"PDF: {len(pdf):,} bytes, {len(PdfReader(BytesIO(pdf)).pages)} pages")
        if args.pdf_out:
            Path(args.pdf_out).write_bytes(pdf)


def background(args):
    """The PDF through the queue: 202, the worker's build, then the cached file."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXPORTS_DIR"] = str(Path(tmp) / "exports")
        db_path = str(Path(tmp) / "bench.sqlite3")
        setup_django(db_path)
        from django.conf import settings
        from django.test import Client
        from rest_framework.authtoken.models import Token

        from background.models import PdfBuild
        from boards.exports import export_reader
        from boards.exports.cache import request_pdf

        settings.ALLOWED_HOSTS = ["testserver"]
        workshop = build(args.notes)
        token = Token.objects.create(user=workshop.created_by).key
        client = Client(headers={"Authorization": f"Token {token}"})
        url = f"/api/v1/workshops/{workshop.id}/export/?format=pdf"
        print(f"{args.notes} notes; inline limit {settings.PDF_INLINE_MAX_NOTES} notes")
        client.get(url.replace("pdf", "md"))  # warm up: imports and URLconf, as in a running server
        print(f"load average before timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

        start = time.perf_counter()
        response = client.get(url)
        queued = time.perf_counter() - start
        assert response.status_code == 202, response.status_code
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--interval",
                "0.1",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            started = time.perf_counter()
            while PdfBuild.objects.get().status not in ("ready", "failed"):
                time.sleep(0.05)
            built = time.perf_counter() - started
            running = PdfBuild.objects.get()
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        assert running.status == "ready", running.error
        print(f"{'request that queues the build (202)':46s} {queued * 1000:8.1f} ms")
        print(f"{'worker start + build until the file is ready':46s} {built * 1000:8.1f} ms")
        median, _cpu, times = timed(lambda: client.get(url), args.runs * 3)
        print(
            f"{'cached second download, REST (200)':46s} median {median * 1000:8.1f} ms (max {max(times) * 1000:.1f})"
        )
        reader = export_reader(workshop)
        median, _cpu, times = timed(lambda: request_pdf(workshop, reader), args.runs * 3)
        print(
            f"{'cached second download, request_pdf()':46s} median {median * 1000:8.1f} ms (max {max(times) * 1000:.1f})"
        )
        print(f"load average after timing: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
