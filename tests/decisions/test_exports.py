"""Summary and every export carry opportunities with sources, the matrix, the ranking and actions."""

import csv
import io
import json

import pytest
from pypdf import PdfReader

from boards.exports import export_workshop, summary_of
from boards.workshops import join_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(workshop, board, matrix, host, op, pains):
    jo = join_workshop(workshop.join_code, "Jo")
    ravi = join_workshop(workshop.join_code, "Ravi")
    first = op(board, host, "opportunity.add", title="Text when ready", notes=pains[:2])["opportunity"]
    second = op(board, host, "opportunity.add", title="Loan bikes", notes=[pains[2]])["opportunity"]
    for person, (i1, v1, i2, v2) in zip(
        [host, jo, ravi], [(5, 5, 2, 2), (4, 5, 1, 3), (5, 4, 2, 1)], strict=True
    ):
        op(matrix, person, "opportunity.score", opportunity=first["id"], impact=i1, value=v1)
        op(matrix, person, "opportunity.score", opportunity=second["id"], impact=i2, value=v2)
    op(matrix, host, "action.add", opportunity=first["id"], owner={"participant": jo.id}, due="2001-01-01")
    op(board, host, "note.delete", id=pains[2])
    return first, second


def test_the_summary_chain_from_note_to_action(workshop, decided):
    summary, _ = summary_of(workshop)
    d = summary["decisions"]
    first = d["opportunities"][0]
    assert [s["text"] for s in first["sources"]] == [
        "I never know when the bike is ready",
        "The estimate was wrong twice",
    ]
    assert first["actions"][0]["owner_name"] == "Jo" and first["actions"][0]["overdue"] is True
    assert d["opportunities"][1]["sources"][0]["text"] is None  # its note was deleted
    (m,) = d["matrices"]
    assert [(r["title"], r["rank"], r["quadrant"]) for r in m["ranking"]] == [
        ("Text when ready", 1, "do first"),
        ("Loan bikes", 2, "drop"),
    ]
    assert "<svg" in m["svg"]
    assert [n["text"] for n in d["most_negative"]][:1] == ["The estimate was wrong twice"]


def test_markdown_csv_and_json(workshop, decided):
    md = export_workshop(workshop, "md").content.decode()
    assert "## Opportunities" in md and "from: I never know when the bike is ready" in md
    assert "| 1 | Text when ready | 4.7 | 4.7 | 3 | Do first |" in md
    assert "Text when ready — Jo, due 2001-01-01 (overdue), open" in md
    assert "*a deleted note*" in md
    rows = list(csv.reader(io.StringIO(export_workshop(workshop, "csv").content.decode("utf-8-sig"))))
    header = rows.index(["opportunity rank", "opportunity", "customer impact", "business value", "people",
                         "quadrant", "source notes", "action", "owner", "due", "status"])  # fmt: skip
    assert rows[header - 1] == [] and rows[0][0] == "workshop"
    assert rows[header + 1][:2] == ["1", "Text when ready"] and rows[header + 1][7:] == [
        "Text when ready", "Jo", "2001-01-01", "open"]  # fmt: skip
    document = json.loads(export_workshop(workshop, "json").content)
    assert document["schema"] == "resonance.workshop/2"
    assert document["decisions"]["matrices"][0]["ranking"][0]["title"] == "Text when ready"
    assert document["decisions"]["actions"][0]["owner"] == {
        "participant": document["decisions"]["actions"][0]["owner"]["participant"],
        "name": "Jo",
    }


def test_pdf_shows_the_matrix_and_the_chain(workshop, decided):
    pdf = PdfReader(io.BytesIO(export_workshop(workshop, "pdf").content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    for expected in (
        "Opportunities",
        "Text when ready",
        "Do first",
        "Quick wins",
        "Business value",
        "Actions",
        "overdue",
    ):
        assert expected in text, expected


def test_a_workshop_without_decisions_shows_no_section(workshop, board, host, op):
    op(board, host, "note.add", section="says", text="Fine")
    md = export_workshop(workshop, "md").content.decode()
    assert "Opportunities" not in md and "Prioritisation" not in md


def test_the_summary_page_shows_the_matrix_and_actions(workshop, decided, client, maya):
    client.force_login(maya)
    page = client.get(f"/w/{workshop.id}/summary/").content.decode()
    assert "Prioritisation:" in page and "<svg" in page and "Do first" in page
    assert "Action: <strong>Text when ready</strong> — Jo" in page
    assert 'class="overdue"' in page
