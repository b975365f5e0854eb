"""Archiving: hidden from the default lists, shown by a filter, nothing else changed."""

import pytest

from boards.models import Note

pytestmark = pytest.mark.django_db


def test_an_archived_workshop_leaves_the_default_lists(api, client, maya, maya_team, workshop):
    assert api.post(f"/api/v1/workshops/{workshop.id}/archive/").json()["archived"] is True
    assert [w["id"] for w in api.get("/api/v1/workshops/").json()] == []
    assert [w["id"] for w in api.get("/api/v1/workshops/?archived=true").json()] == [workshop.id]
    client.force_login(maya)
    assert "First-time e-bike owner" not in client.get(f"/teams/{maya_team.id}/workshops/").content.decode()
    archived = client.get(f"/teams/{maya_team.id}/workshops/?archived=1").content.decode()
    assert "First-time e-bike owner" in archived and "Archived" in archived
    # Still there and readable.
    assert api.get(f"/api/v1/workshops/{workshop.id}/").status_code == 200


def test_archiving_twice_is_invalid_and_unarchive_brings_it_back(api, workshop):
    api.post(f"/api/v1/workshops/{workshop.id}/archive/")
    again = api.post(f"/api/v1/workshops/{workshop.id}/archive/")
    assert again.status_code == 400 and again.json()["code"] == "invalid"
    assert api.post(f"/api/v1/workshops/{workshop.id}/unarchive/").json()["archived"] is False
    assert [w["id"] for w in api.get("/api/v1/workshops/").json()] == [workshop.id]


def test_guests_cannot_archive(guest_api, workshop, guest):
    response = guest_api(guest).post(f"/api/v1/workshops/{workshop.id}/archive/")
    assert response.status_code == 404
    workshop.refresh_from_db()
    assert workshop.archived_at is None and not Note.objects.exists()
