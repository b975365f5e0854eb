"""Big PDFs are built by the worker: 202 and a status URL, the waiting page, one build per workshop, retries.

The queue is django-tasks-db's, run by its own worker loop in this process
(run_worker_here); tests/exports/test_pdf_worker_process.py runs it as a process.
"""

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from background.models import PdfBuild
from boards.exports import cache, export_reader
from boards.exports.tasks import build_pdf

from .conftest import run_worker_here
from .test_export_api import api

pytestmark = pytest.mark.django_db(transaction=True)


def export_url(workshop):
    return f"/api/v1/workshops/{workshop.id}/export/?format=pdf"


def test_the_api_answers_202_with_a_status_url_then_serves_the_file(big_workshop, viewer):
    client = api(viewer)
    response = client.get(export_url(big_workshop))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["progress"] == 0
    assert response["Location"] == body["status_url"]
    assert response["Retry-After"] == "2"

    run_worker_here()

    status = client.get(body["status_url"]).json()
    assert status["status"] == "ready" and status["progress"] == 100 and status["attempts"] == 1
    pdf = client.get(status["file_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The next request is the cached file, at once, with no second build.
    again = client.get(export_url(big_workshop))
    assert again.status_code == 200 and again.content == pdf.content
    assert PdfBuild.objects.get().attempts == 1
    assert DBTaskResult.objects.filter(task_path="boards.exports.tasks.build_pdf").count() == 1


def test_the_file_url_before_the_build_is_ready_points_back_at_the_status(big_workshop, viewer):
    client = api(viewer)
    body = client.get(export_url(big_workshop)).json()
    response = client.get(body["status_url"] + "file/")
    assert response.status_code == 302 and response["Location"] == body["status_url"]


def test_a_second_request_joins_the_queued_build(big_workshop, viewer):
    # Files follow each reader's own view (boards/exports/__init__.py, export_reader):
    # a second request for the same view, from another client, joins the first build.
    first = api(viewer).get(export_url(big_workshop)).json()
    second = api(viewer).get(export_url(big_workshop)).json()
    assert first["id"] == second["id"]
    assert PdfBuild.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_page_shows_preparing_then_the_file(big_workshop, viewer):
    client = Client()
    client.force_login(viewer)
    response = client.get(f"/w/{big_workshop.id}/export/?format=pdf")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Preparing…" in html and 'src="/static/js/pdf-build.js"' in html
    assert "<script>" not in html and "onclick" not in html  # no inline script (a strict CSP is coming)
    status_url = response["Location"] + "status/"
    assert client.get(status_url).json()["status"] == "queued"

    run_worker_here()

    status = client.get(status_url).json()
    assert status["status"] == "ready"
    pdf = client.get(status["file_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


def test_only_one_build_of_a_workshop_runs_at_a_time(big_workshop, viewer):
    """Two builds of one workshop (two views): the second waits while the first runs."""
    body = api(viewer).get(export_url(big_workshop)).json()
    first = PdfBuild.objects.get(id=body["id"])
    other_view = export_reader(big_workshop)
    other_view = type(other_view)(id=None, facilitator=True, moderation=True)
    version, seq = cache.workshop_version(big_workshop)
    second = cache.start_build(big_workshop, version, seq, cache.reader_key(other_view), other_view)

    assert cache.claim(first.id) is not None  # the first is running now
    assert build_pdf.call(str(second.id)) == "waiting"
    second.refresh_from_db()
    assert second.status == "queued" and second.attempts == 0
    # The wait went back to the queue, due in a moment.
    waiting = DBTaskResult.objects.filter(args_kwargs__args=[str(second.id)]).order_by("-enqueued_at")
    assert waiting.count() == 2 and waiting.first().run_after > first.created_at


def test_a_failing_build_is_retried_then_reported(big_workshop, viewer, settings, tmp_path):
    # A real fault: the cache folder cannot be made (a file stands where it should be).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way")
    settings.EXPORTS_DIR = blocker / "exports"
    settings.PDF_RETRY_DELAY_SECONDS = 0
    client = Client()
    client.force_login(viewer)
    page_url = client.get(f"/w/{big_workshop.id}/export/?format=pdf")["Location"]

    run_worker_here()

    build = PdfBuild.objects.get()
    assert build.status == "failed" and build.attempts == settings.PDF_BUILD_ATTEMPTS == 3
    tries = DBTaskResult.objects.filter(task_path="boards.exports.tasks.build_pdf")
    assert [t.status for t in tries] == ["FAILED"] * 3
    status = client.get(page_url + "status/").json()
    assert status["status"] == "failed"
    assert status["error"].startswith("The PDF could not be made (")
    assert "Not a directory" in status["error"]
    page = client.get(page_url).content.decode()
    assert "The PDF could not be made" in page and "Try again" in page

    # Asking again starts over, and succeeds once the fault is gone.
    settings.EXPORTS_DIR = tmp_path / "exports"
    again = api(viewer).get(export_url(big_workshop))
    assert again.status_code == 202 and again.json()["id"] == str(build.id)
    run_worker_here()
    build.refresh_from_db()
    assert build.status == "ready" and build.attempts == 1


def test_a_build_whose_worker_died_is_handed_out_again(big_workshop, viewer):
    client = api(viewer)
    body = client.get(export_url(big_workshop)).json()
    assert cache.claim(body["id"]) is not None  # a worker took it ...
    PdfBuild.objects.filter(id=body["id"]).update(
        updated_at=PdfBuild.objects.get().updated_at - cache.STALE_AFTER * 2
    )
    # ... and was killed: the next status poll notices and queues it again.
    status = client.get(body["status_url"]).json()
    assert status["status"] == "queued" and "stopped answering" in status["step"]
    run_worker_here()
    build = PdfBuild.objects.get()
    assert build.status == "ready" and build.attempts == 2


def test_a_guest_cannot_read_a_build_made_for_another_view(big_workshop, settings):
    """Knowing a build's id is not enough: it must be of the asker's own view."""
    from boards.models import Participant

    facilitator_view = type(export_reader(big_workshop))(id=None, facilitator=True, moderation=True)
    version, seq = cache.workshop_version(big_workshop)
    build = cache.start_build(
        big_workshop, version, seq, cache.reader_key(facilitator_view), facilitator_view
    )
    run_worker_here()
    build.refresh_from_db()
    assert build.status == "ready"
    guest = Participant.objects.get(workshop=big_workshop, display_name="Ana")
    own = api(token=guest.token).get(export_url(big_workshop))
    assert own.status_code == 202 and own.json()["id"] != str(
        build.id
    )  # the guest's own view: a build of its own
    base = f"/api/v1/workshops/{big_workshop.id}/export/pdf/{build.id}/"
    for url in (base, base + "file/"):
        response = api(token=guest.token).get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_share_link_waits_for_the_pdf_too(big_workshop, facilitator):
    from boards.models import ShareLink

    link = ShareLink.objects.create(workshop=big_workshop, created_by=facilitator)
    client = Client()
    response = client.get(f"/s/{link.token}/export/?format=pdf")
    assert response.status_code == 302
    page_url = response["Location"]
    assert page_url.startswith(f"/s/{link.token}/export/pdf/")
    page = client.get(page_url)
    assert page.status_code == 200 and "Preparing…" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"

    run_worker_here()

    status = client.get(page_url + "status/").json()
    assert status["status"] == "ready"
    assert client.get(status["file_url"]).content.startswith(b"%PDF")
    link.revoke()
    assert client.get(page_url + "status/").status_code == 404
    assert client.get(status["file_url"]).status_code == 404


def test_the_export_command_still_builds_a_big_pdf_at_once(big_workshop, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "summary.pdf"
    call_command("export_workshop", big_workshop.id, "--format", "pdf", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert not PdfBuild.objects.exists() and not DBTaskResult.objects.exists()


def test_the_openapi_schema_documents_the_202_and_the_status(owner):
    schema = api(owner).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    export = paths["/api/v1/workshops/{workshop_id}/export/"]["get"]["responses"]
    assert "202" in export
    status = paths["/api/v1/workshops/{workshop_id}/export/pdf/{build_id}/"]["get"]["responses"]
    assert set(status["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1:]) == {"PdfBuild"}
    assert "/api/v1/workshops/{workshop_id}/export/pdf/{build_id}/file/" in paths
