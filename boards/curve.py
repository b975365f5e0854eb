"""The emotion curves of a journey map: numbers per stage, and the one drawing everyone sees.

Pure functions of a board snapshot as a viewer may see it (boards/visibility.py).
static/js/curve-math.js is this module's twin line by line: the page computes
and draws the curves from the state it holds, and tests/journey/test_curve_js_parity.py
proves that page, SVG, PNG and PDF (all made from this SVG) draw the same thing.

Definitions (docs/protocol.md §6, "The curve"):
- a point is a stage of one persona's curve, "as-is" (today) or "to-be" (the aim);
- per point: count, mean, min, max and the *population* standard deviation;
  the band is mean ± 1 s.d., clipped to the scale (docs/protocol.md says why);
- the respondent floor: a point with fewer scores than the board's floor shows no
  numbers (mean null, count 0, below_floor true) unless `everything` (facilitators,
  who see the numbers with below_floor still set);
- moments of truth: the stage(s) with the lowest as-is mean, ties included;
- the gap at a stage: to-be mean − as-is mean, where both are shown.

Numbers that are drawn are rounded half up to one decimal (`r1`), in Python and JS alike.
"""

import math
from xml.sax.saxutils import escape, quoteattr

from boards.models import MAX_EMOTION_SCORE, MIN_EMOTION_SCORE

CURVES = ("as-is", "to-be")
LABEL_GAP = 12  # px between two labels' baselines in a stage column


def r1(value: float) -> float:
    """Half up to one decimal: the same float in Python and JS (no banker's rounding)."""
    return math.floor(value * 10 + 0.5) / 10


def num(value: float) -> str:
    """A coordinate as SVG text: 12, 12.5, -3 (the same string in Python and JS)."""
    text = f"{r1(value):.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def format_score(value: float) -> str:
    """+1.0, 0.0, −2.4 (a real minus sign, as people read it)."""
    value = r1(value)
    if abs(value) < 0.05:
        return "0.0"
    return f"{value:+.1f}".replace("-", "\u2212")


def persona_label(snapshot: dict, persona: dict) -> str:
    if persona.get("name"):
        return persona["name"]
    return f"Persona {snapshot['personas'].index(persona) + 1}"


def respondent_floor(snapshot: dict) -> int:
    """The board's floor; a bare list of scores (no settings) has none."""
    return (snapshot.get("journey_settings") or {}).get("respondent_floor", 1)


def _stats(scores: list[int]) -> dict:
    if not scores:
        return {"mean": None, "sd": None, "min": None, "max": None, "low": None, "high": None}
    mean = sum(scores) / len(scores)
    # A plain loop of products: the same float, step by step, as the JS twin gets.
    squares = 0.0
    for x in scores:
        squares += (x - mean) * (x - mean)
    sd = math.sqrt(squares / len(scores))
    return {
        "mean": mean,
        "sd": sd,
        "min": min(scores),
        "max": max(scores),
        "low": max(MIN_EMOTION_SCORE, mean - sd),
        "high": min(MAX_EMOTION_SCORE, mean + sd),
    }


def curve_points(snapshot: dict, persona_id: int, curve: str, everything: bool) -> list[dict]:
    floor = respondent_floor(snapshot)
    by_stage: dict[str, list[int]] = {}
    for s in snapshot.get("emotion_scores", []):
        if s["persona"] == persona_id and s.get("curve", "as-is") == curve:
            by_stage.setdefault(s["stage"], []).append(s["score"])
    points = []
    for stage in snapshot.get("stages", []):
        scores = by_stage.get(stage["key"], [])
        below = 0 < len(scores) < floor
        if below and not everything:
            scores = []
        points.append(
            {
                "stage": stage["key"],
                "title": stage["title"],
                "count": len(scores),
                **_stats(scores),
                "below_floor": below,
            }
        )
    return points


def emotion_curve(snapshot: dict, persona_id: int, *, everything: bool = False) -> dict:
    """One persona's curves: as-is points (`stages`), to-be points, gaps, moments of truth."""
    persona = next((p for p in snapshot["personas"] if p["id"] == persona_id), None)
    if persona is None:
        raise KeyError(f"no persona {persona_id} on this board")
    stages = curve_points(snapshot, persona_id, "as-is", everything)
    to_be = curve_points(snapshot, persona_id, "to-be", everything)
    lowest = min((p["mean"] for p in stages if p["count"]), default=None)
    for point, target in zip(stages, to_be, strict=True):
        point["moment_of_truth"] = bool(point["count"]) and point["mean"] == lowest
        both = point["count"] and target["count"]
        point["gap"] = target["mean"] - point["mean"] if both else None
    return {
        "persona": {"id": persona["id"], "name": persona_label(snapshot, persona), "color": persona["color"]},
        "stages": stages,
        "to_be": to_be if any(p["count"] for p in to_be) else None,
        "moments_of_truth": [p["stage"] for p in stages if p["moment_of_truth"]],
        "respondent_floor": respondent_floor(snapshot),
    }


def _scores_text(p: dict) -> str:
    return f"{p['count']} score{'s' if p['count'] != 1 else ''}"


