"""What a manager reads the day after: a workshop's summary as plain data.

`workshop_summary()` is pure: it turns the workshop row, its boards' snapshots
(already passed through boards.visibility.snapshot_for, so private notes,
hidden votes and anonymous authors are simply absent) and the facts gathered
from the op log into one dict. The summary page, the share page, the PDF, the
Markdown and the CSV are all rendered from that dict, so they cannot disagree.
"""

from collections import Counter
from datetime import datetime

from boards.curve import curve_points, curve_svg, emotion_curve, format_score
from boards.models import BoardKind, LaneKind, Phase

# The journey template's lanes (boards/builtin_templates.py) that the summary
# puts side by side per stage; lanes are named by key, which never changes.
PAIN_POINTS = "pain-points"
OPPORTUNITIES = "opportunities"
PARKING_LOT = "Parking lot"
TOP_CLUSTERS = 5


def workshop_summary(workshop, snapshots: list[dict], activity: dict | None = None) -> dict:
    """The summary of a workshop: persona, ranked notes per place, curves, who and when.

    `activity` holds what only the op log and the participants table know:
    `participants` ([{name, role}]), `first_op_at`, `last_op_at` (datetimes or
    None) and `phases` (phase keys that ran, see boards.exports.workshop_activity).
    """
    activity = activity or {}
    anonymous = bool(workshop.anonymous)
    boards = [_board(snapshot, anonymous) for snapshot in snapshots]
    personas = [p for board in boards for p in board["personas"]]
    people = activity.get("participants", [])
    first, last = activity.get("first_op_at"), activity.get("last_op_at")
    phases = list(activity.get("phases", []))
    return {
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "team": workshop.team.name,
            "created_at": workshop.created_at,
            "closed_at": workshop.closed_at,
            "status": "closed" if workshop.closed_at else "open",
            "anonymous": anonymous,
        },
        "persona": next((p for p in personas if p["name"]), personas[0] if personas else None),
        # One card per persona that has a name or details (a journey map follows several).
        "personas": [p for p in personas if p["name"] or p["details"]],
        "boards": boards,
        "note_count": sum(board["note_count"] for board in boards),
        "has_votes": any(board["vote_count"] for board in boards),
        # A vote ran but its results are still hidden: say so, or a reader
        # takes the missing ranking for a room that did not vote.
        "votes_hidden": Phase.VOTE in phases and any(board["votes_hidden"] for board in boards),
        "participation": {
            "count": len(people),
            # In an anonymous workshop even the list of names would say who wrote
            # when only a few took part; the count is all a reader gets.
            # The same once anything was given under anonymity, which is never taken back.
            "names": None if anonymous or _given_anonymously(snapshots) else [p["name"] for p in people],
        },
        "timing": {
            "first_op_at": first,
            "last_op_at": last,
            "duration": _duration(first, last),
        },
        "phases": phases,
        "phase_titles": [Phase(p).label for p in phases],
    }


def _given_anonymously(snapshots: list[dict]) -> bool:
    """Whether any note, vote or score of the workshop was made while anonymous mode was on."""
    return any(
        item.get("anonymous")
        for s in snapshots
        for key in ("notes", "votes", "emotion_scores")
        for item in s.get(key, [])
    )


