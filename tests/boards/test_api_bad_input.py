"""REST: input that used to answer 500 now answers a 4xx JSON error and changes nothing."""

import json

import pytest
from rest_framework.test import APIClient

from boards.models import Note, Op, Template, Workshop


def as_participant(participant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {participant.token}")
    return client


@pytest.fixture
def api(maya_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {maya_token}")
    return client


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def assert_error(response, status, code="invalid"):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["message"]


@pytest.mark.parametrize("text", ["before\x00after", "lone \ud800 surrogate", "\udfff"])
def test_it_refuses_nul_and_lone_surrogates_in_note_text(board, guest, text):
    body = json.dumps({"op": "note.add", "data": {"section": "says", "text": text}})
    response = as_participant(guest).post(
        f"/api/v1/boards/{board.id}/ops/", body, content_type="application/json"
    )
    assert_error(response, 400)
    assert not Note.objects.exists() and not Op.objects.exists()


def test_it_refuses_json_nested_30000_deep(board, guest):
    body = '{"op": "note.add", "data": {"section": "says", "text": "x", "deep": ' + nested(30000) + "}}"
    response = as_participant(guest).post(
        f"/api/v1/boards/{board.id}/ops/", body, content_type="application/json"
    )
    assert_error(response, 400)
    assert not Op.objects.exists()


def test_it_refuses_json_deeper_than_the_limit_but_not_at_it(board, guest):
    from boards.wire import MAX_DEPTH

    client = as_participant(guest)
    url = f"/api/v1/boards/{board.id}/ops/"
    # The body object, data, and a list inside it: 3 levels before the nested lists.
    ok = '{"op": "note.add", "data": {"section": "says", "text": "x", "x": ' + nested(MAX_DEPTH - 2) + "}}"
    deep = '{"op": "note.add", "data": {"section": "says", "text": "x", "x": ' + nested(MAX_DEPTH - 1) + "}}"
    assert client.post(url, ok, content_type="application/json").status_code == 200
    assert_error(client.post(url, deep, content_type="application/json"), 400)


def test_a_template_copy_of_a_digit_that_is_no_number_is_not_found(api, maya_team):
    response = api.post("/api/v1/templates/", {"copy_of": "²"}, format="json")
    assert_error(response, 404, "not_found")
    assert not Template.objects.filter(team=maya_team).exists()


@pytest.mark.parametrize("team", [2**63, 2**63 + 5, 10**30, -(2**63) - 1])
def test_a_team_id_past_64_bits_is_refused(api, maya_team, team):
    response = api.post(
        "/api/v1/workshops/", {"title": "t", "template": "empathy-map", "team": team}, format="json"
    )
    assert response.status_code in (400, 404)
    assert response.json()["code"] in ("invalid", "not_found")
    assert not Workshop.objects.exists()
    response = api.post("/api/v1/templates/", {"copy_of": "empathy-map", "team": team}, format="json")
    assert response.status_code in (400, 403, 404)
    assert response.json()["code"] in ("invalid", "forbidden", "not_found")


@pytest.mark.parametrize("board_id", [2**63, 10**25])
def test_a_board_id_past_64_bits_is_a_json_404(api, board_id):
    assert_error(api.get(f"/api/v1/boards/{board_id}/"), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/boards/abc/", "/api/v1/boards/-1/", "/api/v1/workshops/1x/", "/api/v1/nothing-here/", "/api/"],
)
def test_malformed_ids_and_unknown_urls_under_api_are_json_404s(api, path):
    assert_error(api.get(path), 404, "not_found")


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("{", "application/json"),
        ("x=1", "text/plain"),
        ("\xff", "application/json"),
        ("[]", "application/json"),
    ],
)
def test_a_missing_board_with_a_bad_body_is_a_json_4xx(api, body, content_type):
    response = api.post("/api/v1/boards/999999/ops/", body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert response.json()["code"] in ("invalid", "not_found", "unsupported_media_type")


@pytest.mark.parametrize(
    "body, content_type",
    [("{", "application/json"), ("x=1", "text/plain"), (nested(30000), "application/json")],
)
def test_a_missing_template_with_a_bad_body_is_a_json_4xx(api, body, content_type):
    response = api.put("/api/v1/templates/999999/", body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert response.json()["code"] in ("invalid", "not_found", "unsupported_media_type")


def test_a_bad_content_type_is_a_json_415(api, board):
    response = api.post(f"/api/v1/boards/{board.id}/ops/", "op=note.add", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_a_crash_under_api_is_a_json_500(api, board, monkeypatch):
    from django.test import Client

    from boards import api as api_module

    def crash(self, request, board_id):
        raise RuntimeError("boom")

    monkeypatch.setattr(api_module.BoardView, "get", crash)
    client = Client(raise_request_exception=False)
    client.force_login(board.workshop.created_by)
    response = client.get(f"/api/v1/boards/{board.id}/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