def describe(curve: dict) -> str:
    """A persona's curves in words (the SVG's <desc>, for screen readers)."""
    parts = []
    for i, p in enumerate(curve["stages"]):
        if p["count"]:
            text = f"{p['title']} {format_score(p['mean'])} ({_scores_text(p)}, \u00b1{r1(p['sd']):.1f} s.d.)"
        elif p["below_floor"]:
            text = f"{p['title']} too few scores to show"
        else:
            text = f"{p['title']} no scores"
        target = (curve["to_be"] or [None] * len(curve["stages"]))[i]
        if target and target["count"]:
            text += f", to-be {format_score(target['mean'])}"
        parts.append(text)
    text = f"{curve['persona']['name']}: " + "; ".join(parts) + "."
    lows = [p for p in curve["stages"] if p["moment_of_truth"]]
    if lows:
        text += (
            " Moment of truth: " + ", ".join(f"{p['title']} ({format_score(p['mean'])})" for p in lows) + "."
        )
    return text


def spread_labels(wanted: list[float], top: float, bottom: float) -> list[float]:
    """Baselines for labels wanted at `wanted` (one stage column), at least LABEL_GAP
    apart, within top..bottom, each as near its wish as the others allow; input order kept."""
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
    placed = [0.0] * len(wanted)
    last = None
    for i in order:
        y = max(wanted[i], top) if last is None else max(wanted[i], last + LABEL_GAP, top)
        placed[i] = y
        last = y
    below = None
    for i in reversed(order):
        y = min(placed[i], bottom) if below is None else min(placed[i], below - LABEL_GAP, bottom)
        placed[i] = y
        below = y
    return placed


def curve_layout(
    snapshot, persona_ids=None, *, width=760, height=320, compact=False, everything=False
) -> dict:
    """Where everything of the drawing goes: one layout for page, SVG, PNG and PDF."""
    personas = [p for p in snapshot["personas"] if persona_ids is None or p["id"] in persona_ids]
    curves = [emotion_curve(snapshot, p["id"], everything=everything) for p in personas]
    stages = snapshot.get("stages", [])
    n = max(len(stages), 1)
    left, right = (0, 0) if compact else (48, 16)
    top = 14 if compact else 40
    bottom = 14 if compact else 44
    plot_w, plot_h = width - left - right, height - top - bottom
    col = plot_w / n

    def x(i):
        return left + (i + 0.5) * col

    def y(score):
        return top + (MAX_EMOTION_SCORE - score) / (MAX_EMOTION_SCORE - MIN_EMOTION_SCORE) * plot_h

    series = []
    labels_by_stage: list[list[dict]] = [[] for _ in stages]
    for curve in curves:
        for kind, points in (("as-is", curve["stages"]), ("to-be", curve["to_be"])):
            if points is None:
                continue
            runs, run = [], []
            for i, p in enumerate(points):
                if p["count"]:
                    run.append(i)
                elif run:
                    runs.append(run)
                    run = []
            if run:
                runs.append(run)
            dots = []
            for i, p in enumerate(points):
                if not p["count"]:
                    continue
                mark = "\u2605 " if p.get("moment_of_truth") else ""
                star = "*" if p["below_floor"] else ""
                text = f"{mark}{format_score(p['mean'])} n={p['count']}{star}"
                dots.append({"i": i, "x": x(i), "y": y(p["mean"]), "p": p})
                labels_by_stage[i].append(
                    {"x": x(i), "want": y(p["mean"]) - 9, "text": text, "color": curve["persona"]["color"]}
                )
            series.append(
                {
                    "persona": curve["persona"],
                    "curve": kind,
                    "bands": [[(x(i), y(points[i]["high"]), y(points[i]["low"])) for i in r] for r in runs],
                    "lines": [[(x(i), y(points[i]["mean"])) for i in r] for r in runs if len(r) > 1],
                    "dots": dots,
                }
            )
    for column in labels_by_stage:
        for label, at in zip(
            column, spread_labels([lb["want"] for lb in column], top + 9, top + plot_h), strict=True
        ):
            label["y"] = at
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "top": top,
        "plot_w": plot_w,
        "plot_h": plot_h,
        "compact": compact,
        "stages": stages,
        "curves": curves,
        "series": series,
        "labels": [label for column in labels_by_stage for label in column],
        "x": x,
        "y": y,
    }


