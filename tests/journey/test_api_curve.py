"""GET /api/v1/boards/<id>/curve/ and /curve.svg."""

import pytest
from rest_framework.test import APIClient

from tests.journey.helpers import op


def client_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def scored(board, guest, second_guest, persona):
    for who, stage, score in [(guest, "buy", -3), (second_guest, "buy", -2), (guest, "use", 2)]:
        op(board, who, "emotion.set", stage=stage, persona=persona.id, score=score)
    return board


def test_curve_numbers(scored, maya_token, persona):
    response = client_with(maya_token).get(f"/api/v1/boards/{scored.id}/curve/")
    assert response.status_code == 200
    body = response.json()
    assert body["board"] == scored.id and body["seq"] == 3
    (curve,) = body["curves"]
    assert curve["persona"]["id"] == persona.id
    buy = next(p for p in curve["stages"] if p["stage"] == "buy")
    assert (buy["count"], buy["mean"], buy["min"], buy["max"], buy["sd"]) == (2, -2.5, -3, -2, 0.5)
    assert curve["moments_of_truth"] == ["buy"]


def test_curve_svg(scored, maya_token, persona):
    response = client_with(maya_token).get(
        f"/api/v1/boards/{scored.id}/curve.svg?personas={persona.id}&width=600&height=240&compact=1"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["X-Board-Seq"] == "3"
    svg = response.content.decode()
    assert svg.startswith("<svg") and 'viewBox="0 0 600 240"' in svg and "Moment of truth" in svg


def test_a_guest_token_works_and_sees_only_what_it_may(scored, guest, facilitator, board, workshop):
    from boards.workshops import join_workshop

    op(board, facilitator, "journey.settings", scores_visible_before_own=False, respondent_floor=1)
    newcomer = join_workshop(workshop.join_code, "Kim")
    body = client_with(newcomer.token).get(f"/api/v1/boards/{board.id}/curve/").json()
    assert all(p["count"] == 0 for p in body["curves"][0]["stages"])
    body = client_with(guest.token).get(f"/api/v1/boards/{board.id}/curve/").json()
    assert [p["count"] for p in body["curves"][0]["stages"] if p["count"]] == [2, 1]


def test_it_rejects_outsiders(scored, outsider):
    for path in ("curve/", "curve.svg"):
        response = client_with(outsider).get(f"/api/v1/boards/{scored.id}/{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_it_needs_authentication(scored):
    assert APIClient().get(f"/api/v1/boards/{scored.id}/curve/").status_code in (401, 403)


def test_an_empathy_map_has_no_curve(empathy_board, maya_token):
    assert client_with(maya_token).get(f"/api/v1/boards/{empathy_board.id}/curve/").status_code == 404


def test_bad_parameters(scored, maya_token):
    client = client_with(maya_token)
    for query in ("width=5", "height=abc", "personas=x,y"):
        response = client.get(f"/api/v1/boards/{scored.id}/curve.svg?{query}")
        assert response.status_code == 400, query


def test_ops_over_rest(board, maya_token):
    response = client_with(maya_token).post(
        f"/api/v1/boards/{board.id}/ops/",
        {"op": "stage.add", "data": {"title": "Ride again"}, "client_op_id": "a1"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["op"]["data"] == {"stage": "ride-again", "title": "Ride again", "index": 6}


def test_a_guest_browser_reads_the_curve_with_its_session(scored, workshop, other_workshop_board):
    from django.test import Client

    browser = Client()
    response = browser.post(f"/j/{workshop.join_code}", {"code": workshop.join_code, "display_name": "Kim"})
    assert response.status_code == 302
    assert browser.get(f"/api/v1/boards/{scored.id}/curve/").status_code == 200
    assert browser.get(f"/api/v1/boards/{scored.id}/curve.svg").status_code == 200
    # The session is a guest of this workshop only.
    assert browser.get(f"/api/v1/boards/{other_workshop_board.id}/curve/").status_code in (401, 403, 404)
    # And it is for reading: ops need the token or the socket.
    response = browser.post(f"/api/v1/boards/{scored.id}/ops/", {"op": "stage.add", "data": {"title": "X"}})
    assert response.status_code in (401, 403)
