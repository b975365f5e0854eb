"""emotion_curve and curve_svg on hand-checked data (pure functions of a snapshot)."""

import math
import xml.etree.ElementTree as ET

import pytest

from boards.curve import curve_svg, emotion_curve, format_score

SVG = "{http://www.w3.org/2000/svg}"


def snapshot(scores, personas=None, stages=("a", "b", "c", "d")):
    return {
        "stages": [{"key": k, "title": k.upper()} for k in stages],
        "personas": personas or [{"id": 1, "name": "Sam", "color": "#6d5dfc"}],
        "emotion_scores": [
            {"stage": stage, "persona": persona, "participant": i, "score": score}
            for i, (stage, persona, score) in enumerate(scores)
        ],
    }


def test_mean_min_max_sd_count():
    curve = emotion_curve(snapshot([("a", 1, -3), ("a", 1, -2), ("a", 1, -1)]), 1)
    a = curve["stages"][0]
    assert (a["count"], a["mean"], a["min"], a["max"]) == (3, -2, -3, -1)
    # Population standard deviation: sqrt(((-1)² + 0² + 1²) / 3).
    assert a["sd"] == pytest.approx(math.sqrt(2 / 3))
    assert a["sd"] == pytest.approx(0.8165, abs=1e-4)


def test_a_single_score_has_no_spread():
    a = emotion_curve(snapshot([("a", 1, 2)]), 1)["stages"][0]
    assert (a["mean"], a["min"], a["max"], a["sd"], a["count"]) == (2, 2, 2, 0, 1)


def test_a_stage_without_scores():
    curve = emotion_curve(snapshot([("a", 1, 2)]), 1)
    b = curve["stages"][1]
    assert b == {
        "stage": "b",
        "title": "B",
        "count": 0,
        "mean": None,
        "min": None,
        "max": None,
        "sd": None,
        "low": None,
        "high": None,
        "below_floor": False,
        "moment_of_truth": False,
        "gap": None,
    }


def test_the_lowest_mean_is_the_moment_of_truth():
    # a: mean 1; b: (-3 + -2) / 2 = -2.5; c: none; d: -2.
    curve = emotion_curve(snapshot([("a", 1, 1), ("b", 1, -3), ("b", 1, -2), ("d", 1, -2)]), 1)
    assert curve["moments_of_truth"] == ["b"]
    assert [p["moment_of_truth"] for p in curve["stages"]] == [False, True, False, False]


def test_ties_are_all_moments_of_truth():
    # b: (-1 + -3) / 2 = -2, d: (-2 + -2 + -2) / 3 = -2.
    scores = [("a", 1, 0), ("b", 1, -1), ("b", 1, -3), ("d", 1, -2), ("d", 1, -2), ("d", 1, -2)]
    assert emotion_curve(snapshot(scores), 1)["moments_of_truth"] == ["b", "d"]


def test_no_scores_no_moment_of_truth():
    curve = emotion_curve(snapshot([]), 1)
    assert curve["moments_of_truth"] == []
    assert all(p["count"] == 0 for p in curve["stages"])


def test_each_persona_has_its_own_curve():
    personas = [{"id": 1, "name": "Sam", "color": "#111111"}, {"id": 2, "name": "Ana", "color": "#222222"}]
    s = snapshot([("a", 1, 2), ("b", 1, -2), ("a", 2, -3), ("b", 2, 1)], personas)
    assert emotion_curve(s, 1)["moments_of_truth"] == ["b"]
    assert emotion_curve(s, 2)["moments_of_truth"] == ["a"]
    assert emotion_curve(s, 2)["persona"] == {"id": 2, "name": "Ana", "color": "#222222"}


def test_an_unnamed_persona_gets_a_label():
    s = snapshot([], [{"id": 7, "name": "", "color": "#111111"}])
    assert emotion_curve(s, 7)["persona"]["name"] == "Persona 1"


def test_format_score():
    assert [format_score(v) for v in (2.4, -2.4, 0, -0.01, 1)] == ["+2.4", "\u22122.4", "0.0", "0.0", "+1.0"]


def test_svg_is_accessible_and_marks_the_low_point():
    personas = [
        {"id": 1, "name": "Sam", "color": "#111111"},
        {"id": 2, "name": "Ana & Co", "color": "#222222"},
    ]
    s = snapshot([("a", 1, 2), ("b", 1, -2), ("b", 1, -3), ("c", 1, 1), ("a", 2, -1)], personas)
    svg = curve_svg(s)
    root = ET.fromstring(svg)  # well-formed, names escaped
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Emotion curve: Sam, Ana & Co"
    desc = root.find(f"{SVG}desc").text
    assert "Sam: A +2.0 (1 score, \u00b10.0 s.d.); B \u22122.5 (2 scores, \u00b10.5 s.d.)" in desc
    assert "D no scores" in desc and "Moment of truth: B (\u22122.5)" in desc
    groups = root.findall(f"{SVG}g[@class='persona']")
    assert [g.get("data-persona") for g in groups] == ["1", "2"]
    assert len(groups[0].findall(f"{SVG}circle[@class='moment-of-truth']")) == 1
    assert groups[0].find(f"{SVG}polyline") is not None  # a, b, c are a run
    assert groups[0].find(f"{SVG}polygon") is not None  # the ±1 s.d. band
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert [t for t in labels if t in ("A", "B", "C", "D")] == ["A", "B", "C", "D"]


def test_svg_for_chosen_personas_and_compact_layout():
    personas = [{"id": 1, "name": "Sam", "color": "#111111"}, {"id": 2, "name": "Ana", "color": "#222222"}]
    s = snapshot([("a", 1, 3), ("a", 2, -3)], personas)
    root = ET.fromstring(curve_svg(s, [2], width=400, height=200, compact=True))
    assert [g.get("data-persona") for g in root.findall(f"{SVG}g[@class='persona']")] == ["2"]
    assert root.get("viewBox") == "0 0 400 200"
    # Compact: stage a's point sits at the centre of the first of 4 equal columns.
    (circle,) = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "5"]
    assert float(circle.get("cx")) == 50.0
    assert float(circle.get("cy")) == 200 - 14  # -3 is the bottom of the plot


def test_svg_without_scores_says_so():
    assert "No scores yet" in curve_svg(snapshot([]))
