"""A cast and a real workshop for the export tests.

The cast (owner, facilitator Fred, member, viewer in `team`; `outsider` in
none) is tests/conftest.py's. The workshop is built through boards.ops.apply_op_request, so
every exporter reads exactly what a live workshop would hold.
"""

import pytest

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.ops import apply_op_request
from boards.workshops import create_workshop, join_workshop

# Texts a spreadsheet or a browser would run if they were not neutralised.
TRICKY_TEXTS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rleading CR",
    "<script>alert('x')</script> <b>bold</b>",
    "Ça roule 🚲✨ — naïve café",
    "Two\nlines",
]


@pytest.fixture
def other_team(outsider):
    team = Team.objects.create(name="Elsewhere")
    Membership.objects.create(team=team, user=outsider, role=Role.OWNER)
    return team


@pytest.fixture
def templates(db):
    ensure_builtin_templates()


def empathy_template():
    return Template.objects.get(team__isnull=True, slug="empathy-map")


@pytest.fixture
def empty_workshop(templates, team, facilitator):
    return create_workshop(facilitator, team, "Empty one", empathy_template())


@pytest.fixture
def workshop(templates, team, facilitator):
    """First-time e-bike owner: a persona, a guest, ordinary and tricky notes."""
    workshop = create_workshop(facilitator, team, "First-time e-bike owner", empathy_template())
    board = workshop.boards.get()
    fred = workshop.participants.get(user=facilitator)
    ana = join_workshop(workshop.join_code, "Ana")
    apply_op_request(
        board.id, fred.id, "persona.update", {"name": "Sam", "details": {"age": "34", "quote": "Monday!"}}
    )
    add(board, fred, "says", "I just need it to work by Monday.", "pink")
    add(board, ana, "thinks", "Did I buy a lemon?")
    for i, text in enumerate(TRICKY_TEXTS):
        add(board, ana if i % 2 else fred, ["says", "thinks", "does", "feels"][i % 4], text)
    return workshop


def add(board, participant, section, text, color="yellow"):
    return apply_op_request(
        board.id, participant.id, "note.add", {"section": section, "text": text, "color": color}
    )


def note_count(workshop) -> int:
    return sum(b.notes.count() for b in workshop.boards.all())


def journey_template():
    return Template.objects.get(team__isnull=True, slug="journey-map")


def op(board, participant, kind, **data):
    return apply_op_request(board.id, participant.id, kind, data).event["data"]


@pytest.fixture
def voted_workshop(workshop):
    """`workshop` taken through the agenda: groups with titles, then three votes each, closed.

    "Monday" and "bold" get 3 votes each, the lemon 1: "Doesn't trust the
    estimate" (3 + 1) ranks before "Needs the bike for work" (3), and "bold"
    before the lemon although it comes later on the board. The vote is still
    open, its results hidden (the default): see close_votes().
    """
    board = workshop.boards.get()
    fred = workshop.participants.get(display_name="Fred")
    ana = workshop.participants.get(display_name="Ana")
    bob = join_workshop(workshop.join_code, "Bob")
    notes = {n.text: n.id for n in board.notes.all()}
    monday, lemon, bold = (
        notes["I just need it to work by Monday."],
        notes["Did I buy a lemon?"],
        notes["<script>alert('x')</script> <b>bold</b>"],
    )
    for phase in ["write", "reveal", "group"]:
        op(board, fred, "phase.set", phase=phase)
    op(board, fred, "cluster.create", note_ids=[monday], title="Needs the bike for work")
    op(board, ana, "cluster.create", note_ids=[lemon, bold], title="Doesn't trust the estimate")
    op(board, fred, "phase.set", phase="vote")
    for voter, note_ids in [(fred, [monday, bold]), (ana, [monday, bold, lemon]), (bob, [monday, bold])]:
        for note_id in note_ids:
            op(board, voter, "vote.add", note_id=note_id)
    return workshop


