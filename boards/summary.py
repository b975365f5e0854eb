"""What a manager reads the day after: a workshop's summary as plain data.

`workshop_summary()` is pure: it turns the workshop row, its boards' snapshots
(already passed through boards.visibility.snapshot_for) and the facts gathered
from the op log into one dict. The summary page, the share page, the PDF, the
Markdown and the CSV are all rendered from that dict, so they cannot disagree.

Parts that other features add to snapshots are used when present and skipped
when not: votes and clusters (facilitation), stages, lanes and emotion curves
(journey maps).
"""

import importlib
from datetime import datetime

UNCLUSTERED = "Other notes"
PAIN_WORDS = ("pain",)
OPPORTUNITY_WORDS = ("opportunit", "idea", "gain")


def workshop_summary(workshop, snapshots: list[dict], activity: dict | None = None) -> dict:
    """The summary of a workshop: persona, ranked notes per place, curves, who and when.

    `activity` holds what only the op log and the participants table know:
    `participants` ([{name, role}]), `first_op_at`, `last_op_at` (datetimes or
    None) and `phases` (names in the order they first ran).
    """
    activity = activity or {}
    anonymous = bool(getattr(workshop, "anonymous", False))
    boards = [_board(snapshot, anonymous) for snapshot in snapshots]
    personas = [p for board in boards for p in board["personas"]]
    people = activity.get("participants", [])
    first, last = activity.get("first_op_at"), activity.get("last_op_at")
    return {
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "team": getattr(workshop.team, "name", ""),
            "created_at": workshop.created_at,
            "closed_at": workshop.closed_at,
            "status": "closed" if workshop.closed_at else "open",
            "anonymous": anonymous,
        },
        "persona": next((p for p in personas if p["name"]), personas[0] if personas else None),
        "boards": boards,
        "note_count": sum(board["note_count"] for board in boards),
        "has_votes": any(board["has_votes"] for board in boards),
        "participation": {
            "count": len(people),
            # In an anonymous workshop even the list of names would say who wrote
            # when only a few took part; the count is all a reader gets.
            "names": None if anonymous else [p["name"] for p in people],
        },
        "timing": {
            "first_op_at": first,
            "last_op_at": last,
            "duration": _duration(first, last),
        },
        "phases": list(activity.get("phases", [])),
    }


