"""REST: tokens, creating workshops from templates, listing and reading them."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Board, Participant, Section, Workshop


@pytest.fixture(autouse=True)
def builtins(db):
    ensure_builtin_templates()


def client_for(user=None, token=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_issued_for_a_username_and_password(owner, password):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "olivia", "password": password}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert client_for(token=token).get("/api/v1/workshops/").status_code == 200


def test_a_wrong_password_gets_no_token(owner):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "olivia", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_facilitator_creates_a_workshop_from_a_builtin_template(facilitator, team):
    response = client_for(facilitator).post(
        "/api/v1/workshops/",
        {"title": "E-bike owners", "template": "empathy-map", "team": team.id},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    workshop = Workshop.objects.get(id=body["id"])
    assert (workshop.title, workshop.team, workshop.join_code) == ("E-bike owners", team, body["join_code"])
    assert body["boards"] == [{"id": workshop.boards.get().id, "kind": "empathy-map", "title": "Empathy map"}]
    assert list(Section.objects.filter(board__workshop=workshop).values_list("key", flat=True)) == [
        "says", "thinks", "does", "feels",
    ]  # fmt: skip
    assert Participant.objects.get(workshop=workshop, user=facilitator).role == "facilitator"


def test_the_extended_map_has_eight_sections(facilitator, team):
    response = client_for(facilitator).post(
        "/api/v1/workshops/",
        {"title": "X", "template": "empathy-map-extended", "team": team.id},
        format="json",
    )
    board = Board.objects.get(id=response.json()["boards"][0]["id"])
    assert board.sections.count() == 8


def test_a_user_without_a_team_gets_a_personal_one(outsider):
    response = client_for(outsider).post(
        "/api/v1/workshops/", {"title": "Solo", "template": "empathy-map"}, format="json"
    )
    assert response.status_code == 201
    team = Team.objects.get(memberships__user=outsider)
    assert Membership.objects.get(team=team, user=outsider).role == Role.OWNER


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"title": "", "template": "empathy-map"}, 400, "invalid"),
        ({"title": "x" * 201, "template": "empathy-map"}, 400, "invalid"),
        ({"title": "X", "template": "no-such-template"}, 404, "not_found"),
        ({"title": "X"}, 400, "invalid"),
    ],
)
def test_bad_requests_create_nothing(facilitator, team, body, status, code):
    response = client_for(facilitator).post("/api/v1/workshops/", {**body, "team": team.id}, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Workshop.objects.exists()


def test_members_and_viewers_cannot_create_workshops(member, viewer, team):
    for user in (member, viewer):
        response = client_for(user).post(
            "/api/v1/workshops/", {"title": "X", "template": "empathy-map", "team": team.id}, format="json"
        )
        assert response.status_code == 403
    assert not Workshop.objects.exists()


def test_it_rejects_outsiders_naming_a_team(outsider, team):
    response = client_for(outsider).post(
        "/api/v1/workshops/", {"title": "X", "template": "empathy-map", "team": team.id}, format="json"
    )
    assert response.status_code == 404
    assert not Workshop.objects.exists()


def test_anonymous_callers_are_refused(team):
    response = APIClient().post(
        "/api/v1/workshops/", {"title": "X", "template": "empathy-map"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_team_members_list_and_read_workshops_outsiders_do_not(facilitator, viewer, outsider, team):
    created = (
        client_for(facilitator)
        .post(
            "/api/v1/workshops/", {"title": "Ours", "template": "empathy-map", "team": team.id}, format="json"
        )
        .json()
    )
    assert [w["title"] for w in client_for(viewer).get("/api/v1/workshops/").json()] == ["Ours"]
    assert (
        client_for(viewer).get(f"/api/v1/workshops/{created['id']}/").json()["join_code"]
        == created["join_code"]
    )
    assert client_for(outsider).get("/api/v1/workshops/").json() == []
    assert client_for(outsider).get(f"/api/v1/workshops/{created['id']}/").status_code == 404