def close_votes(workshop):
    board = workshop.boards.get()
    op(board, workshop.participants.get(display_name="Fred"), "votes.close")
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def journey_workshop(templates, team, facilitator):
    """The journey map of docs/workshop-scenario.md: personas Sam and Ana scored by Fred, Chloe and Bob.

    Stages Discover, Consider, Buy, Wait, Use; "Stay or leave" and "Get help"
    were deleted, parking their notes. Sam's curve is lowest at Wait (-2.3),
    Ana's at Buy (-2.0); nobody scored Consider. Chloe wrote every note.
    """
    workshop = create_workshop(facilitator, team, "E-bike repair journey", journey_template())
    board = workshop.boards.get()
    fred = workshop.participants.get(user=facilitator)
    chloe = join_workshop(workshop.join_code, "Chloe")
    bob = join_workshop(workshop.join_code, "Bob")
    sam_id = board.personas.get().id
    op(board, fred, "persona.update", id=sam_id, name="Sam", details={"age": "34"})
    ana_id = op(board, fred, "persona.add", name="Ana")["id"]
    op(board, fred, "stage.add", title="Wait", index=3)
    for stage, lane, text in [
        ("wait", "pain-points", "No updates while waiting"),
        ("wait", "pain-points", "=cost of a loaner"),
        ("wait", "opportunities", "Text a photo of the repair"),
        ("buy", "pain-points", "Booking form too long"),
        ("discover", "actions", "Googles repair shops"),
        ("stay-or-leave", "thoughts", "Might sell the bike"),
    ]:
        op(board, chloe, "note.add", stage=stage, lane=lane, text=text)
    op(board, fred, "stage.delete", stage="stay-or-leave")
    op(board, fred, "stage.delete", stage="get-help")
    scores = {
        # stage: (Sam's scores, Ana's scores) from Fred, Chloe and Bob
        "discover": ([1, 2, 1], [0, 1, 0]),
        "buy": ([0, -1, 0], [-2, -2, -2]),
        "wait": ([-2, -3, -2], [-1, 0, -1]),
        "use": ([2, 2, 1], [1, 2, 2]),
    }
    for stage, (sam, ana_scores) in scores.items():
        for who, sam_score, ana_score in zip([fred, chloe, bob], sam, ana_scores, strict=True):
            op(board, who, "emotion.set", stage=stage, persona=sam_id, score=sam_score)
            op(board, who, "emotion.set", stage=stage, persona=ana_id, score=ana_score)
    return workshop


def pytest_configure(config):
    # WhiteNoise warns on every request when STATIC_ROOT (collectstatic's output) is absent, as in tests.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


# Background PDFs (boards/exports/cache.py, tasks.py) -------------------------


@pytest.fixture
def big_workshop(workshop, settings):
    """`workshop` with 40 more notes, over a lowered inline limit: its PDF is built by the worker."""
    settings.PDF_INLINE_MAX_NOTES = 20
    board = workshop.boards.get()
    fred = workshop.participants.get(display_name="Fred")
    for i in range(40):
        add(board, fred, ["says", "thinks", "does", "feels"][i % 4], f"Background note {i}")
    return workshop


def run_worker_here():
    """django-tasks-db's own worker loop, in this process, until the queue is empty.

    Needs `transactional_db`: the worker checks its connection between tasks,
    which ends the transaction a plain `db` test runs in. Retries enqueued with
    a delay are run only once due (PDF_RETRY_DELAY_SECONDS=0 makes them due at once).
    """
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_database_url() -> str:
    """The URL of the database this test runs on, for a worker process of its own."""
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}"


@pytest.fixture
def start_worker(settings, tmp_path):
    """Starts `manage.py db_worker` as its own process on this test's database; stopped at teardown.

    The worker sees what the test committed, so tests using it need
    `transactional_db` (or `live_server`). Its log is printed (shown when the test fails).
    """
    import subprocess
    import sys

    from tests.support.servers import REPO_ROOT, settings_environ

    workers = []

    def start():
        log = open(tmp_path / f"worker-{len(workers) + 1}.log", "w+")  # noqa: SIM115 (closed at teardown)
        env = settings_environ(
            {"DATABASE_URL": test_database_url(), "EXPORTS_DIR": str(settings.EXPORTS_DIR)}
        )
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        return process

    yield start
    for process, log in workers:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        output = log.read()
        log.close()
        print(f"--- worker log (pytest shows it when the test fails)\n{output}")