def _duration(first: datetime | None, last: datetime | None) -> str:
    if first is None or last is None:
        return ""
    minutes = round((last - first).total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def ranked(notes: list[dict]) -> list[dict]:
    """Most votes first; ties keep board order."""
    return sorted(notes, key=lambda n: -n["votes"])


def _board(snapshot: dict, anonymous: bool) -> dict:
    sections = {s["key"]: s["title"] for s in snapshot["sections"]}
    stages = {s["key"]: s["title"] for s in snapshot.get("stages", [])}
    lanes = {lane["key"]: lane["title"] for lane in snapshot.get("lanes", [])}
    titles = {c["id"]: c["title"] or "Untitled group" for c in snapshot["clusters"]}
    votes = Counter(vote["note"] for vote in snapshot["votes"])
    notes = []
    for note in snapshot["notes"]:
        parked = note["section"] is None and note.get("stage") is None
        notes.append(
            {
                "id": note["id"],
                "text": note["text"],
                "color": note["color"],
                "section": note["section"],
                # Where the note sits, in words: its section, or the parking lot of a journey map.
                "section_title": PARKING_LOT if parked else sections.get(note["section"], ""),
                "stage": note.get("stage"),
                "stage_title": stages.get(note.get("stage"), ""),
                "lane": note.get("lane"),
                "lane_title": lanes.get(note.get("lane"), ""),
                "author": None if anonymous else (note["author"] or {}).get("name"),
                "votes": votes[note["id"]],
                "cluster": note["cluster"],
                "cluster_title": titles.get(note["cluster"], ""),
                "created_at": note["created_at"],
            }
        )
    clusters = _clusters(snapshot["clusters"], notes)
    journey = _journey(snapshot, notes) if snapshot["kind"] == BoardKind.JOURNEY_MAP else None
    facilitation = snapshot["facilitation"]
    return {
        "id": snapshot["id"],
        "kind": snapshot["kind"],
        "title": snapshot["title"],
        "seq": snapshot["seq"],
        "personas": [
            {"id": p["id"], "name": p["name"], "details": _details(p["details"])}
            for p in snapshot["personas"]
        ],
        "notes": notes,
        "note_count": len(notes),
        "vote_count": sum(votes.values()),
        "votes_hidden": facilitation["votes_hidden"] and not facilitation["votes_closed"],
        "clusters": clusters,
        "top_clusters": [c for c in clusters if c["votes"]][:TOP_CLUSTERS],
        "sections": [
            {
                "key": key,
                "title": title,
                "in_order": [n for n in notes if n["section"] == key],
                "notes": ranked([n for n in notes if n["section"] == key]),
                "unclustered": ranked([n for n in notes if n["section"] == key and n["cluster"] is None]),
            }
            for key, title in sections.items()
        ],
        "journey": journey,
    }


def _details(details: dict) -> list[tuple[str, str]]:
    """Persona detail fields worth printing, as (label, value) pairs."""
    return [(str(k).replace("_", " ").capitalize(), str(v)) for k, v in details.items() if v]


def _clusters(clusters: list[dict], notes: list[dict]) -> list[dict]:
    """The board's groups with their notes, most voted first (a group's votes are its notes' votes).

    A group can hold notes of several sections, so it is listed once per board.
    """
    result = []
    for cluster in clusters:
        members = [n for n in notes if n["cluster"] == cluster["id"]]
        if members:
            result.append(
                {
                    "id": cluster["id"],
                    "title": members[0]["cluster_title"],
                    "votes": sum(n["votes"] for n in members),
                    "notes": ranked(members),
                }
            )
    return sorted(result, key=lambda c: -c["votes"])


def _journey(snapshot: dict, notes: list[dict]) -> dict:
    stages = snapshot["stages"]
    note_lanes = [lane for lane in snapshot["lanes"] if lane["kind"] == LaneKind.NOTES]
    curves = [_curve(snapshot, p["id"]) for p in snapshot["personas"]]
    # A stage is a moment of truth for the personas whose curve is lowest there.
    lows = [[c["persona"] for c in curves if c["points"][i]["moment_of_truth"]] for i in range(len(stages))]

    def cell(stage_key, lane_key):
        return ranked([n for n in notes if n["stage"] == stage_key and n["lane"] == lane_key])

    return {
        "stages": [
            {"key": s["key"], "title": s["title"], "moment_of_truth_for": lows[i]}
            for i, s in enumerate(stages)
        ],
        "lanes": [
            {
                "key": lane["key"],
                "title": lane["title"],
                "kind": lane["kind"],
                # The emotion lane holds the curve, not notes: its cells are each persona's mean.
                "cells": [
                    {
                        "stage": s["title"],
                        "notes": cell(s["key"], lane["key"]) if lane["kind"] == LaneKind.NOTES else [],
                        "scores": [
                            {"persona": c["persona"], "score": c["points"][i]["score"]}
                            for c in curves
                            if c["points"][i]["count"]
                        ]
                        if lane["kind"] == LaneKind.EMOTION
                        else [],
                    }
                    for i, s in enumerate(stages)
                ],
            }
            for lane in snapshot["lanes"]
        ],
        # Shown side by side per stage (pains_vs_opportunities), so not again as cells.
        "other_cells": [
            {"lane": lane["title"], "stage": s["title"], "notes": cell(s["key"], lane["key"])}
            for lane in note_lanes
            if lane["key"] not in (PAIN_POINTS, OPPORTUNITIES)
            for s in stages
            if cell(s["key"], lane["key"])
        ],
        # The stages with something to say: notes in either lane, or a moment of truth.
        "pains_vs_opportunities": [
            row
            for row in (
                {
                    "stage": s["title"],
                    "moment_of_truth_for": lows[i],
                    "pains": cell(s["key"], PAIN_POINTS),
                    "opportunities": cell(s["key"], OPPORTUNITIES),
                }
                for i, s in enumerate(stages)
            )
            if row["pains"] or row["opportunities"] or row["moment_of_truth_for"]
        ]
        if {PAIN_POINTS, OPPORTUNITIES} & {lane["key"] for lane in note_lanes}
        else [],
        "parking_lot": [n for n in notes if n["section_title"] == PARKING_LOT],
        "curves": curves,
        "curve_rows": _curve_rows(snapshot),
        # The same drawing as the board page's and GET /api/v1/boards/<id>/curve.svg;
        # ids prefixed by board, as a page can hold several.
        "curve_svg": curve_svg(snapshot, id_prefix=f"curve-{snapshot['id']}") if snapshot["personas"] else "",
    }


def _curve_rows(snapshot: dict) -> list[dict]:
    """One row per stage × persona × curve: mean, s.d., min, max, n, the gap to the
    to-be curve, and the individual scores (only those this reader may see: the
    snapshot was redacted for them, and points under the floor show none)."""
    rows = []
    for persona in snapshot["personas"]:
        curve = emotion_curve(snapshot, persona["id"])
        # Both curves always: a to-be curve nobody may see yet still has its rows.
        to_be = curve["to_be"] or curve_points(snapshot, persona["id"], "to-be", False)
        for kind, points in (("as-is", curve["stages"]), ("to-be", to_be)):
            for point in points:
                scores = [
                    s["score"]
                    for s in snapshot.get("emotion_scores", [])
                    if s["persona"] == persona["id"]
                    and s["stage"] == point["stage"]
                    and s.get("curve", "as-is") == kind
                ]
                rows.append(
                    {
                        "stage": point["title"],
                        "persona": curve["persona"]["name"],
                        "curve": kind,
                        **{k: point[k] for k in ("mean", "sd", "min", "max", "count", "below_floor")},
                        "gap": point.get("gap"),
                        "scores": scores if point["count"] else [],
                    }
                )
    return rows


def _curve(snapshot: dict, persona_id: int) -> dict:
    """One persona's curve from boards.curve, with scores as people read them (+1.3, −2.4)."""
    curve = emotion_curve(snapshot, persona_id)
    points = [
        {
            "stage": p["title"],
            "count": p["count"],
            "score": format_score(p["mean"]) if p["count"] else None,
            "spread": f"{format_score(p['min'])} to {format_score(p['max'])}" if p["count"] else "",
            "moment_of_truth": p["moment_of_truth"],
        }
        for p in curve["stages"]
    ]
    return {
        "persona": curve["persona"]["name"],
        "color": curve["persona"]["color"],
        "points": points,
        "moments_of_truth": [p["stage"] for p in points if p["moment_of_truth"]],
    }
