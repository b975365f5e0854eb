"""The emotion curve of a journey map: numbers per stage, and the SVG everyone sees.

Both are pure functions of a board snapshot (as a viewer may see it, see
boards/visibility.py), so the page, the REST API and the exports draw the same
curve from the same math.

Definitions (docs/protocol.md §6, "The curve"):
- per stage and persona: count, mean, min, max and the *population* standard
  deviation (the spread of the room's scores; 0 for a single score) of the
  scores given; all null but count (0) when nobody scored there;
- moments of truth: the stage(s) with the lowest mean, ties included, among
  the stages with at least one score; none when nobody has scored yet.
"""

import math
from xml.sax.saxutils import escape, quoteattr

from boards.models import MAX_EMOTION_SCORE, MIN_EMOTION_SCORE


def persona_label(snapshot: dict, persona: dict) -> str:
    if persona.get("name"):
        return persona["name"]
    return f"Persona {snapshot['personas'].index(persona) + 1}"


def emotion_curve(snapshot: dict, persona_id: int) -> dict:
    """One persona's curve: the numbers per stage and its moments of truth."""
    persona = next((p for p in snapshot["personas"] if p["id"] == persona_id), None)
    if persona is None:
        raise KeyError(f"no persona {persona_id} on this board")
    by_stage: dict[str, list[int]] = {}
    for s in snapshot.get("emotion_scores", []):
        if s["persona"] == persona_id:
            by_stage.setdefault(s["stage"], []).append(s["score"])
    stages = []
    for stage in snapshot.get("stages", []):
        scores = by_stage.get(stage["key"], [])
        point = {"stage": stage["key"], "title": stage["title"], "count": len(scores)}
        if scores:
            mean = sum(scores) / len(scores)
            point.update(
                mean=mean,
                min=min(scores),
                max=max(scores),
                sd=math.sqrt(sum((x - mean) ** 2 for x in scores) / len(scores)),
            )
        else:
            point.update(mean=None, min=None, max=None, sd=None)
        stages.append(point)
    scored = [p for p in stages if p["count"]]
    lowest = min((p["mean"] for p in scored), default=None)
    for point in stages:
        point["moment_of_truth"] = bool(point["count"]) and point["mean"] == lowest
    return {
        "persona": {"id": persona["id"], "name": persona_label(snapshot, persona), "color": persona["color"]},
        "stages": stages,
        "moments_of_truth": [p["stage"] for p in stages if p["moment_of_truth"]],
    }


def format_score(value: float) -> str:
    """+1.0, 0.0, −2.4 (a real minus sign, as people read it)."""
    if abs(value) < 0.05:
        return "0.0"
    return f"{value:+.1f}".replace("-", "\u2212")


def _describe(curve: dict) -> str:
    parts = []
    for p in curve["stages"]:
        if p["count"]:
            parts.append(
                f"{p['title']} {format_score(p['mean'])} "
                f"({p['count']} score{'s' if p['count'] != 1 else ''}, "
                f"from {format_score(p['min'])} to {format_score(p['max'])})"
            )
        else:
            parts.append(f"{p['title']} no scores")
    lows = [p for p in curve["stages"] if p["moment_of_truth"]]
    text = f"{curve['persona']['name']}: " + "; ".join(parts) + "."
    if lows:
        text += (
            " Moment of truth: " + ", ".join(f"{p['title']} ({format_score(p['mean'])})" for p in lows) + "."
        )
    return text


def _runs(points: list[tuple[int, dict]]) -> list[list[tuple[int, dict]]]:
    """Consecutive stages that have scores: a line is not drawn across a stage nobody scored."""
    runs: list[list[tuple[int, dict]]] = []
    for i, p in points:
        if not p["count"]:
            continue
        if runs and runs[-1][-1][0] == i - 1:
            runs[-1].append((i, p))
        else:
            runs.append([(i, p)])
    return runs


