"""Every export reads the boards through boards.visibility, as someone reading after the fact."""

import csv
import io
import json

import pytest

import boards.exports
from boards.exports import export_workshop
from boards.models import Note
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


def file_text(workshop, fmt) -> str:
    content = export_workshop(workshop, fmt, ops=True).content
    if fmt == "pdf":
        from pypdf import PdfReader

        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "pdf"])
def test_hidden_votes_are_in_no_file_until_the_vote_is_closed(voted_workshop, fmt):
    content = file_text(voted_workshop, fmt)
    assert "3 votes" not in content and "4 votes" not in content
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(content, newline="")))
        assert {row["votes"] for row in rows} == {"0"}
    if fmt == "json":
        document = json.loads(content)
        assert document["boards"][0]["votes"] == []
        assert {op["op"] for op in document["ops"][str(document["boards"][0]["id"])]} >= {"redacted"}


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "pdf"])
def test_a_journeys_private_notes_and_anonymous_scorers_are_in_no_file(journey_workshop, fmt):
    board = journey_workshop.boards.get()
    fred = journey_workshop.participants.get(display_name="Fred")
    chloe = journey_workshop.participants.get(display_name="Chloe")
    apply_op_request(board.id, fred.id, "phase.set", {"phase": "write"})
    apply_op_request(
        board.id, chloe.id, "note.add", {"stage": "wait", "lane": "pain-points", "text": "a private pain"}
    )
    apply_op_request(board.id, fred.id, "workshop.settings", {"anonymous": True})
    journey_workshop.refresh_from_db()
    assert Note.objects.get(text="a private pain").private
    content = file_text(journey_workshop, fmt)
    assert "No updates while waiting" in content
    assert "a private pain" not in content
    assert "Chloe" not in content and "Fred" not in content and "Bob" not in content
    if fmt == "json":
        scores = json.loads(content)["boards"][0]["emotion_scores"]
        assert len(scores) == 24 and {s["participant"] for s in scores} == {None}
