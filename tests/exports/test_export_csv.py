"""boards/exports/csv.py: one row per note, UTF-8 with BOM, formulas neutralised."""

import csv
import io

import pytest

from boards.exports import export_workshop
from boards.exports.csv import COLUMNS, cell

from .conftest import TRICKY_TEXTS, close_votes, note_count, op


def read(export) -> list[dict]:
    assert export.content.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    text = export.content.decode("utf-8-sig")
    # The notes; a journey map's curves follow after a blank line (test_export_curve_csv.py).
    notes = text.split("\r\n\r\n")[0]
    return list(csv.DictReader(io.StringIO(notes, newline="")))


def test_it_writes_one_row_per_note(workshop):
    export = export_workshop(workshop, "csv")
    rows = read(export)
    assert len(rows) == note_count(workshop)
    first = rows[0]
    assert list(first) == COLUMNS
    assert first["workshop"] == "First-time e-bike owner"
    assert first["board"] == "Empathy map"
    assert first["section"] == "Says"
    assert first["text"] == "I just need it to work by Monday."
    assert first["color"] == "pink"
    assert first["author"] == "Fred"
    assert first["votes"] == "0"
    assert first["created_at"].startswith("20")
    assert export.content_type.startswith("text/csv")
    assert export.filename.startswith("resonance-first-time-e-bike-owner-") and export.filename.endswith(
        ".csv"
    )


def test_it_neutralises_formulas_and_keeps_emoji_and_html_inert(workshop):
    texts = {row["text"] for row in read(export_workshop(workshop, "csv"))}
    assert '\'=HYPERLINK("http://evil.example","click")' in texts
    assert "'+1+1" in texts
    assert "'-2+3" in texts
    assert "'@SUM(A1:A2)" in texts
    assert "'\tleading tab" in texts
    assert "'\rleading CR" in texts
    assert "<script>alert('x')</script> <b>bold</b>" in texts
    assert "Ça roule 🚲✨ — naïve café" in texts
    assert "Two\nlines" in texts
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
    assert len([t for t in texts if t.lstrip("'") in TRICKY_TEXTS]) == len(TRICKY_TEXTS)


def test_every_text_cell_is_neutralised_not_only_the_note():
    assert cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert cell("-") == "'-"
    assert cell("plain") == "plain"
    assert cell(3) == 3
    assert cell(None) == ""


def test_an_anonymous_workshop_has_no_authors(workshop):
    op(
        workshop.boards.get(),
        workshop.participants.get(display_name="Fred"),
        "workshop.settings",
        anonymous=True,
    )
    workshop.refresh_from_db()
    assert {row["author"] for row in read(export_workshop(workshop, "csv"))} == {"anonymous"}


def test_an_empty_workshop_gives_the_header_only(empty_workshop):
    export = export_workshop(empty_workshop, "csv")
    assert read(export) == []
    assert export.content.decode("utf-8-sig").strip() == ",".join(COLUMNS)


def test_votes_and_groups_are_columns_once_the_vote_is_closed(voted_workshop):
    hidden = {row["text"]: row for row in read(export_workshop(voted_workshop, "csv"))}
    assert {row["votes"] for row in hidden.values()} == {"0"}
    assert hidden["Did I buy a lemon?"]["cluster"] == "Doesn't trust the estimate"
    rows = {row["text"]: row for row in read(export_workshop(close_votes(voted_workshop), "csv"))}
    assert rows["I just need it to work by Monday."]["votes"] == "3"
    assert rows["Did I buy a lemon?"]["votes"] == "1"
    assert rows["Two\nlines"]["cluster"] == ""


def test_a_journey_note_has_its_stage_and_lane(journey_workshop):
    rows = read(export_workshop(journey_workshop, "csv"))
    assert [(r["section"], r["stage"], r["lane"], r["text"]) for r in rows] == [
        ("", "Discover", "Actions", "Googles repair shops"),
        ("", "Buy", "Pain points", "Booking form too long"),
        ("", "Wait", "Pain points", "No updates while waiting"),
        ("", "Wait", "Pain points", "'=cost of a loaner"),
        ("", "Wait", "Opportunities", "Text a photo of the repair"),
        ("Parking lot", "", "", "Might sell the bike"),
    ]
    assert {r["board"] for r in rows} == {"Customer journey map"}
    assert {r["author"] for r in rows} == {"Chloe"}


@pytest.mark.parametrize(
    "text", [" =1+1", '\n=HYPERLINK("x")', "  \n +1", "\t=1", "\r@SUM(A1)", "\tplain", " \r\n-2"]
)
def test_blanks_before_a_formula_do_not_hide_it(text):
    assert cell(text) == "'" + text


@pytest.mark.parametrize("text", [" plain", "\nnext line", "a=b", "1+1"])
def test_text_with_blanks_but_no_formula_is_kept(text):
    assert cell(text) == text
