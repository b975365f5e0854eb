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


def test_a_journey_lists_curves_low_points_and_pains_next_to_opportunities(fake_curve):
    from boards.exports.markdown import to_markdown
    from boards.summary import workshop_summary

    from .test_summary import ACTIVITY, EMPATHY, JOURNEY, fake_workshop

    text = to_markdown(workshop_summary(fake_workshop(), [EMPATHY, JOURNEY], ACTIVITY))
    assert "**Moments of truth:** Wait" in text
    assert "**Emotion curve, Sam:** Book +0.5, Wait -2.4 — low point: Wait" in text
    assert "#### Wait (moment of truth)\n\nPain points:\n\n- No updates while waiting — 5 votes, Ana" in text
    assert "Opportunities:\n\n- Text a photo of the repair — Ana" in text
    assert "#### Needs the bike for work (4 votes)" in text
    assert "1. Needs the bike for work (4 votes)" in text
    assert "**Phases:** write → reveal → vote" in text
