"""Joining: a closed workshop, display names, and the QR code of the join link."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from boards.auth import remember_guest
from boards.models import Board, Participant
from tests.facilitation.conftest import do


def _join(code, name):
    return APIClient().post("/api/v1/join/", {"code": code, "display_name": name}, format="json")


def _state(workshop):
    return Participant.objects.filter(workshop=workshop).count(), Board.objects.get(workshop=workshop).seq


def test_it_refuses_to_join_a_closed_workshop(workshop, board, maya):
    do(board, maya, "workshop.joining", {"open": False})
    before = _state(workshop)
    response = _join(workshop.join_code, "Late Larry")
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "This workshop is closed to new participants."}
    assert _state(workshop) == before
    do(board, maya, "workshop.joining", {"open": True})
    assert _join(workshop.join_code, "Late Larry").status_code == 201


@pytest.mark.parametrize(
    "name,message",
    [
        ("", "display_name must not be empty."),
        ("   ", "display_name must not be empty."),
        ("x" * 200, "display_name must be at most 60 characters."),
    ],
)
def test_it_refuses_empty_and_long_names(workshop, name, message):
    before = _state(workshop)
    response = _join(workshop.join_code, name)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": message}
    assert _state(workshop) == before


def test_the_join_page_says_why(client, workshop, board, maya):
    do(board, maya, "workshop.joining", {"open": False})
    response = client.post(reverse("join-form"), {"code": workshop.join_code, "display_name": "Larry"})
    assert response.status_code == 400
    assert b"closed to new participants" in response.content


def test_facilitators_and_participants_get_the_qr_code(client, workshop, maya_user, ana):
    client.force_login(maya_user)
    response = client.get(reverse("workshop-qr", args=[workshop.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")
    guest = client.__class__()
    session = guest.session
    remember_guest(session, ana)
    session.save()
    assert guest.get(reverse("workshop-qr", args=[workshop.id])).status_code == 200


def test_observers_and_outsiders_get_no_qr_code(client, workshop, observer, outsider_user):
    session = client.session
    remember_guest(session, observer)
    session.save()
    assert client.get(reverse("workshop-qr", args=[workshop.id])).status_code == 404
    client.force_login(outsider_user)
    assert client.get(reverse("workshop-qr", args=[workshop.id])).status_code == 404
