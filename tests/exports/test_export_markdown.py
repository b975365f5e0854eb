"""boards/exports/markdown.py: the summary as Markdown."""

from boards.exports import export_workshop


def test_it_writes_the_title_persona_sections_and_notes(workshop):
    export = export_workshop(workshop, "md")
    text = export.content.decode()
    assert text.startswith("# First-time e-bike owner\n")
    assert "## Persona: Sam" in text
    assert "- **Age:** 34" in text
    assert "### Says" in text and "### Feels" in text
    assert "- I just need it to work by Monday. — Fred" in text
    assert "**Participants (2):** Fred, Ana" in text
    assert export.content_type.startswith("text/markdown")
    assert export.filename.endswith(".md")


def test_participant_text_cannot_become_markup(workshop):
    text = export_workshop(workshop, "md").content.decode()
    assert "<script>" not in text
    assert "\\<script\\>alert('x')\\</script\\>" in text
    assert "Ça roule 🚲✨" in text
    assert "- Two  \n  lines" in text


def test_an_anonymous_workshop_names_nobody(workshop):
    workshop.anonymous = True
    text = export_workshop(workshop, "md").content.decode()
    assert "— Fred" not in text and "Ana" not in text
    assert "**Participants:** 2 (anonymous workshop)" in text


def test_an_empty_workshop_gives_a_short_valid_file(empty_workshop):
    text = export_workshop(empty_workshop, "md").content.decode()
    assert text.startswith("# Empty one\n")
    assert "*No notes.*" in text
    assert "**Notes:** 0" in text
