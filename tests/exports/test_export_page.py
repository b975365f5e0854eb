"""/w/{id}/export/?format=...: the files behind the summary page's buttons."""

from django.test import Client

from boards.auth import remember_guest
from boards.models import Participant


def test_it_serves_the_file_to_a_team_member(workshop, viewer):
    client = Client()
    client.force_login(viewer)
    response = client.get(f"/w/{workshop.id}/export/?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="resonance-first-time-e-bike-owner-'
    )


def test_it_serves_a_guest_participant(workshop):
    client = Client()
    session = client.session
    remember_guest(session, Participant.objects.get(workshop=workshop, display_name="Ana"))
    session.save()
    assert client.get(f"/w/{workshop.id}/export/?format=md").status_code == 200


def test_it_rejects_an_unknown_format(workshop, viewer):
    client = Client()
    client.force_login(viewer)
    response = client.get(f"/w/{workshop.id}/export/?format=xlsx")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_it_rejects_outsiders(workshop, outsider, other_team):
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/w/{workshop.id}/export/?format=md").status_code == 404
