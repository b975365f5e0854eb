"""Template structures are checked when saved, so a workshop made from one never fails later."""

import pytest
from rest_framework.test import APIClient

from boards.builtin_templates import ensure_builtin_templates
from boards.models import Stage, Template, Workshop


@pytest.fixture
def api(maya, maya_team):
    ensure_builtin_templates()
    client = APIClient()
    client.force_authenticate(maya)
    return client


def journey(**board) -> dict:
    return {
        "boards": [
            {
                "kind": "journey-map",
                "title": "Repair journey",
                "stages": [{"key": "book", "title": "Book"}, {"key": "wait", "title": "Wait"}],
                "lanes": [
                    {"key": "do", "title": "Does"},
                    {"key": "feel", "title": "Feels", "kind": "emotion"},
                ],
                **board,
            }
        ]
    }


def make(api, structure):
    return api.post("/api/v1/templates/", {"name": "Repair", "structure": structure}, format="json")


@pytest.mark.parametrize(
    "stages",
    [
        [{"key": "book"}],  # no title
        [{"key": "book", "title": "Book"}, {"key": "book", "title": "Book again"}],  # duplicated key
        {"key": "book", "title": "Book"},  # not a list
        "book",
        [["book", "Book"]],
        [{"key": "Not A Slug", "title": "Book"}],
        [{"key": "", "title": "Book"}],
        [{"key": "book", "title": "Book"}] * 31,
    ],
    ids=["no-title", "duplicated", "object", "string", "list-item", "bad-key", "empty-key", "too-many"],
)
def test_bad_journey_stages_are_refused_at_save(api, maya_team, stages):
    response = make(api, journey(stages=stages))
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid"
    assert not Template.objects.filter(team=maya_team).exists()


def test_bad_lanes_are_refused_at_save(api, maya_team):
    for lanes in (
        [{"title": "x", "kind": "pictures"}],
        [{"title": "a", "kind": "emotion"}] * 2,
        [{"key": "x"}],
    ):
        assert make(api, journey(lanes=lanes)).status_code == 400
    assert not Template.objects.filter(team=maya_team).exists()


def test_a_stage_without_key_gets_one_and_a_workshop_is_made_from_it(api, maya_team):
    response = make(api, journey(stages=[{"title": "Book a slot"}, {"title": "Book a slot"}]))
    assert response.status_code == 201, response.json()
    stages = response.json()["structure"]["boards"][0]["stages"]
    assert [s["key"] for s in stages] == ["book-a-slot", "book-a-slot-2"]
    made = api.post(
        "/api/v1/workshops/", {"title": "Repair", "template": str(response.json()["id"])}, format="json"
    )
    assert made.status_code == 201, made.json()
    board = Workshop.objects.get().boards.get()
    assert list(Stage.objects.filter(board=board).values_list("key", flat=True)) == [
        "book-a-slot",
        "book-a-slot-2",
    ]


def test_stages_on_an_empathy_map_are_refused(api):
    structure = {"boards": [{"kind": "empathy-map", "sections": [{"title": "Says"}], "stages": []}]}
    assert make(api, structure).status_code == 400


@pytest.mark.parametrize(
    "color", ["url(//evil.example/x)", "red", "#fff", "#12345g", "#123456;background:url(x)", 123, "var(--x)"]
)
def test_a_persona_colour_must_be_rrggbb(api, maya_team, color):
    structure = journey(personas=[{"name": "Sam", "color": color}])
    response = make(api, structure)
    assert response.status_code == 400
    assert "color" in response.json()["message"]
    assert not Template.objects.filter(team=maya_team).exists()


def test_a_good_persona_colour_is_kept_in_lower_case(api):
    response = make(api, journey(personas=[{"name": "Sam", "color": "#E4572E"}]))
    assert response.status_code == 201
    assert response.json()["structure"]["boards"][0]["personas"][0]["color"] == "#e4572e"


def test_a_journey_board_saved_as_a_template_keeps_its_stages(api, maya, maya_team):
    template = Template.objects.get(team__isnull=True, slug="journey-map")
    made = api.post("/api/v1/workshops/", {"title": "J", "template": "journey-map"}, format="json").json()
    response = api.post(
        "/api/v1/templates/", {"name": "Ours", "from_board": made["boards"][0]["id"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    saved = response.json()["structure"]["boards"][0]
    builtin = template.structure["boards"][0]
    assert [s["key"] for s in saved["stages"]] == [s["key"] for s in builtin["stages"]]
    assert [lane["kind"] for lane in saved["lanes"]] == [
        lane.get("kind", "notes") for lane in builtin["lanes"]
    ]


def test_a_template_saved_before_colours_were_checked_makes_safe_personas(maya, maya_team):
    from boards.models import Persona
    from boards.workshops import create_workshop

    ensure_builtin_templates()
    structure = journey(
        personas=[{"name": "Sam", "color": "url(//evil.example/x)"}, {"name": "Ana", "color": "#E4572E"}]
    )
    # Stored straight, as an older release could have.
    template = Template.objects.create(team=maya_team, name="Old", structure=structure)
    workshop = create_workshop(maya, maya_team, "Repair", template)
    colors = list(
        Persona.objects.filter(board__workshop=workshop).order_by("position").values_list("color", flat=True)
    )
    assert colors == ["#6d5dfc", "#e4572e"]
