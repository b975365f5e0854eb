"""The summary as Markdown: for a wiki page, an email or a pull request."""

import re

# Characters that would turn a participant's text into markup (links, emphasis,
# headings, tables, raw HTML) are backslash-escaped, so a note reads as written.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


# A line of a note that starts like a list item or a heading underline would turn into markup.
_LIST_START = re.compile(r"^(\s*)(-{2,}|={1,}|[-+]|\d+[.)])(?=\s|$)", re.MULTILINE)


def text(value) -> str:
    value = _SPECIAL.sub(r"\\\1", str(value)).replace("\r", "")
    return _LIST_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], value)


def _votes(count: int) -> str:
    return f"{count} vote{'s' if count != 1 else ''}"


def _note(note: dict, show_votes: bool) -> str:
    body = text(note["text"]).strip() or "*(empty)*"
    body = body.replace("\n", "  \n  ")  # a multi-line note stays one list item
    extra = []
    if show_votes and note["votes"]:
        extra.append(_votes(note["votes"]))
    if note["author"]:
        extra.append(text(note["author"]))
    return f"- {body}" + (f" — {', '.join(extra)}" if extra else "")


def to_markdown(summary: dict) -> str:
    workshop = summary["workshop"]
    votes = summary["has_votes"]
    lines = [f"# {text(workshop['title'])}", ""]
    facts = [f"**Status:** {workshop['status']}"]
    if workshop.get("closed_at"):
        facts[0] += f" since {workshop['closed_at']:%Y-%m-%d %H:%M} UTC"
    if workshop["team"]:
        facts.append(f"**Team:** {text(workshop['team'])}")
    timing = summary["timing"]
    if timing["first_op_at"]:
        facts.append(f"**When:** {timing['first_op_at']:%Y-%m-%d %H:%M} – {timing['last_op_at']:%H:%M} UTC")
        facts.append(f"**How long:** {timing['duration']}")
    people = summary["participation"]
    if people["names"] is None:
        facts.append(f"**Participants:** {people['count']} (anonymous workshop)")
    else:
        facts.append(
            f"**Participants ({people['count']}):** {text(', '.join(people['names'])) or 'nobody yet'}"
        )
    if summary["phases"]:
        facts.append(f"**Phases:** {text(' → '.join(summary['phase_titles']))}")
    facts.append(f"**Notes:** {summary['note_count']}")
    if summary["votes_hidden"]:
        facts.append("**Votes:** hidden until the facilitator closes the vote")
    lines += [f"{fact}  " for fact in facts]

    for persona in summary["personas"]:
        lines += ["", f"## Persona: {text(persona['name'] or 'unnamed')}", ""]
        lines += [f"- **{text(label)}:** {text(value)}" for label, value in persona["details"]]

    for board in summary["boards"]:
        lines += ["", f"## {text(board['title'])}"]
        if board["top_clusters"] and votes:
            lines += ["", "Top groups by votes:", ""]
            lines += [f"1. {text(c['title'])} ({_votes(c['votes'])})" for c in board["top_clusters"]]
        if board["journey"]:
            _journey(lines, board["journey"], votes)
            if not board["notes"]:
                lines += ["", "*No notes.*"]
        else:
            _groups_and_sections(lines, board, votes)
    from boards.exports import MARKDOWN_PARTS

    for part in MARKDOWN_PARTS:
        lines += part(summary)
    return "\n".join(lines).rstrip() + "\n"


def _groups_and_sections(lines: list, board: dict, votes: bool) -> None:
    for cluster in board["clusters"]:
        count = f" ({_votes(cluster['votes'])})" if votes else ""
        lines += ["", f"### {text(cluster['title'])}{count}", ""]
        lines += [_note(n, votes) for n in cluster["notes"]]
    if board["clusters"]:
        lines += ["", "Notes not in a group, by section:"]
    for section in board["sections"]:
        lines += ["", f"### {text(section['title'])}", ""]
        if section["unclustered"]:
            lines += [_note(n, votes) for n in section["unclustered"]]
        else:
            lines.append("*All in groups above.*" if section["notes"] else "*No notes.*")


def _journey(lines: list, journey: dict, votes: bool) -> None:
    for curve in journey["curves"]:
        points = ", ".join(f"{text(p['stage'])} {p['score'] or '–'}" for p in curve["points"])
        low = curve["moments_of_truth"]
        low = f" — moment of truth: {text(', '.join(low))}" if low else ""
        lines += ["", f"**Emotion curve, {text(curve['persona'])}:** {points}{low}"]
    if journey["pains_vs_opportunities"]:
        lines += ["", "### Pain points and opportunities"]
        for row in journey["pains_vs_opportunities"]:
            who = row["moment_of_truth_for"]
            mark = f" (moment of truth for {', '.join(who)})" if who else ""
            lines += ["", f"#### {text(row['stage'] + mark)}", "", "Pain points:", ""]
            lines += [_note(n, votes) for n in row["pains"]] or ["- none"]
            lines += ["", "Opportunities:", ""]
            lines += [_note(n, votes) for n in row["opportunities"]] or ["- none"]
    for cell in journey["other_cells"]:
        lines += ["", f"### {text(cell['lane'] + ' · ' + cell['stage'])}", ""]
        lines += [_note(n, votes) for n in cell["notes"]]
    if journey["parking_lot"]:
        lines += ["", "### Parking lot", ""]
        lines += [_note(n, votes) for n in journey["parking_lot"]]
