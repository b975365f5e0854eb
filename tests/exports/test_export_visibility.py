"""Every export reads the boards through boards.visibility, as someone reading after the fact."""

import json

import pytest

import boards.exports
from boards.exports import export_workshop
from boards.ops import apply_op_request
from boards.visibility import reader_of


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
    assert hide_lemons and all(viewer == reader_of(workshop) for viewer in hide_lemons)


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_files_hold_no_private_note_and_no_name_in_anonymous_mode(workshop, facilitator, fmt):
    board = workshop.boards.first()
    fred = workshop.participants.get(user=facilitator)
    apply_op_request(board.id, fred.id, "phase.set", {"phase": "write"})
    apply_op_request(board.id, fred.id, "note.add", {"section": "says", "text": "a private draft"})
    apply_op_request(board.id, fred.id, "workshop.settings", {"anonymous": True})
    workshop.refresh_from_db()
    content = export_workshop(workshop, fmt, ops=True).content.decode("utf-8-sig")
    assert "I just need it to work by Monday." in content
    assert "a private draft" not in content
    assert "Fred" not in content


def test_the_op_log_passes_through_op_for(workshop, monkeypatch):
    monkeypatch.setattr(boards.exports, "op_for", lambda viewer, event: {**event, "actor": None})
    document = json.loads(export_workshop(workshop, "json", ops=True).content)
    assert all(op["actor"] is None for ops in document["ops"].values() for op in ops)
