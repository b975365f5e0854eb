"""Team templates over REST: list, make, copy, save a board, change, delete; refusals."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from boards.models import Template
from boards.workshops import create_workshop

STRUCTURE = {
    "boards": [
        {
            "kind": "empathy-map",
            "title": "First-time e-bike owner",
            "persona": {"name": "Sam", "details": {"age": "34", "quote": "I just need it to work by Monday"}},
            "sections": [
                {"title": "Says", "prompt": "What do they say to the mechanic?"},
                {"title": "Thinks"},
                {"title": "Does"},
                {"title": "Feels"},
            ],
        }
    ],
    "agenda": [{"phase": "write", "minutes": 8}, {"phase": "vote", "minutes": 5}],
}


@pytest.fixture
def api(maya_user):
    client = APIClient()
    client.force_authenticate(maya_user)
    return client


def test_it_lists_builtins_including_jtbd(api):
    slugs = {t["slug"] for t in api.get("/api/v1/templates/").json() if t["builtin"]}
    assert {"empathy-map", "empathy-map-extended", "jtbd"} <= slugs
    jtbd = Template.objects.get(slug="jtbd")
    keys = [s["key"] for s in jtbd.structure["boards"][0]["sections"]]
    assert keys == ["job", "situation", "motivations", "outcomes", "pains", "gains"]


def test_a_facilitator_makes_a_template_and_workshops_keep_their_copy(api, team, maya_user):
    response = api.post(
        "/api/v1/templates/",
        {"name": "E-bike", "description": "Thursday", "structure": STRUCTURE},
        format="json",
    )
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["team"] == team.id and not made["builtin"]
    assert [s["key"] for s in made["structure"]["boards"][0]["sections"]] == [
        "says",
        "thinks",
        "does",
        "feels",
    ]
    template = Template.objects.get(id=made["id"])
    workshop = create_workshop(maya_user, team, "Thursday", template)
    changed = {**STRUCTURE, "boards": [{**STRUCTURE["boards"][0], "sections": [{"title": "Only one"}]}]}
    assert (
        api.put(f"/api/v1/templates/{template.id}/", {"structure": changed}, format="json").status_code == 200
    )
    assert list(workshop.boards.get().sections.values_list("key", flat=True)) == [
        "says",
        "thinks",
        "does",
        "feels",
    ]
    assert api.get(f"/api/v1/templates/{template.id}/").json()["structure"]["boards"][0]["sections"][0][
        "key"
    ] == ("only-one")
    assert api.delete(f"/api/v1/templates/{template.id}/").status_code == 204
    assert not Template.objects.filter(id=template.id).exists()


def test_it_copies_a_builtin_and_saves_a_live_board(api, board):
    copy = api.post("/api/v1/templates/", {"copy_of": "jtbd"}, format="json").json()
    assert copy["name"] == "Jobs-to-be-done interview (copy)" and not copy["builtin"]
    saved = api.post("/api/v1/templates/", {"from_board": board.id, "name": "From Thursday"}, format="json")
    assert saved.status_code == 201
    structure = saved.json()["structure"]
    assert [s["key"] for s in structure["boards"][0]["sections"]] == ["says", "thinks", "does", "feels"]
    assert structure["agenda"][0] == {"phase": "write", "minutes": 8}


def _no_change(api, request):
    count = Template.objects.count()
    response = request()
    assert Template.objects.count() == count
    return response


def test_a_template_with_no_sections_is_refused(api):
    empty = {"boards": [{"kind": "empathy-map", "title": "Empty", "sections": []}]}
    response = _no_change(
        api, lambda: api.post("/api/v1/templates/", {"name": "X", "structure": empty}, format="json")
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Every board needs at least one section: board 1 (Empty) has none.",
    }
    no_boards = api.post("/api/v1/templates/", {"name": "X", "structure": {"boards": []}}, format="json")
    assert no_boards.json()["message"] == "A template needs at least one board."


def test_bad_templates_and_edits_change_nothing(api, team):
    template = Template.objects.create(team=team, name="Mine", structure=STRUCTURE)
    for body, message in [
        ({"name": ""}, "name must not be empty."),
        ({"structure": {**STRUCTURE, "agenda": [{"phase": "lunch"}]}}, "Step 1 of the agenda needs a phase"),
        ({"structure": {"boards": [{"kind": "nope", "sections": [{"title": "A"}]}]}}, "Board 1 needs a kind"),
    ]:
        response = api.put(f"/api/v1/templates/{template.id}/", body, format="json")
        assert response.status_code == 400 and response.json()["message"].startswith(message)
    template.refresh_from_db()
    assert (template.name, template.structure) == ("Mine", STRUCTURE)
    builtin = Template.objects.get(slug="empathy-map")
    response = api.put(f"/api/v1/templates/{builtin.id}/", {"name": "Mine now"}, format="json")
    assert response.status_code == 403 and "copy" in response.json()["message"]


def test_it_refuses_outsiders_and_members(api, team, outsider_user, maya_user):
    template = Template.objects.create(team=team, name="Mine", structure=STRUCTURE)
    outsider = APIClient()
    outsider.force_authenticate(outsider_user)
    assert outsider.get(f"/api/v1/templates/{template.id}/").status_code == 404
    assert template.id not in [t["id"] for t in outsider.get("/api/v1/templates/").json()]
    Membership.objects.filter(user=maya_user).update(role=Role.MEMBER)
    response = api.put(f"/api/v1/templates/{template.id}/", {"name": "Mine!"}, format="json")
    assert response.status_code == 403
    assert (
        api.post("/api/v1/templates/", {"name": "X", "structure": STRUCTURE}, format="json").status_code
        == 403
    )
