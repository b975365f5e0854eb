"""boards/exports/markdown.py: the summary as Markdown."""

from boards.exports import export_workshop

from .conftest import close_votes, op


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
    op(
        workshop.boards.get(),
        workshop.participants.get(display_name="Fred"),
        "workshop.settings",
        anonymous=True,
    )
    workshop.refresh_from_db()
    text = export_workshop(workshop, "md").content.decode()
    assert "— Fred" not in text and "Ana" not in text
    assert "**Participants:** 2 (anonymous workshop)" in text


def test_an_empty_workshop_gives_a_short_valid_file(empty_workshop):
    text = export_workshop(empty_workshop, "md").content.decode()
    assert text.startswith("# Empty one\n")
    assert "*No notes.*" in text
    assert "**Notes:** 0" in text


def test_groups_come_with_titles_and_votes_once_the_vote_is_closed(voted_workshop):
    hidden = export_workshop(voted_workshop, "md").content.decode()
    assert "**Votes:** hidden until the facilitator closes the vote" in hidden
    assert "Top groups by votes" not in hidden and " vote" not in hidden.replace("the vote", "")
    assert "### Needs the bike for work\n\n- I just need it to work by Monday. — Fred" in hidden

    text = export_workshop(close_votes(voted_workshop), "md").content.decode()
    assert "1. Doesn't trust the estimate (4 votes)\n1. Needs the bike for work (3 votes)" in text
    assert "### Doesn't trust the estimate (4 votes)\n\n- \\<script\\>" in text
    assert "- Did I buy a lemon? — 1 vote, Ana" in text
    assert "**Phases:** Silent writing → Reveal → Grouping → Voting" in text
    assert "hidden until" not in text


def test_a_journey_lists_curves_moments_of_truth_and_pains_next_to_opportunities(journey_workshop):
    text = export_workshop(journey_workshop, "md").content.decode()
    assert (
        "**Emotion curve, Sam:** Discover +1.3, Consider –, Buy −0.3, Wait −2.3, Use +1.7"
        " — moment of truth: Wait" in text
    )
    assert "**Emotion curve, Ana:** " in text and "— moment of truth: Buy" in text
    assert (
        "#### Wait (moment of truth for Sam)\n\nPain points:\n\n"
        "- No updates while waiting — Chloe\n- =cost of a loaner — Chloe\n\n"
        "Opportunities:\n\n- Text a photo of the repair — Chloe"
    ) in text
    assert "#### Buy (moment of truth for Ana)\n\nPain points:\n\n- Booking form too long" in text
    assert "### Actions · Discover\n\n- Googles repair shops — Chloe" in text
    assert "### Parking lot\n\n- Might sell the bike — Chloe" in text