def curve_svg(
    snapshot: dict,
    persona_ids: list[int] | None = None,
    *,
    width: int = 760,
    height: int = 320,
    compact: bool = False,
    id_prefix: str = "curve",
) -> str:
    """The curves of the board's personas (all, or those named) as one SVG document.

    Stages are equal-width columns, each point at its column's centre, so that
    with `compact` (no axis gutter, no stage labels, no legend) the drawing lines
    up with the page's grid of stages.
    """
    personas = [p for p in snapshot["personas"] if persona_ids is None or p["id"] in persona_ids]
    curves = [emotion_curve(snapshot, p["id"]) for p in personas]
    stages = snapshot.get("stages", [])
    n = max(len(stages), 1)
    left, right = (0, 0) if compact else (48, 16)
    top = 14 if compact else 40
    bottom = 14 if compact else 44
    plot_w, plot_h = width - left - right, height - top - bottom
    col = plot_w / n

    def x(i: int) -> float:
        return round(left + (i + 0.5) * col, 1)

    def y(score: float) -> float:
        return round(top + (MAX_EMOTION_SCORE - score) / (MAX_EMOTION_SCORE - MIN_EMOTION_SCORE) * plot_h, 1)

    names = ", ".join(c["persona"]["name"] for c in curves) or "no persona"
    title = f"Emotion curve: {names}"
    desc = " ".join(_describe(c) for c in curves) or "No persona is shown."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" class="emotion-curve">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
    ]
    # The scale: a line per score, zero stronger; in compact mode the labels sit inside the plot.
    out.append('<g class="scale" aria-hidden="true">')
    for score in range(MIN_EMOTION_SCORE, MAX_EMOTION_SCORE + 1):
        stroke = 'stroke="#9ca3af" stroke-dasharray="4 3"' if score == 0 else 'stroke="#e5e7eb"'
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(score)}" y2="{y(score)}" {stroke}/>')
        label = f"{score:+d}".replace("-", "\u2212") if score else "0"
        if compact:
            out.append(f'<text x="4" y="{y(score) - 3}" font-size="10" fill="#6b7280">{label}</text>')
        else:
            out.append(
                f'<text x="{left - 8}" y="{y(score) + 4}" font-size="12" fill="#5b5e6b" '
                f'text-anchor="end">{label}</text>'
            )
    if not compact:
        for i, stage in enumerate(stages):
            out.append(
                f'<text x="{x(i)}" y="{height - bottom + 22}" font-size="12" fill="#1c1d22" '
                f'text-anchor="middle">{escape(stage["title"][:24])}</text>'
            )
    out.append("</g>")

    for k, curve in enumerate(curves):
        color = quoteattr(curve["persona"]["color"])
        points = list(enumerate(curve["stages"]))
        out.append(f'<g class="persona" data-persona="{curve["persona"]["id"]}">')
        for run in _runs(points):
            if len(run) == 1:
                (i, p) = run[0]
                out.append(
                    f'<rect x="{x(i) - 7}" y="{y(p["max"])}" width="14" height="{round(y(p["min"]) - y(p["max"]), 1)}" '
                    f'rx="7" fill={color} fill-opacity="0.16"/>'
                )
                continue
            upper = " ".join(f"{x(i)},{y(p['max'])}" for i, p in run)
            lower = " ".join(f"{x(i)},{y(p['min'])}" for i, p in reversed(run))
            out.append(f'<polygon points="{upper} {lower}" fill={color} fill-opacity="0.16"/>')
            line = " ".join(f"{x(i)},{y(p['mean'])}" for i, p in run)
            out.append(
                f'<polyline points="{line}" fill="none" stroke={color} stroke-width="3" '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        for i, p in points:
            if not p["count"]:
                continue
            tip = (
                f"{curve['persona']['name']} at {p['title']}: {format_score(p['mean'])} "
                f"({p['count']} score{'s' if p['count'] != 1 else ''}, "
                f"{format_score(p['min'])} to {format_score(p['max'])})"
            )
            if p["moment_of_truth"]:
                out.append(
                    f'<circle cx="{x(i)}" cy="{y(p["mean"])}" r="10" fill="none" stroke={color} '
                    f'stroke-width="2" class="moment-of-truth"/>'
                )
                label_y = min(y(p["mean"]) + 24 + 12 * k, height - 4)
                out.append(
                    f'<text x="{x(i)}" y="{label_y}" font-size="11" font-weight="600" fill={color} '
                    f'text-anchor="middle">Moment of truth</text>'
                )
            out.append(
                f'<circle cx="{x(i)}" cy="{y(p["mean"])}" r="5" fill={color} stroke="#fff" '
                f'stroke-width="2"><title>{escape(tip)}</title></circle>'
            )
        out.append("</g>")

    if not compact and curves:
        lx = left
        for curve in curves:
            name = escape(curve["persona"]["name"][:30])
            out.append(
                f'<rect x="{lx}" y="12" width="12" height="12" rx="3" fill={quoteattr(curve["persona"]["color"])}/>'
            )
            out.append(f'<text x="{lx + 18}" y="22" font-size="13" fill="#1c1d22">{name}</text>')
            lx += 30 + 8 * len(curve["persona"]["name"][:30])
    if not any(p["count"] for c in curves for p in c["stages"]):
        out.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2 - 8}" font-size="13" fill="#6b7280" '
            f'text-anchor="middle">No scores yet</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