def _duration(first: datetime | None, last: datetime | None) -> str:
    if first is None or last is None:
        return ""
    minutes = round((last - first).total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _votes(note: dict) -> int:
    votes = note.get("votes", 0)
    return votes if isinstance(votes, int) and not isinstance(votes, bool) else 0


def ranked(notes: list[dict]) -> list[dict]:
    """Most votes first; ties keep board order."""
    return sorted(notes, key=lambda n: -n["votes"])


def _board(snapshot: dict, anonymous: bool) -> dict:
    sections = {s["key"]: s for s in snapshot.get("sections", [])}
    clusters = {c["id"]: c for c in snapshot.get("clusters", []) if "id" in c}
    stages = {s["key"]: s for s in snapshot.get("stages", []) if "key" in s}
    lanes = {lane["key"]: lane for lane in snapshot.get("lanes", []) if "key" in lane}
    notes = []
    for note in snapshot.get("notes", []):
        author = note.get("author") or {}
        cluster = clusters.get(note.get("cluster"))
        lane_key = note.get("lane") or note.get("section")
        notes.append(
            {
                "id": note["id"],
                "text": note.get("text", ""),
                "color": note.get("color", ""),
                "section": note.get("section", ""),
                "section_title": sections.get(note.get("section"), {}).get("title", note.get("section", "")),
                "stage": note.get("stage"),
                "stage_title": stages.get(note.get("stage"), {}).get("title", note.get("stage") or ""),
                "lane": lane_key if lanes else None,
                "lane_title": lanes.get(lane_key, {}).get("title", "") if lanes else "",
                "author": None if anonymous else author.get("name"),
                "votes": _votes(note),
                "cluster": cluster["id"] if cluster else None,
                "cluster_title": (cluster.get("title") or "Untitled group") if cluster else "",
                "created_at": note.get("created_at", ""),
            }
        )
    board = {
        "id": snapshot["id"],
        "kind": snapshot.get("kind", ""),
        "title": snapshot.get("title", ""),
        "seq": snapshot.get("seq", 0),
        "personas": [
            {"id": p.get("id"), "name": p.get("name", ""), "details": _details(p.get("details"))}
            for p in snapshot.get("personas", [])
        ],
        "notes": notes,
        "note_count": len(notes),
        "has_votes": any("votes" in n for n in snapshot.get("notes", [])),
        "top_clusters": _clusters(notes)[:5],
        "sections": [
            {
                "key": key,
                "title": section.get("title", key),
                "prompt": section.get("prompt", ""),
                **_grouped([n for n in notes if n["section"] == key and not n["stage"]]),
            }
            for key, section in sections.items()
        ],
        "journey": _journey(snapshot, notes) if "stages" in snapshot else None,
    }
    # A journey board places its notes in cells; its sections stay for notes that have no stage.
    board["sections"] = [s for s in board["sections"] if s["notes"] or board["journey"] is None]
    return board


def _details(details) -> list[tuple[str, str]]:
    """Persona detail fields worth printing, as (label, value) pairs."""
    if not isinstance(details, dict):
        return []
    return [(str(k).replace("_", " ").capitalize(), str(v)) for k, v in details.items() if v]


def _clusters(notes: list[dict]) -> list[dict]:
    """Clusters with their notes, most voted first (a cluster's votes are its notes' votes)."""
    groups: dict = {}
    for note in notes:
        if note["cluster"] is not None:
            group = groups.setdefault(
                note["cluster"], {"id": note["cluster"], "title": note["cluster_title"], "notes": []}
            )
            group["notes"].append(note)
    result = [
        {**g, "votes": sum(n["votes"] for n in g["notes"]), "notes": ranked(g["notes"])}
        for g in groups.values()
    ]
    return sorted(result, key=lambda g: -g["votes"])


def _grouped(notes: list[dict]) -> dict:
    return {
        "in_order": notes,
        "notes": ranked(notes),
        "clusters": _clusters(notes),
        "unclustered": ranked([n for n in notes if n["cluster"] is None]),
    }


def _matches(lane: dict, words) -> bool:
    name = f"{lane.get('key', '')} {lane.get('title', '')}".lower()
    return any(word in name for word in words)


def _journey(snapshot: dict, notes: list[dict]) -> dict:
    stages = [s for s in snapshot.get("stages", []) if "key" in s]
    lanes = [lane for lane in snapshot.get("lanes", []) if "key" in lane]

    def cell(stage_key, lane_key):
        return ranked(
            [n for n in notes if n["stage"] == stage_key and (lane_key is None or n["lane"] == lane_key)]
        )

    moments = set(snapshot.get("moments_of_truth", []))
    moments |= {s["key"] for s in stages if s.get("moment_of_truth")}
    pains = [lane["key"] for lane in lanes if _matches(lane, PAIN_WORDS)]
    opportunities = [lane["key"] for lane in lanes if _matches(lane, OPPORTUNITY_WORDS)]
    curves, svg = _curves(snapshot)
    return {
        "stages": [
            {"key": s["key"], "title": s.get("title", s["key"]), "moment_of_truth": s["key"] in moments}
            for s in stages
        ],
        "lanes": [
            {
                "key": lane["key"],
                "title": lane.get("title", lane["key"]),
                # Pain point and opportunity lanes are shown side by side per stage already.
                "paired": lane["key"] in pains or lane["key"] in opportunities,
                "cells": [
                    {"stage": s.get("title", s["key"]), "notes": cell(s["key"], lane["key"])} for s in stages
                ],
            }
            for lane in (lanes or [{"key": None, "title": ""}])
        ],
        "moments_of_truth": [s.get("title", s["key"]) for s in stages if s["key"] in moments],
        "pains_vs_opportunities": [
            {
                "stage": s.get("title", s["key"]),
                "moment_of_truth": s["key"] in moments,
                "pains": ranked([n for n in notes if n["stage"] == s["key"] and n["lane"] in pains]),
                "opportunities": ranked(
                    [n for n in notes if n["stage"] == s["key"] and n["lane"] in opportunities]
                ),
            }
            for s in stages
        ]
        if pains or opportunities
        else [],
        "curves": curves,
        "curve_svg": svg,
    }


def curve_module():
    """boards.curve, or None while it does not exist yet."""
    try:
        curve = importlib.import_module("boards.curve")
    except ModuleNotFoundError as exc:
        if exc.name != "boards.curve":
            raise
        # the journey module provides the curve; until it is merged a journey
        # summary simply has no curve.
        return None
    return curve


def _curves(snapshot: dict) -> tuple[list[dict], str]:
    """Each persona's emotion curve with its low point, and the chart as SVG."""
    curve = curve_module()
    if curve is None:
        return [], ""
    curves = []
    for persona in snapshot.get("personas", []):
        points = [_point(p) for p in curve.emotion_curve(snapshot, persona["id"]) or []]
        points = [p for p in points if p is not None]
        scored = [p for p in points if p["score"] is not None]
        low = min(scored, key=lambda p: p["score"]) if scored else None
        curves.append({"persona": persona.get("name") or "Persona", "points": points, "low": low})
    return curves, curve.curve_svg(snapshot) or ""


def _point(point) -> dict | None:
    """One stage of a curve, whatever names the journey module gives its fields."""
    if not isinstance(point, dict):
        return None
    score = next(
        (point[k] for k in ("mean", "average", "score", "value") if isinstance(point.get(k), int | float)),
        None,
    )
    stage = point.get("title") or point.get("stage_title") or point.get("stage") or ""
    return {
        "stage": str(stage),
        "score": round(score, 1) if score is not None else None,
        "count": point.get("count"),
    }
