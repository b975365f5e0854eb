"""Opportunities, the matrix, the ranking and actions in the summary and every export.

Registered into boards/exports (SUMMARY_PARTS, MARKDOWN_PARTS, CSV_PARTS) at
start-up; the summary page and the PDF include decisions/_summary_decisions.html,
the JSON carries `summary["decisions"]`. Everything comes from the reader's
snapshots (boards.visibility.reader_of: an observer, who sees every score).
"""

import datetime

from boards.exports import CSV_PARTS, MARKDOWN_PARTS, SUMMARY_PARTS
from decisions import analysis
from decisions.matrix import matrix_rows, matrix_svg
from decisions.models import SuggestedCluster

NEGATIVE_NOTES = 5
QUADRANT_TITLES = {"do first": "Do first", "plan": "Plan", "quick wins": "Quick wins", "drop": "Drop"}


def _fmt(value) -> str | None:
    return None if value is None else f"{value:.1f}"


def decisions_summary(workshop, snapshots: list[dict]) -> dict:
    notes = {n["id"]: (s, n) for s in snapshots for n in s["notes"]}
    first = snapshots[0] if snapshots else {"opportunities": [], "actions": [], "action_review": []}
    actions_by_opportunity: dict[int, list] = {}
    today = datetime.date.today().isoformat()
    actions = []
    for a in first.get("actions", []):
        row = {
            **a,
            "owner_name": a["owner"]["name"],
            "overdue": bool(a["due"] and a["due"] < today and a["status"] != "done"),
        }
        actions.append(row)
        actions_by_opportunity.setdefault(a["opportunity"], []).append(row)
    opportunities = []
    for o in first.get("opportunities", []):
        sources = []
        for src in o["sources"]:
            board, note = notes.get(src["note"], (None, None))
            sources.append(
                {
                    "text": note["text"] if note else None,
                    "board": board["title"] if board else None,
                    "note": src["note"],
                }
            )
        opportunities.append({**o, "sources": sources, "actions": actions_by_opportunity.get(o["id"], [])})
    matrices = []
    for s in snapshots:
        if "prioritisation" not in s:
            continue
        rows = matrix_rows(s, sees_all=True)
        matrices.append(
            {
                "board": s["title"],
                "svg": matrix_svg(rows),
                "effort": s["prioritisation"]["effort"],
                "ranking": [
                    {
                        **r,
                        "quadrant_title": QUADRANT_TITLES.get(r["quadrant"], ""),
                        "impact_text": _fmt(r["impact"]),
                        "value_text": _fmt(r["value"]),
                        "effort_text": _fmt(r["effort"]),
                    }
                    for r in rows
                ],
            }
        )
    suggested = set(
        SuggestedCluster.objects.filter(board__workshop=workshop).values_list("cluster_id", flat=True)
    )
    suggested_groups = [
        {"board": s["title"], "title": c["title"] or "Untitled group"}
        for s in snapshots
        for c in s.get("clusters", [])
        if c["id"] in suggested
    ]
    all_notes = [n for s in snapshots for n in s["notes"]]
    negative = [
        {"text": n["text"], "compound": n["compound"], "board": notes[n["id"]][0]["title"]}
        for n in analysis.most_negative(all_notes, NEGATIVE_NOTES)
    ]
    present = bool(opportunities or actions or matrices or first.get("action_review"))
    return {
        "decisions": {
            "present": present,
            "opportunities": opportunities,
            "matrices": matrices,
            "actions": actions,
            "review": first.get("action_review", []),
            "suggested_groups": suggested_groups,
            "most_negative": negative,
            "sentiment_language": analysis.LANGUAGE,
        }
    }


def _text(value) -> str:
    # The Markdown exporter's own escaping, so a note cannot inject markup.
    from boards.exports.markdown import text

    return text(value)


def decisions_markdown(summary: dict) -> list[str]:
    d = summary.get("decisions")
    if not d:
        return []
    lines: list[str] = []
    if d["review"]:
        lines += ["", "## Last time's actions", ""]
        for r in d["review"]:
            outcome = {"done": "done", "carried": "carried on"}.get(r["outcome"], "not reviewed")
            due = f", due {r['due']}" if r["due"] else ""
            lines.append(
                f"- {_text(r['title'])} — {_text(r['owner'])}{due} (from {_text(r['from_workshop'])}): {outcome}"
            )
    if d["opportunities"]:
        lines += ["", "## Opportunities", ""]
        for o in d["opportunities"]:
            lines.append(
                f"- **{_text(o['title'])}**" + (f": {_text(o['description'])}" if o["description"] else "")
            )
            for src in o["sources"]:
                where = f" ({_text(src['board'])})" if src["board"] else ""
                lines.append(
                    f"  - from: {_text(src['text']) if src['text'] is not None else '*a deleted note*'}{where}"
                )
    for m in d["matrices"]:
        lines += ["", f"## Prioritisation: {_text(m['board'])}", ""]
        lines += [
            "| rank | opportunity | customer impact | business value | people | quadrant |",
            "| ---: | --- | ---: | ---: | ---: | --- |",
        ]
        for r in m["ranking"]:
            lines.append(
                f"| {r['rank'] or '–'} | {_text(r['title'])} | {r['impact_text'] or '–'} | {r['value_text'] or '–'} "
                f"| {r['n']} | {r['quadrant_title'] or 'not scored'} |"
            )
    if d["actions"]:
        lines += ["", "## Actions", ""]
        for a in d["actions"]:
            due = f"due {a['due']}" + (" (overdue)" if a["overdue"] else "") if a["due"] else "no due date"
            lines.append(f"- {_text(a['title'])} — {_text(a['owner_name'])}, {due}, {a['status']}")
    if d["suggested_groups"]:
        lines += ["", "Groups accepted from suggestions (computed on the server): "
                  + ", ".join(_text(g["title"]) for g in d["suggested_groups"])]  # fmt: skip
    if d["most_negative"]:
        lines += ["", "## Most negative notes (sentiment hint, English only)", ""]
        lines += [f"- {_text(n['text'])} ({n['compound']:+.2f})" for n in d["most_negative"]]
    return lines


CSV_HEADER = ["opportunity rank", "opportunity", "customer impact", "business value", "people", "quadrant",
              "source notes", "action", "owner", "due", "status"]  # fmt: skip


def decisions_csv(summary: dict) -> list[list]:
    """A second table after the notes (a blank row between): one row per opportunity and action."""
    d = summary.get("decisions")
    if not d or not d["opportunities"]:
        return []
    ranking = {r["id"]: r for m in d["matrices"] for r in m["ranking"]}
    rows: list[list] = [[], CSV_HEADER]
    for o in d["opportunities"]:
        r = ranking.get(o["id"], {})
        sources = " | ".join(s["text"] if s["text"] is not None else "(deleted note)" for s in o["sources"])
        base = [r.get("rank") or "", o["title"], r.get("impact_text") or "", r.get("value_text") or "",
                r.get("n", 0), r.get("quadrant_title", ""), sources]  # fmt: skip
        if not o["actions"]:
            rows.append(base + ["", "", "", ""])
        for a in o["actions"]:
            rows.append(base + [a["title"], a["owner_name"], a["due"] or "", a["status"]])
    return rows


SUMMARY_PARTS.append(decisions_summary)
MARKDOWN_PARTS.append(decisions_markdown)
CSV_PARTS.append(decisions_csv)
