"""GET /api/v1/workshops/{id}/export/?format=... : files for scripts and managers' tools."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from boards.models import Participant


def api(user=None, token=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def url(workshop, query=""):
    return f"/api/v1/workshops/{workshop.id}/export/{query}"


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("md", "text/markdown"), ("csv", "text/csv"), ("json", "application/json"), ("pdf", "application/pdf")],
)
def test_it_serves_each_format_with_a_sensible_file_name(workshop, viewer, fmt, content_type):
    response = api(viewer).get(url(workshop, f"?format={fmt}"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    day = workshop.created_at.date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="resonance-first-time-e-bike-owner-{day}.{fmt}"'
    )


def test_json_with_ops_carries_the_log(workshop, owner):
    document = json.loads(api(owner).get(url(workshop, "?format=json&ops=1")).content)
    assert document["schema"] == "resonance.workshop/2"
    assert sum(len(ops) for ops in document["ops"].values()) > 0


def test_it_rejects_an_unknown_format(workshop, owner):
    response = api(owner).get(url(workshop, "?format=docx"))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "docx" in response.json()["message"]


def test_it_rejects_a_missing_format(workshop, owner):
    response = api(owner).get(url(workshop))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_it_hides_another_teams_workshop(workshop, outsider, other_team):
    response = api(outsider).get(url(workshop, "?format=md"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_it_refuses_anonymous_callers(workshop):
    assert api().get(url(workshop, "?format=md")).status_code == 401


def test_a_guest_participant_can_download_with_their_token(workshop):
    ana = Participant.objects.get(workshop=workshop, display_name="Ana")
    assert api(token=ana.token).get(url(workshop, "?format=csv")).status_code == 200


def test_reading_the_export_does_not_make_a_manager_a_participant(workshop, viewer, owner):
    api(viewer).get(url(workshop, "?format=md"))
    api(owner).get(url(workshop, "?format=md"))
    assert not Participant.objects.filter(workshop=workshop, user__in=[viewer, owner]).exists()


def test_the_openapi_schema_documents_the_exports(owner):
    schema = api(owner).get("/api/v1/schema/?format=json").json()
    export = schema["paths"]["/api/v1/workshops/{workshop_id}/export/"]["get"]
    formats = next(p for p in export["parameters"] if p["name"] == "format")
    assert set(formats["schema"]["enum"]) == {"md", "csv", "json", "pdf"}
    assert set(export["responses"]) >= {"200", "400", "404"}
    assert "/api/v1/boards/{board_id}/curve.png" in schema["paths"]