def curve_svg(
    snapshot: dict,
    persona_ids: list[int] | None = None,
    *,
    width: int = 760,
    height: int = 320,
    compact: bool = False,
    id_prefix: str = "curve",
    everything: bool = False,
) -> str:
    """The curves of the board's personas (all, or those named) as one SVG document.

    Stages are equal-width columns, each point at its column's centre, so that
    with `compact` (no axis gutter, no stage labels, no legend) the drawing lines
    up with the page's grid of stages. As-is is a solid line, to-be a dashed one;
    each point is labelled with its mean and n, labels of a column never overlap.
    """
    lay = curve_layout(
        snapshot, persona_ids, width=width, height=height, compact=compact, everything=everything
    )
    x, y, left, right = lay["x"], lay["y"], lay["left"], lay["right"]
    curves = lay["curves"]
    names = ", ".join(c["persona"]["name"] for c in curves) or "no persona"
    desc = " ".join(describe(c) for c in curves) or "No persona is shown."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" class="emotion-curve">',
        f'<title id="{id_prefix}-title">{escape("Emotion curve: " + names)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
        '<g class="scale" aria-hidden="true">',
    ]
    for score in range(MIN_EMOTION_SCORE, MAX_EMOTION_SCORE + 1):
        stroke = 'stroke="#9ca3af" stroke-dasharray="4 3"' if score == 0 else 'stroke="#e5e7eb"'
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{num(y(score))}" y2="{num(y(score))}" {stroke}/>'
        )
        label = f"{score:+d}".replace("-", "\u2212") if score else "0"
        if compact:
            out.append(f'<text x="4" y="{num(y(score) - 3)}" font-size="10" fill="#6b7280">{label}</text>')
        else:
            out.append(
                f'<text x="{left - 8}" y="{num(y(score) + 4)}" font-size="12" fill="#5b5e6b" '
                f'text-anchor="end">{label}</text>'
            )
    if not compact:
        for i, stage in enumerate(lay["stages"]):
            out.append(
                f'<text x="{num(x(i))}" y="{height - 22}" font-size="12" fill="#1c1d22" '
                f'text-anchor="middle">{escape(stage["title"][:24])}</text>'
            )
    out.append("</g>")
    for s in lay["series"]:
        color = quoteattr(s["persona"]["color"])
        dashed = ' stroke-dasharray="7 5"' if s["curve"] == "to-be" else ""
        opacity = "0.10" if s["curve"] == "to-be" else "0.18"
        out.append(f'<g class="persona" data-persona="{s["persona"]["id"]}" data-curve="{s["curve"]}">')
        for band in s["bands"]:
            if len(band) == 1:
                bx, high, low = band[0]
                out.append(
                    f'<rect x="{num(bx - 7)}" y="{num(high)}" width="14" height="{num(low - high)}" rx="7" '
                    f'fill={color} fill-opacity="{opacity}"/>'
                )
                continue
            upper = " ".join(f"{num(bx)},{num(high)}" for bx, high, _ in band)
            lower = " ".join(f"{num(bx)},{num(low)}" for bx, _, low in reversed(band))
            out.append(f'<polygon points="{upper} {lower}" fill={color} fill-opacity="{opacity}"/>')
        for line in s["lines"]:
            pts = " ".join(f"{num(lx)},{num(ly)}" for lx, ly in line)
            out.append(
                f'<polyline points="{pts}" fill="none" stroke={color} stroke-width="3"{dashed} '
                f'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        for d in s["dots"]:
            p = d["p"]
            if p.get("moment_of_truth"):
                out.append(
                    f'<circle cx="{num(d["x"])}" cy="{num(d["y"])}" r="10" fill="none" stroke={color} '
                    f'stroke-width="2" class="moment-of-truth"/>'
                )
            tip = f"{s['persona']['name']} ({s['curve']}) at {p['title']}: {format_score(p['mean'])}, {_scores_text(p)}"
            fill = "#fff" if s["curve"] == "to-be" else s["persona"]["color"]
            out.append(
                f'<circle cx="{num(d["x"])}" cy="{num(d["y"])}" r="5" fill={quoteattr(fill)} stroke={color} '
                f'stroke-width="2"><title>{escape(tip)}</title></circle>'
            )
        out.append("</g>")
    out.append('<g class="labels">')
    for label in lay["labels"]:
        out.append(
            f'<text x="{num(label["x"])}" y="{num(label["y"])}" font-size="10" font-weight="600" '
            f'fill={quoteattr(label["color"])} text-anchor="middle" paint-order="stroke" stroke="#fff" '
            f'stroke-width="3">{escape(label["text"])}</text>'
        )
    out.append("</g>")
    if not compact and curves:
        lx = left
        for c in curves:
            name = c["persona"]["name"][:30]
            out.append(
                f'<rect x="{lx}" y="12" width="12" height="12" rx="3" fill={quoteattr(c["persona"]["color"])}/>'
            )
            out.append(f'<text x="{lx + 18}" y="22" font-size="13" fill="#1c1d22">{escape(name)}</text>')
            lx += 30 + 8 * len(name)
        key = "\u2014 as-is  - - to-be  \u2605 Moment of truth  band \u00b11 s.d."
        if any(p["below_floor"] for c in curves for p in c["stages"] + (c["to_be"] or [])):
            key += "  * under the floor"
        out.append(
            f'<text x="{width - right}" y="22" font-size="11" fill="#5b5e6b" text-anchor="end">{escape(key)}</text>'
        )
    if not any(s["dots"] for s in lay["series"]):
        out.append(
            f'<text x="{num(left + lay["plot_w"] / 2)}" y="{num(lay["top"] + lay["plot_h"] / 2 - 8)}" '
            f'font-size="13" fill="#6b7280" text-anchor="middle">No scores yet</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
