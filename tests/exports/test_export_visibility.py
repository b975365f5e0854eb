"""Every export reads the boards through boards.visibility.snapshot_for, as a Reader."""

import json

import pytest

import boards.exports
from boards.exports import export_workshop
from boards.visibility import READER, Reader


@pytest.fixture
def hide_lemons(monkeypatch):
    """A stand-in redaction rule: what snapshot_for leaves out must be out of every file."""
    seen = []

    def snapshot_for(viewer, snapshot):
        seen.append(viewer)
        return {**snapshot, "notes": [n for n in snapshot["notes"] if "lemon" not in n["text"]]}

    monkeypatch.setattr(boards.exports, "snapshot_for", snapshot_for)
    return seen


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "pdf"])
def test_every_format_passes_through_snapshot_for_as_a_reader(workshop, hide_lemons, fmt):
    content = export_workshop(workshop, fmt).content
    if fmt == "pdf":
        import io

        from pypdf import PdfReader

        # pypdf misreads pages with emoji (see test_export_pdf.py): compare without NULs.
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
        content = text.replace("\x00", "").encode()
    assert b"I just need it to work by Monday." in content
    assert b"lemon" not in content
    assert hide_lemons and all(viewer is READER for viewer in hide_lemons)


def test_a_reader_is_an_outsider_with_no_rights():
    assert Reader() == READER and READER.id is None
    assert not READER.is_facilitator and not READER.can_write


def test_the_op_log_passes_through_op_for(workshop, monkeypatch):
    monkeypatch.setattr(boards.exports, "op_for", lambda viewer, event: {**event, "actor": None})
    document = json.loads(export_workshop(workshop, "json", ops=True).content)
    assert all(op["actor"] is None for ops in document["ops"].values() for op in ops)
