"""The queue really runs: `manage.py db_worker` as its own process builds what the server enqueued.

The server is pytest-django's live_server (in this process), the worker a
subprocess on the same test database (SQLite file, or PostgreSQL with
DATABASE_URL set), as `make run` and the systemd units start them.
"""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.models import Token

from background.models import PdfBuild

pytestmark = pytest.mark.multiprocess


def get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def wait_until_ready(base, status_url, token, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = json.loads(get(base + status_url, token)[2])
        if status["status"] in ("ready", "failed"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"no PDF after {timeout} s: {status}")


def test_a_worker_process_builds_the_pdf_and_a_second_download_is_instant(
    transactional_db, live_server, big_workshop, viewer, start_worker
):
    token = Token.objects.create(user=viewer).key
    url = f"{live_server.url}/api/v1/workshops/{big_workshop.id}/export/?format=pdf"
    code, headers, body = get(url, token)
    assert code == 202
    start_worker()

    status = wait_until_ready(live_server.url, json.loads(body)["status_url"], token)

    assert status["status"] == "ready", status
    code, headers, pdf = get(live_server.url + status["file_url"], token)
    assert code == 200 and pdf.startswith(b"%PDF")
    code, headers, again = get(url, token)
    assert code == 200 and again == pdf
    build = PdfBuild.objects.get()
    assert build.attempts == 1
    task_row = DBTaskResult.objects.get(task_path="boards.exports.tasks.build_pdf")
    assert task_row.status == "SUCCESSFUL" and task_row.return_value == "ready"


def test_concurrent_requests_make_one_build_per_view(
    transactional_db, live_server, big_workshop, viewer, owner, start_worker
):
    """Three requests each from two readers at once: one build of each reader's view, never more.

    Files are per reader (a facilitator's view is not an observer's), so the
    two readers get a build each, and each reader's three requests share theirs.
    """
    tokens = [Token.objects.create(user=user).key for user in (viewer, owner)] * 3
    url = f"{live_server.url}/api/v1/workshops/{big_workshop.id}/export/?format=pdf"
    answers, start = [], threading.Barrier(len(tokens))

    def ask(token):
        start.wait()
        try:
            answers.append((token, *get(url, token)))
        except urllib.error.HTTPError as exc:  # would be a 500: recorded, and fails below
            answers.append((token, exc.code, {}, exc.read()))

    threads = [threading.Thread(target=ask, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [code for _t, code, _h, _b in answers] == [202] * len(tokens)
    builds = {}
    for token, _code, _h, body in answers:
        builds.setdefault(token, set()).add(json.loads(body)["id"])
    assert [len(ids) for ids in builds.values()] == [1, 1]
    assert len(set.union(*builds.values())) == 2
    start_worker()
    for token, _code, _h, body in [next(a for a in answers if a[0] == t) for t in builds]:
        status = wait_until_ready(live_server.url, json.loads(body)["status_url"], token)
        assert status["status"] == "ready"
    assert PdfBuild.objects.count() == 2
    assert [b.attempts for b in PdfBuild.objects.all()] == [1, 1]
    assert DBTaskResult.objects.filter(task_path="boards.exports.tasks.build_pdf").count() == 2


def test_two_workers_never_build_two_pdfs_of_one_workshop_at_once(
    transactional_db, big_workshop, start_worker
):
    """Two builds of one workshop (two views) and two worker processes: the builds run one after the other."""
    from boards.exports import cache, export_reader

    version, seq = cache.workshop_version(big_workshop)
    views = [export_reader(big_workshop), type(export_reader(big_workshop))(id=None, facilitator=True)]
    builds = [cache.start_build(big_workshop, version, seq, cache.reader_key(v), v) for v in views]
    start_worker(), start_worker()

    deadline = time.monotonic() + 120
    while PdfBuild.objects.filter(status="ready").count() < 2 and time.monotonic() < deadline:
        time.sleep(0.3)

    assert sorted(PdfBuild.objects.values_list("status", flat=True)) == ["ready", "ready"]
    runs = DBTaskResult.objects.filter(task_path="boards.exports.tasks.build_pdf", return_value="ready")
    (first, second) = sorted(runs, key=lambda run: run.started_at)
    assert first.finished_at <= second.started_at, "two builds of one workshop overlapped"
    assert {str(b.id) for b in builds} == {r.args_kwargs["args"][0] for r in runs}
