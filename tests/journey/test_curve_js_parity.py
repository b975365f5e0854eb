"""static/js/curve-math.js computes and draws the same curves as boards/curve.py: the
same numbers and the same SVG string, so the page matches every download."""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from boards.curve import curve_svg, emotion_curve

CHECK = Path(__file__).parent / "js" / "curve_check.mjs"
NAMES = ["Sam", "Ana & Co", "<Zoë>", "", 'Ravi "R" O\'Neil', "🚲 rider"]


def random_case(rng: random.Random) -> dict:
    stages = [
        {"key": f"s{i}", "title": rng.choice(["Book", "Drop off", "Wait — long", "Pay 💶"]) + str(i)}
        for i in range(rng.randint(1, 7))
    ]
    personas = [
        {"id": 10 + i, "name": rng.choice(NAMES), "color": rng.choice(["#6d5dfc", "#e4572e", "#0f9d8a"])}
        for i in range(rng.randint(1, 3))
    ]
    scores = []
    for participant in range(rng.randint(0, 14)):
        for stage in stages:
            for persona in personas:
                for curve in ("as-is", "to-be"):
                    if rng.random() < 0.45:
                        scores.append(
                            {
                                "stage": stage["key"],
                                "persona": persona["id"],
                                "curve": curve,
                                "participant": participant,
                                "score": rng.randint(-3, 3),
                            }
                        )
    snapshot = {
        "stages": stages,
        "personas": personas,
        "emotion_scores": scores,
        "journey_settings": {"scores_visible_before_own": True, "respondent_floor": rng.randint(1, 4)},
    }
    ids = None if rng.random() < 0.6 else [p["id"] for p in personas][: rng.randint(1, len(personas))]
    return {
        "snapshot": snapshot,
        "persona_ids": ids,
        "width": rng.randint(200, 1400),
        "height": rng.randint(120, 500),
        "compact": rng.random() < 0.5,
        "everything": rng.random() < 0.4,
    }


def test_js_draws_the_same_curves_as_python(tmp_path):
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the page's curve cannot be checked")
    rng = random.Random(1407)
    cases = [random_case(rng) for _ in range(120)]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases))
    result = subprocess.run(["node", str(CHECK), str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    js = json.loads(result.stdout)
    for case, drawn in zip(cases, js, strict=True):
        s = case["snapshot"]
        python_curves = [emotion_curve(s, p["id"], everything=case["everything"]) for p in s["personas"]]
        assert json.loads(json.dumps(python_curves)) == drawn["curves"]
        svg = curve_svg(
            s,
            case["persona_ids"],
            width=case["width"],
            height=case["height"],
            compact=case["compact"],
            everything=case["everything"],
            id_prefix="c",
        )
        assert svg == drawn["svg"]
