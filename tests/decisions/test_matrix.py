"""The matrix numbers: means, spread, quadrants, ranking, the floor; and its SVG."""

from decisions.matrix import matrix_rows, matrix_svg, quadrant


def _snapshot(scores, floor=1, private=False, counts=None):
    opportunities = [{"id": i, "title": f"O{i}", "sources": []} for i in (1, 2, 3, 4)]
    score_rows = [
        {"opportunity": o, "participant": p, "impact": i, "value": v, "effort": None} for o, p, i, v in scores
    ]
    if counts is None:
        counts = {}
        for s in score_rows:
            counts[str(s["opportunity"])] = counts.get(str(s["opportunity"]), 0) + 1
    return {
        "opportunities": opportunities,
        "prioritisation": {
            "effort": False,
            "floor": floor,
            "private": private,
            "scores": score_rows,
            "counts": counts,
        },
    }


def test_quadrants():
    assert [quadrant(5, 5), quadrant(5, 1), quadrant(1, 5), quadrant(1, 1), quadrant(3, 3)] == [
        "do first",
        "plan",
        "quick wins",
        "drop",
        "do first",
    ]


def test_means_spread_and_ranking():
    rows = matrix_rows(_snapshot([(1, 1, 2, 2), (2, 1, 5, 4), (2, 2, 3, 4), (3, 1, 5, 1)]))
    assert [(r["id"], r["rank"]) for r in rows] == [(2, 1), (3, 2), (1, 3), (4, None)]
    top = rows[0]
    assert (top["impact"], top["value"], top["impact_sd"], top["value_sd"], top["n"]) == (
        4.0,
        4.0,
        1.0,
        0.0,
        2,
    )
    assert top["quadrant"] == "do first" and rows[1]["quadrant"] == "plan"


def test_no_mean_for_a_participant_below_the_floor_or_while_private():
    snapshot = _snapshot([(1, 1, 4, 4)], floor=3)
    assert matrix_rows(snapshot, sees_all=False)[0]["impact"] is None
    assert matrix_rows(snapshot, sees_all=True)[0]["impact"] == 4
    hidden = _snapshot([(1, 1, 4, 4)], counts={"1": 3})  # the others' scores were redacted
    assert matrix_rows(hidden, sees_all=False)[-1]["rank"] is None


def test_svg_draws_ranked_points_and_escapes_titles():
    snapshot = _snapshot([(1, 1, 5, 5)])
    snapshot["opportunities"][0]["title"] = "<script>x</script>"
    svg = matrix_svg(matrix_rows(snapshot))
    assert svg.startswith("<svg") and "Do first" in svg and "Quick wins" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<circle") == 1
