"""boards/exports/cache.py: a PDF is made once per (workshop, version, reader's view) and kept on disk."""

import dataclasses
import io

import pytest
from pypdf import PdfReader

import boards.exports.cache as cache
from background.models import PdfBuild
from boards.exports import export_reader
from boards.ops import apply_op_request
from boards.visibility import viewer_of

from .conftest import add


def text_of(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).replace("\x00", "")


@pytest.fixture
def builds(monkeypatch):
    """Counts real PDF renders (the spy calls the real renderer)."""
    calls = []
    real = cache.render_pdf

    def counting(workshop, viewer, progress=None):
        calls.append(viewer)
        return real(workshop, viewer, progress)

    monkeypatch.setattr(cache, "render_pdf", counting)
    return calls


def test_a_second_download_is_served_from_the_cache_without_a_build(workshop, builds):
    reader = export_reader(workshop)
    first = cache.request_pdf(workshop, reader)
    second = cache.request_pdf(workshop, reader)
    assert first.content.startswith(b"%PDF") and second.content == first.content
    assert len(builds) == 1
    assert len(list(cache.exports_dir(workshop.id).glob("*.pdf"))) == 1


def test_a_change_to_the_boards_makes_a_new_file_and_drops_the_old_one(workshop, builds):
    reader = export_reader(workshop)
    cache.request_pdf(workshop, reader)
    board = workshop.boards.get()
    add(board, workshop.participants.get(display_name="Fred"), "does", "Rides in the rain")
    content = cache.request_pdf(workshop, reader).content
    assert "Rides in the rain" in text_of(content)
    assert len(builds) == 2
    files = list(cache.exports_dir(workshop.id).glob("*.pdf"))
    assert [f.name.split("-")[0] for f in files] == [cache.workshop_version(workshop)[0]]


def test_a_retitled_workshop_is_a_new_version(workshop):
    before = cache.workshop_version(workshop)
    workshop.title = "Second-hand e-bike owner"
    workshop.save()
    assert cache.workshop_version(workshop)[0] != before[0]
    assert cache.workshop_version(workshop)[1] == before[1]


def test_a_guest_never_gets_a_facilitators_cached_pdf(workshop, facilitator, builds):
    """A file made for one view is never served to another: the reader's view is part of the key."""
    board = workshop.boards.get()
    fred = workshop.participants.get(user=facilitator)
    apply_op_request(board.id, fred.id, "workshop.settings", {"moderation": True})
    apply_op_request(board.id, fred.id, "phase.set", {"phase": "write"})
    ana = workshop.participants.get(display_name="Ana")
    add(board, ana, "feels", "A private worry about the price")
    workshop.refresh_from_db()
    # A facilitator who moderates sees private notes; a guest sees only their own.
    facilitator_view = viewer_of(fred, workshop)
    guest_view = viewer_of(workshop.participants.get(display_name="Ana"), workshop)
    guest_view = dataclasses.replace(guest_view, id=None)  # Ana would see her own note: take another guest
    assert cache.reader_key(facilitator_view) != cache.reader_key(guest_view)

    for_facilitator = cache.request_pdf(workshop, facilitator_view).content
    for_guest = cache.request_pdf(workshop, guest_view).content

    assert "A private worry about the price" in text_of(for_facilitator)
    assert "A private worry about the price" not in text_of(for_guest)
    assert len(builds) == 2
    assert cache.cached_pdf(workshop, guest_view).content == for_guest


def test_delete_cached_exports_removes_every_file_and_build_of_the_workshop(workshop):
    reader = export_reader(workshop)
    cache.request_pdf(workshop, reader)
    version, seq = cache.workshop_version(workshop)
    PdfBuild.objects.create(workshop=workshop, version=version, seq=seq, reader_key="x")
    assert cache.delete_cached_exports(workshop.id) == 1
    assert not cache.exports_dir(workshop.id).exists()
    assert not PdfBuild.objects.filter(workshop=workshop).exists()
    assert cache.delete_cached_exports(workshop.id) == 0  # nothing left: still fine


def test_the_cleanup_keeps_current_files_and_removes_stale_and_orphaned_ones(workshop, settings):
    reader = export_reader(workshop)
    current = cache.cached_path(workshop.id, *_key(workshop, reader))
    cache.request_pdf(workshop, reader)
    stale = cache.exports_dir(workshop.id) / "0123456789abcdef-0123456789abcdef.pdf"
    stale.write_bytes(b"%PDF old version")
    orphan = cache.exports_dir(999_999) / "x-y.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF of a deleted workshop")

    result = cache.cleanup_cached_exports()

    assert current.exists()
    assert not stale.exists() and not orphan.parent.exists()
    assert result["files"] == 2


def test_the_cleanup_task_runs_the_cleanup(workshop, settings):
    from boards.exports.tasks import cleanup_exports

    orphan = cache.exports_dir(999_998) / "x-y.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF")
    assert cleanup_exports.call() == {"files": 1, "builds": 0}
    assert not orphan.exists()


def _key(workshop, reader):
    return cache.workshop_version(workshop)[0], cache.reader_key(reader)
