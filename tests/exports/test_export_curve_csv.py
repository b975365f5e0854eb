"""CSV: after the notes, one row per stage × persona × curve with mean, s.d., min, max, n;
individual scores only where the reader may see them (not under the respondent floor)."""

import csv
import io

import pytest

from boards.builtin_templates import ensure_builtin_templates
from boards.exports import export_workshop
from boards.models import Template
from boards.ops import apply_op_request
from boards.workshops import create_workshop, join_workshop


@pytest.fixture
def scored(maya, maya_team):
    ensure_builtin_templates()
    workshop = create_workshop(
        maya, maya_team, "Journey", Template.objects.get(team__isnull=True, slug="journey-map")
    )
    board = workshop.boards.get()
    persona = board.personas.get()
    people = [join_workshop(workshop.join_code, name) for name in ("Lee", "Kim", "Noor")]
    for who, score in zip(people, (-3, -2, 2), strict=True):
        apply_op_request(
            board.id, who.id, "emotion.set", {"stage": "buy", "persona": persona.id, "score": score}
        )
    apply_op_request(
        board.id,
        people[0].id,
        "emotion.set",
        {"stage": "buy", "persona": persona.id, "curve": "to-be", "score": 2},
    )
    for who, score in zip(people[:2], (1, 3), strict=True):  # two: under the floor of 3
        apply_op_request(
            board.id, who.id, "emotion.set", {"stage": "use", "persona": persona.id, "score": score}
        )
    return workshop


def curve_rows(workshop):
    text = export_workshop(workshop, "csv").content.decode("utf-8-sig")
    blocks = text.split("\r\n\r\n")
    assert len(blocks) == 2, "notes, then the curves"
    return list(csv.DictReader(io.StringIO(blocks[1])))


def test_one_row_per_stage_persona_curve_with_the_numbers(scored):
    rows = curve_rows(scored)
    assert len(rows) == 6 * 2  # six stages, as-is and to-be, one persona
    buy = next(r for r in rows if r["stage"] == "Buy" and r["curve"] == "as-is")
    assert (buy["mean"], buy["min"], buy["max"], buy["n"], buy["under_floor"]) == (
        "-1.00",
        "-3.00",
        "2.00",
        "3",
        "no",
    )
    assert buy["sd"] == "2.16"  # population s.d. of -3, -2, 2
    assert sorted(buy["scores"].split()) == ["-2", "-3", "2"]
    # The to-be point has one score, "Use" two: under the floor, so an export reader gets
    # no number and no score there (their snapshot holds none: nothing can be traced back).
    to_be = next(r for r in rows if r["stage"] == "Buy" and r["curve"] == "to-be")
    assert (to_be["mean"], to_be["n"], to_be["scores"]) == ("", "0", "")
    use = next(r for r in rows if r["stage"] == "Use" and r["curve"] == "as-is")
    assert (use["mean"], use["n"], use["scores"]) == ("", "0", "")
    assert "1 3" not in export_workshop(scored, "csv").content.decode("utf-8-sig")
