"""/w/{id}/summary/: the summary for the team and the workshop's participants."""

import pytest
from django.conf import settings
from django.test import Client

from boards.auth import remember_guest
from boards.models import Participant


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(workshop):
    return f"/w/{workshop.id}/summary/"


@pytest.mark.parametrize("who", ["owner", "facilitator", "member", "viewer"])
def test_every_team_member_reads_it(workshop, request, who):
    response = client_for(request.getfixturevalue(who)).get(url(workshop))
    assert response.status_code == 200
    page = response.content.decode()
    assert "First-time e-bike owner" in page
    assert "Persona: Sam" in page
    assert "I just need it to work by Monday." in page
    assert "css/summary.css" in page


def test_the_stylesheet_has_print_rules():
    css = (settings.BASE_DIR / "static" / "css" / "summary.css").read_text()
    assert "@media print" in css and "counter(pages)" in css


def test_a_guest_participant_reads_it(workshop):
    client = Client()
    session = client.session
    remember_guest(session, Participant.objects.get(workshop=workshop, display_name="Ana"))
    session.save()
    assert client.get(url(workshop)).status_code == 200


def test_participant_text_is_escaped(workshop, viewer):
    page = client_for(viewer).get(url(workshop)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_it_rejects_outsiders(workshop, outsider, other_team):
    assert client_for(outsider).get(url(workshop)).status_code == 404


def test_it_sends_strangers_to_log_in(workshop):
    response = client_for().get(url(workshop))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_reading_does_not_make_a_manager_a_participant(workshop, viewer):
    client_for(viewer).get(url(workshop))
    assert not Participant.objects.filter(workshop=workshop, user=viewer).exists()


def test_it_offers_the_exports(workshop, viewer):
    page = client_for(viewer).get(url(workshop)).content.decode()
    for fmt in ["pdf", "md", "csv", "json"]:
        assert f"/w/{workshop.id}/export/?format={fmt}" in page


def test_share_links_are_offered_to_facilitators_only(workshop, facilitator, member, viewer):
    assert "Create a share link" in client_for(facilitator).get(url(workshop)).content.decode()
    assert "Create a share link" not in client_for(member).get(url(workshop)).content.decode()
    assert "Create a share link" not in client_for(viewer).get(url(workshop)).content.decode()


def test_an_empty_workshop_has_a_summary(empty_workshop, viewer):
    page = client_for(viewer).get(url(empty_workshop)).content.decode()
    assert "No notes." in page
