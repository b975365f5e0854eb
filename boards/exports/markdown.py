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


def _note(note: dict, show_votes: bool) -> str:
    body = text(note["text"]).strip() or "*(empty)*"
    body = body.replace("\n", "  \n  ")  # a multi-line note stays one list item
    extra = []
    if show_votes and note["votes"]:
        extra.append(f"{note['votes']} vote{'s' if note['votes'] != 1 else ''}")
    if note["author"]:
        extra.append(text(note["author"]))
    return f"- {body}" + (f" — {', '.join(extra)}" if extra else "")


def _notes(lines: list, group: dict, show_votes: bool, level: str) -> None:
    for cluster in group["clusters"]:
        votes = f" ({cluster['votes']} votes)" if show_votes else ""
        lines += ["", f"{level} {text(cluster['title'])}{votes}", ""]
        lines += [_note(n, show_votes) for n in cluster["notes"]]
    if group["unclustered"]:
        if group["clusters"]:
            lines += ["", f"{level} Other notes", ""]
        else:
            lines.append("")
        lines += [_note(n, show_votes) for n in group["unclustered"]]


def to_markdown(summary: dict) -> str:
    workshop = summary["workshop"]
    votes = summary["has_votes"]
    lines = [f"# {text(workshop['title'])}", ""]
    facts = [f"**Status:** {workshop['status']}"]
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
        facts.append(f"**Phases:** {text(' → '.join(summary['phases']))}")
    facts.append(f"**Notes:** {summary['note_count']}")
    lines += [f"{fact}  " for fact in facts]

    persona = summary["persona"]
    if persona and (persona["name"] or persona["details"]):
        lines += ["", f"## Persona: {text(persona['name'] or 'unnamed')}", ""]
        lines += [f"- **{text(label)}:** {text(value)}" for label, value in persona["details"]]

    for board in summary["boards"]:
        lines += ["", f"## {text(board['title'])}"]
        if board["top_clusters"] and votes:
            lines += ["", "Top groups by votes:", ""]
            lines += [f"1. {text(c['title'])} ({c['votes']} votes)" for c in board["top_clusters"]]
        for section in board["sections"]:
            lines += ["", f"### {text(section['title'])}"]
            if not section["notes"]:
                lines += ["", "*No notes.*"]
            _notes(lines, section, votes, "####")
        journey = board["journey"]
        if journey:
            _journey(lines, journey, votes)
    return "\n".join(lines).rstrip() + "\n"


def _journey(lines: list, journey: dict, votes: bool) -> None:
    if journey["moments_of_truth"]:
        lines += ["", f"**Moments of truth:** {text(', '.join(journey['moments_of_truth']))}"]
    for curve in journey["curves"]:
        points = ", ".join(
            f"{text(p['stage'])} {p['score']:+.1f}" for p in curve["points"] if p["score"] is not None
        )
        low = f" — low point: {text(curve['low']['stage'])}" if curve["low"] else ""
        lines += ["", f"**Emotion curve, {text(curve['persona'])}:** {points or 'no scores'}{low}"]
    if journey["pains_vs_opportunities"]:
        lines += ["", "### Pain points and opportunities"]
        for row in journey["pains_vs_opportunities"]:
            mark = " (moment of truth)" if row["moment_of_truth"] else ""
            lines += ["", f"#### {text(row['stage'])}{mark}", "", "Pain points:", ""]
            lines += [_note(n, votes) for n in row["pains"]] or ["- none"]
            lines += ["", "Opportunities:", ""]
            lines += [_note(n, votes) for n in row["opportunities"]] or ["- none"]
    for lane in journey["lanes"]:
        if lane["paired"]:
            continue
        for cell in lane["cells"]:
            if cell["notes"]:
                title = f"{lane['title']} · {cell['stage']}" if lane["title"] else cell["stage"]
                lines += ["", f"### {text(title)}", ""]
                lines += [_note(n, votes) for n in cell["notes"]]
