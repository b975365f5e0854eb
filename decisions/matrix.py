"""The prioritisation matrix as numbers and as SVG: pure functions of a board snapshot.

The snapshot is the one a reader may see (boards/visibility.py), so the page,
the summary and every export agree. static/decisions/decisions-state.js draws
the same numbers in the browser (`matrixRows`).

Definitions (docs/decisions.md, "The matrix"):
- per opportunity: n (people who scored), mean and population standard deviation
  of customer impact and of business value (and of effort when scored);
- quadrants, with 3 (the middle of 1–5) counting as high: do first (impact and
  value high), plan (impact high, value low: make the business case), quick wins
  (value high, impact low), drop (both low);
- ranking: by mean impact × mean value, highest first; ties by lower effort,
  then by more people, then by the older opportunity.
"""

import math
from xml.sax.saxutils import escape

QUADRANTS = {
    (True, True): "do first",
    (True, False): "plan",
    (False, True): "quick wins",
    (False, False): "drop",
}
HIGH_FROM = 3


def _stats(values: list[int]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def quadrant(impact: float, value: float) -> str:
    return QUADRANTS[(impact >= HIGH_FROM, value >= HIGH_FROM)]


def matrix_rows(snapshot: dict, sees_all: bool = True) -> list[dict]:
    """One row per opportunity, ranked; one without (visible) means has no rank.

    `sees_all`: the reader is a facilitator or an observer (summaries and
    exports read as observers); for a participant an opportunity below the
    respondent floor, or scored privately, shows no mean, not even their own.
    """
    p = snapshot.get("prioritisation") or {"scores": [], "counts": {}}
    rows = []
    for o in snapshot.get("opportunities", []):
        scores = [s for s in p["scores"] if s["opportunity"] == o["id"]]
        count = p["counts"].get(str(o["id"]), 0)
        impact, impact_sd = _stats([s["impact"] for s in scores])
        value, value_sd = _stats([s["value"] for s in scores])
        effort, _ = _stats([s["effort"] for s in scores if s.get("effort") is not None])
        # Fewer scores than people who scored: the floor or private scoring hid
        # the room's, so a mean would only be the reader's own.
        complete = (
            bool(scores)
            and len(scores) >= count
            and (sees_all or (not p.get("private") and count >= p.get("floor", 1)))
        )
        rows.append(
            {
                "id": o["id"],
                "title": o["title"],
                "n": count,
                "impact": impact if complete else None,
                "value": value if complete else None,
                "impact_sd": impact_sd if complete else None,
                "value_sd": value_sd if complete else None,
                "effort": effort if complete else None,
                "quadrant": quadrant(impact, value) if complete else None,
                "rank": None,
            }
        )
    ranked = sorted(
        (r for r in rows if r["impact"] is not None),
        key=lambda r: (
            -r["impact"] * r["value"],
            r["effort"] if r["effort"] is not None else 0,
            -r["n"],
            r["id"],
        ),
    )
    for i, row in enumerate(ranked, start=1):
        row["rank"] = i
    return ranked + [r for r in rows if r["impact"] is None]


# --- SVG ---------------------------------------------------------------------------------

SIZE = 420
PAD = 48


def _x(value: float) -> float:
    return PAD + (value - 1) / 4 * (SIZE - 2 * PAD)


def _y(impact: float) -> float:
    return SIZE - PAD - (impact - 1) / 4 * (SIZE - 2 * PAD)


def matrix_svg(rows: list[dict]) -> str:
    """The 2×2 matrix with each ranked opportunity at its mean, its spread as an ellipse."""
    mid_x, mid_y = _x(HIGH_FROM), _y(HIGH_FROM)
    unit = (SIZE - 2 * PAD) / 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        'role="img" aria-label="Prioritisation matrix: customer impact against business value">',
        f'<rect x="{PAD}" y="{PAD}" width="{SIZE - 2 * PAD}" height="{SIZE - 2 * PAD}" fill="#fafafa" stroke="#999"/>',
        f'<rect x="{mid_x}" y="{PAD}" width="{SIZE - PAD - mid_x}" height="{mid_y - PAD}" fill="#e6f4ea"/>',
        f'<line x1="{mid_x}" y1="{PAD}" x2="{mid_x}" y2="{SIZE - PAD}" stroke="#999" stroke-dasharray="4 3"/>',
        f'<line x1="{PAD}" y1="{mid_y}" x2="{SIZE - PAD}" y2="{mid_y}" stroke="#999" stroke-dasharray="4 3"/>',
    ]
    labels = [
        ("Do first", SIZE - PAD - 6, PAD + 16, "end"),
        ("Plan", PAD + 6, PAD + 16, "start"),
        ("Quick wins", SIZE - PAD - 6, SIZE - PAD - 8, "end"),
        ("Drop", PAD + 6, SIZE - PAD - 8, "start"),
    ]
    for text, x, y, anchor in labels:
        parts.append(
            f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="13" font-weight="bold" fill="#555">{text}</text>'
        )
    parts.append(
        f'<text x="{SIZE / 2}" y="{SIZE - 12}" text-anchor="middle" font-size="13">Business value →</text>'
        f'<text x="14" y="{SIZE / 2}" text-anchor="middle" font-size="13" '
        f'transform="rotate(-90 14 {SIZE / 2})">Customer impact →</text>'
    )
    for row in rows:
        if row["rank"] is None:
            continue
        cx, cy = _x(row["value"]), _y(row["impact"])
        rx, ry = max(row["value_sd"] * unit, 0), max(row["impact_sd"] * unit, 0)
        if rx or ry:
            parts.append(
                f'<ellipse cx="{cx:.1f}" cy="{cy:.1f}" rx="{rx:.1f}" ry="{ry:.1f}" fill="#6d5dfc" fill-opacity="0.12" '
                'stroke="#6d5dfc" stroke-opacity="0.4"/>'
            )
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="11" fill="#6d5dfc"/>')
        parts.append(
            f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" font-size="11" fill="#fff" '
            f'font-weight="bold">{row["rank"]}</text>'
        )
        parts.append(f"<title>{escape(row['title'])}</title>")
    parts.append("</svg>")
    return "".join(parts)
