"""A journey map's template: copied to a team, saved from a live board, checked by the rules of its kind."""

import pytest
from rest_framework.test import APIClient

from boards.models import Template
from boards.workshops import create_workshop
from tests.journey.helpers import op


@pytest.fixture
def api(maya):
    client = APIClient()
    client.force_authenticate(maya)
    return client


def _journey(**changes):
    board = {
        "kind": "journey-map",
        "title": "Repair journey",
        "stages": [{"title": "Book"}, {"title": "Drop off"}],
        "lanes": [{"title": "Actions"}, {"title": "Feelings", "kind": "emotion"}],
        **changes,
    }
    return {"name": "Journey", "structure": {"boards": [board], "agenda": []}}


def test_the_builtin_journey_template_copies_to_a_team_and_makes_the_same_board(
    api, maya, maya_team, workshop
):
    response = api.post("/api/v1/templates/", {"copy_of": "journey-map"}, format="json")
    assert response.status_code == 201, response.json()
    copy = Template.objects.get(id=response.json()["id"])
    board = create_workshop(maya, maya_team, "From the copy", copy).boards.get()
    original = workshop.boards.get()
    assert list(board.stages.values_list("key", "title")) == list(original.stages.values_list("key", "title"))
    assert list(board.lanes.values_list("key", "kind")) == list(original.lanes.values_list("key", "kind"))


def test_a_live_journey_map_saves_as_a_template_with_its_stages_and_lanes(api, board, facilitator):
    op(board, facilitator, "stage.add", title="Pay the bill")
    response = api.post("/api/v1/templates/", {"from_board": board.id, "name": "Ours"}, format="json")
    assert response.status_code == 201, response.json()
    saved = response.json()["structure"]["boards"][0]
    assert saved["stages"][-1]["title"] == "Pay the bill"
    assert [lane["kind"] for lane in saved["lanes"]].count("emotion") == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stages": []}, "at least one stage"),
        ({"lanes": None}, "at least one lane"),
        ({"lanes": [{"title": "Mood", "kind": "mood"}]}, "kind of lane 1"),
        (
            {"lanes": [{"title": "A", "kind": "emotion"}, {"title": "B", "kind": "emotion"}]},
            "more than one emotion",
        ),
        ({"sections": [{"title": "Says"}]}, "not sections"),
        ({"stages": [{"title": "Book", "key": "Not A Slug"}]}, "short slug"),
    ],
)
def test_a_journey_template_is_checked_as_a_journey_map(api, maya_team, changes, message):
    response = api.post("/api/v1/templates/", _journey(**changes), format="json")
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not Template.objects.filter(team=maya_team).exists()


def test_an_empathy_map_still_needs_sections(api, maya_team):
    structure = {"boards": [{"kind": "empathy-map", "stages": [{"title": "Book"}]}], "agenda": []}
    response = api.post("/api/v1/templates/", {"name": "x", "structure": structure}, format="json")
    assert response.status_code == 400 and "at least one section" in response.json()["message"]


def test_the_builtin_prioritisation_template_copies_to_a_team(api, maya, maya_team):
    # A prioritisation board has no sections: it is checked by its own rules, not an empathy map's.
    response = api.post("/api/v1/templates/", {"copy_of": "prioritisation"}, format="json")
    assert response.status_code == 201, response.json()
    copy = Template.objects.get(id=response.json()["id"])
    board = create_workshop(maya, maya_team, "Decide", copy).boards.get()
    assert board.kind == "prioritisation" and not board.sections.exists()
    bad = {"boards": [{"kind": "prioritisation", "sections": [{"title": "Says"}]}], "agenda": []}
    response = api.post("/api/v1/templates/", {"name": "x", "structure": bad}, format="json")
    assert response.status_code == 400 and "prioritisation board" in response.json()["message"]
