"""REST: adding a prioritisation board, scoring over /ops/, the team's actions, owners."""

import datetime

import pytest
from rest_framework.test import APIClient

from boards.models import Board
from decisions.models import OpportunityScore

pytestmark = pytest.mark.django_db


def as_participant(participant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {participant.token}")
    return client


def as_user(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def post_op(client, board, kind, **data):
    return client.post(f"/api/v1/boards/{board.id}/ops/", {"op": kind, "data": data}, format="json")


def test_a_facilitator_adds_a_prioritisation_board(workshop, maya_token, guest):
    response = as_user(maya_token).post(
        f"/api/v1/workshops/{workshop.id}/boards/", {"kind": "prioritisation"}
    )
    assert response.status_code == 201, response.json()
    board = Board.objects.get(id=response.json()["id"])
    assert (board.kind, board.workshop_id, board.seq) == ("prioritisation", workshop.id, 0)
    refused = as_participant(guest).post(
        f"/api/v1/workshops/{workshop.id}/boards/", {"kind": "prioritisation"}
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    bad = as_user(maya_token).post(f"/api/v1/workshops/{workshop.id}/boards/", {"kind": "kanban"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")


def test_scores_over_rest_and_a_bad_score(matrix, guest, opportunity):
    client = as_participant(guest)
    ok = post_op(client, matrix, "opportunity.score", opportunity=opportunity["id"], impact=4, value=2)
    assert ok.status_code == 200
    bad = post_op(client, matrix, "opportunity.score", opportunity=opportunity["id"], impact=9, value=2)
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")
    assert "from 1 to 5" in bad.json()["message"]
    assert OpportunityScore.objects.get().impact == 4
    snapshot = client.get(f"/api/v1/boards/{matrix.id}/").json()
    assert snapshot["prioritisation"]["scores"][0]["impact"] == 4


def test_the_team_actions_list(matrix, host, guest, op, opportunity, maya_team, maya_token, make_user):
    op(
        matrix,
        host,
        "action.add",
        opportunity=opportunity["id"],
        owner={"participant": guest.id},
        due="2001-01-01",
    )
    response = as_user(maya_token).get(f"/api/v1/teams/{maya_team.id}/actions/")
    assert response.status_code == 200
    (row,) = response.json()["actions"]
    assert (row["owner"], row["due"], row["overdue"], row["status"]) == ("Jo", "2001-01-01", True, "open")
    outsider = make_user("nosy")
    from rest_framework.authtoken.models import Token

    denied = as_user(Token.objects.create(user=outsider).key).get(f"/api/v1/teams/{maya_team.id}/actions/")
    assert (denied.status_code, denied.json()["code"]) == (404, "not_found")
    # A guest has no team.
    assert as_participant(guest).get(f"/api/v1/teams/{maya_team.id}/actions/").status_code == 404


def test_a_future_action_is_not_overdue(matrix, host, op, opportunity, maya_team, maya_token):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    op(
        matrix,
        host,
        "action.add",
        opportunity=opportunity["id"],
        owner={"participant": host.id},
        due=tomorrow,
    )
    assert (
        as_user(maya_token).get(f"/api/v1/teams/{maya_team.id}/actions/").json()["actions"][0]["overdue"]
        is False
    )


def test_owners(workshop, host, guest, maya_token):
    everyone = as_user(maya_token).get(f"/api/v1/workshops/{workshop.id}/owners/").json()
    assert {p["name"] for p in everyone["participants"]} == {"Maya", "Jo"}
    assert [m["name"] for m in everyone["members"]] == ["Maya"]
    mine = as_participant(guest).get(f"/api/v1/workshops/{workshop.id}/owners/").json()
    assert [p["name"] for p in mine["participants"]] == ["Jo"]


def test_the_team_actions_page(matrix, host, op, opportunity, maya_team, client, maya):
    op(
        matrix,
        host,
        "action.add",
        opportunity=opportunity["id"],
        owner={"participant": host.id},
        due="2001-01-01",
    )
    client.force_login(maya)
    page = client.get(f"/teams/{maya_team.id}/actions/")
    assert page.status_code == 200
    assert b"Text when ready" in page.content and b"overdue" in page.content
