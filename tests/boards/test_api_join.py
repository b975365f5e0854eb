"""REST: joining a workshop by code, as a guest with a name only."""

import pytest
from rest_framework.test import APIClient

from boards.models import Participant, Workshop


def join(code, name):
    return APIClient().post("/api/v1/join/", {"code": code, "display_name": name}, format="json")


def test_a_guest_joins_with_a_name_and_gets_a_working_token(workshop, board):
    response = join(workshop.join_code, "Jo")
    assert response.status_code == 201
    body = response.json()
    guest = Participant.objects.get(id=body["participant"]["id"])
    assert (guest.display_name, guest.user, guest.role) == ("Jo", None, "participant")
    assert body["token"] == guest.token
    assert body["workshop"]["boards"][0]["id"] == board.id
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get(f"/api/v1/boards/{board.id}/").json()["id"] == board.id


def test_the_code_is_forgiving_about_case_and_dashes(workshop):
    sloppy = workshop.join_code.replace("-", "").lower()
    assert join(sloppy, "Jo").status_code == 201


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "x" * 200])
def test_an_empty_or_overlong_name_is_refused(workshop, name):
    response = join(workshop.join_code, name)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert workshop.participants.count() == 1  # only the facilitator


def test_an_unknown_code_is_not_found(workshop):
    response = join("ZZZ-ZZZ", "Jo")
    assert response.status_code == 404
    assert "code" in response.json()["message"]


def test_a_closed_workshop_takes_no_one_new(workshop):
    Workshop.objects.filter(id=workshop.id).update(joining_open=False)
    response = join(workshop.join_code, "Jo")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert workshop.participants.count() == 1


def test_a_guest_token_does_not_open_another_workshop(workshop, other_board):
    token = join(workshop.join_code, "Jo").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"/api/v1/boards/{other_board.id}/").status_code == 404
    assert client.get("/api/v1/workshops/").json() == []
    assert (
        client.post(
            "/api/v1/workshops/", {"title": "x", "template": "empathy-map"}, format="json"
        ).status_code
        == 403
    )


def test_join_attempts_are_limited_per_address_whatever_the_headers(workshop):
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/join/",
            {"code": "ZZZ-ZZZ", "display_name": "Guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        ).status_code
        for i in range(31)
    ]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_a_guest_token_does_not_lift_the_join_limit(workshop):
    token = join(workshop.join_code, "Jo").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    statuses = [
        client.post("/api/v1/join/", {"code": "ZZZ-ZZZ", "display_name": "x"}, format="json").status_code
        for _ in range(31)
    ]
    # Thirty wrong codes a minute per address (boards/join_limit.py), guest or not.
    assert statuses[:30] == [404] * 30 and statuses[-1] == 429
    assert workshop.participants.count() == 2
