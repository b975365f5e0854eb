"""boards/exports/pdf.py: the summary typeset by WeasyPrint, read back with pypdf."""

import io

import pytest
from pypdf import PdfReader

from boards.exports import export_workshop
from boards.models import Note, Participant
from boards.ops import apply_op_request

from .conftest import add, close_votes, op


@pytest.fixture
def plain_workshop(workshop):
    """The workshop without its emoji note.

    No font on the machine has emoji glyphs, so WeasyPrint draws boxes for them
    and writes that font with a custom encoding which pypdf then misreads for
    the whole page (poppler's pdftotext reads it right). The emoji case has its
    own test below.
    """
    note = Note.objects.get(board__workshop=workshop, text__contains="🚲")
    fred = Participant.objects.get(workshop=workshop, user__username="fred")
    apply_op_request(note.board_id, fred.id, "note.delete", {"id": note.id})
    return workshop


def pdf_text(export) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(export.content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_it_typesets_the_summary(plain_workshop):
    export = export_workshop(plain_workshop, "pdf")
    assert export.content.startswith(b"%PDF-")
    assert export.content_type == "application/pdf"
    assert export.filename.endswith(".pdf")
    text, pages = pdf_text(export)
    assert "First-time e-bike owner" in text
    assert "Persona: Sam" in text
    assert "I just need it to work by Monday." in text
    assert "Did I buy a lemon?" in text
    assert "<script>alert('x')</script>" in text  # shown as text, never run
    assert f"Page 1 of {pages}" in text


def test_a_big_board_flows_over_several_numbered_pages(plain_workshop):
    workshop = plain_workshop
    board = workshop.boards.get()
    fred = Participant.objects.get(workshop=workshop, user__username="fred")
    for i in range(300):
        add(
            board,
            fred,
            ["says", "thinks", "does", "feels"][i % 4],
            f"Note number {i:03d} about the repair shop",
        )
    text, pages = pdf_text(export_workshop(workshop, "pdf"))
    assert pages >= 5
    assert f"Page {pages} of {pages}" in text
    assert "Note number 000" in text and "Note number 299" in text


def test_an_empty_workshop_gives_a_one_page_pdf(empty_workshop):
    text, pages = pdf_text(export_workshop(empty_workshop, "pdf"))
    assert pages == 1
    assert "Empty one" in text and "No notes." in text


def test_emoji_do_not_break_the_document(workshop):
    reader = PdfReader(io.BytesIO(export_workshop(workshop, "pdf").content))
    assert len(reader.pages) >= 1
    assert "First-time e-bike owner" in reader.pages[0].extract_text()


def test_groups_are_ranked_by_votes_with_their_titles(voted_workshop):
    note = Note.objects.get(board__workshop=voted_workshop, text__contains="🚲")
    op(note.board, voted_workshop.participants.get(display_name="Fred"), "phase.set", phase="discuss")
    op(note.board, voted_workshop.participants.get(display_name="Fred"), "note.delete", id=note.id)
    text, _pages = pdf_text(export_workshop(close_votes(voted_workshop), "pdf"))
    assert "Top groups by votes" in text
    assert text.index("Doesn't trust the estimate 4 votes") < text.index("Needs the bike for work 3 votes")


def test_a_journey_shows_both_curves_and_pains_next_to_opportunities(journey_workshop):
    text, _pages = pdf_text(export_workshop(journey_workshop, "pdf"))
    text = " ".join(text.split())  # lines wrap where the page ends them
    # The drawing of boards.curve, its labels typeset as text: the legend and the marks.
    assert "Moment of truth" in text
    assert "Emotion curve, Sam: Discover +1.3 · Consider – · Buy −0.3 · Wait −2.3 · Use +1.7" in text
    assert "moment of truth: Wait" in text and "moment of truth: Buy" in text
    assert "Wait moment of truth for Sam" in text
    assert "No updates while waiting" in text and "Text a photo of the repair" in text
    assert "Parking lot" in text and "Might sell the bike" in text


def test_a_long_list_of_pain_points_flows_over_pages(journey_workshop):
    board = journey_workshop.boards.get()
    fred = journey_workshop.participants.get(display_name="Fred")
    for i in range(120):
        op(
            board,
            fred,
            "note.add",
            stage="wait",
            lane="pain-points",
            text=f"Pain number {i:03d} while waiting",
        )
    text, pages = pdf_text(export_workshop(journey_workshop, "pdf"))
    assert pages >= 3
    assert all(f"Pain number {i:03d}" in text for i in range(120))
