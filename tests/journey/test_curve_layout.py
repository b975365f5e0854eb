"""The curve's band (mean ± 1 s.d.), its to-be line and gaps, and labels that never collide."""

import itertools
import xml.etree.ElementTree as ET

import pytest

from boards.curve import LABEL_GAP, curve_layout, curve_svg, emotion_curve, spread_labels

SVG = "{http://www.w3.org/2000/svg}"
PERSONAS = [{"id": 1, "name": "Sam", "color": "#111111"}, {"id": 2, "name": "Ana", "color": "#222222"}]


def snapshot(scores, floor=1):
    return {
        "stages": [{"key": k, "title": k.upper()} for k in ("a", "b", "c")],
        "personas": PERSONAS,
        "journey_settings": {"scores_visible_before_own": True, "respondent_floor": floor},
        "emotion_scores": [
            {"stage": stage, "persona": persona, "curve": curve, "participant": i, "score": score}
            for i, (stage, persona, curve, score) in enumerate(scores)
        ],
    }


def test_the_band_is_one_sd_either_side_of_the_mean_clipped_to_the_scale():
    # a: mean 2, sd 1 -> 1..3; b: mean 3, sd 0 -> 3..3; c: -3, -3, 3 -> mean -1, sd 2.83 -> -3..1.83.
    s = snapshot(
        [("a", 1, "as-is", 1), ("a", 1, "as-is", 3), ("b", 1, "as-is", 3)]
        + [("c", 1, "as-is", v) for v in (-3, -3, 3)]
    )
    a, b, c = emotion_curve(s, 1)["stages"]
    assert (a["low"], a["high"]) == (1, 3)
    assert (b["low"], b["high"]) == (3, 3)
    assert c["low"] == -3 and c["high"] == pytest.approx(-1 + 2.8284, abs=1e-3)


def test_to_be_points_and_the_gap_per_stage():
    s = snapshot([("a", 1, "as-is", -2), ("a", 1, "to-be", 2), ("a", 1, "to-be", 1), ("b", 1, "as-is", 0)])
    curve = emotion_curve(s, 1)
    assert [p["gap"] for p in curve["stages"]] == [3.5, None, None]
    assert [p["count"] for p in curve["to_be"]] == [2, 0, 0]
    assert emotion_curve(s, 2)["to_be"] is None
    root = ET.fromstring(curve_svg(s))
    kinds = [(g.get("data-persona"), g.get("data-curve")) for g in root.findall(f"{SVG}g[@class='persona']")]
    assert kinds == [("1", "as-is"), ("1", "to-be"), ("2", "as-is")]


def test_the_floor_blanks_points_unless_everything():
    s = snapshot([("a", 1, "as-is", -2), ("a", 1, "as-is", 1)], floor=3)
    (a, *_rest) = emotion_curve(s, 1)["stages"]
    assert (a["mean"], a["count"], a["below_floor"]) == (None, 0, True)
    (a, *_rest) = emotion_curve(s, 1, everything=True)["stages"]
    assert (a["mean"], a["count"], a["below_floor"]) == (-0.5, 2, True)
    assert "n=2*" in curve_svg(s, everything=True) and "n=2" not in curve_svg(s)


@pytest.mark.parametrize(
    "wanted",
    [[50, 50, 50, 50], [10, 11, 300, 299], [5, 5], [200, 200, 200, 200, 200], [100, 40, 41, 100]],
)
def test_spread_labels_keeps_them_apart_and_inside(wanted):
    placed = spread_labels(wanted, 20, 200)
    for a, b in itertools.combinations(placed, 2):
        assert abs(a - b) >= LABEL_GAP - 1e-9
    assert all(20 <= y <= 200 for y in placed)


def test_labels_of_two_personas_at_one_stage_never_overlap():
    # Both personas, both curves, the same mean everywhere: four labels per column.
    scores = [(st, p, c, -3) for st in ("a", "b", "c") for p in (1, 2) for c in ("as-is", "to-be")]
    layout = curve_layout(snapshot(scores), width=600, height=240, compact=True)
    assert len(layout["labels"]) == 12
    for a, b in itertools.combinations(layout["labels"], 2):
        if a["x"] == b["x"]:
            assert abs(a["y"] - b["y"]) >= LABEL_GAP - 1e-9
    assert all(label["y"] <= 240 - 14 for label in layout["labels"])
    texts = {label["text"] for label in layout["labels"]}
    assert "\u2605 \u22123.0 n=1" in texts  # a moment of truth, its mean and n
