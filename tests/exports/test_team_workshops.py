"""/teams/{id}/workshops/: a manager's list of the team's workshops."""

from django.test import Client
from django.utils import timezone

from boards.models import Participant, ParticipantRole


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_status_participants_activity_and_links(workshop, empty_workshop, viewer, team):
    empty_workshop.closed_at = timezone.now()
    empty_workshop.save()
    Participant.objects.create(workshop=workshop, display_name="Watcher", role=ParticipantRole.OBSERVER)
    response = logged_in(viewer).get(f"/teams/{team.id}/workshops/")
    assert response.status_code == 200
    rows = {w.title: w for w in response.context["workshops"]}
    assert rows["First-time e-bike owner"].participant_count == 2  # Fred and Ana, not the observer
    assert rows["First-time e-bike owner"].last_activity is not None
    assert rows["Empty one"].last_activity is None
    page = response.content.decode()
    assert "Open" in page and "Closed" in page
    assert f"/w/{workshop.id}/summary/" in page
    assert f"/w/{workshop.id}/export/?format=pdf" in page


def test_it_searches_by_title_or_persona_name(workshop, empty_workshop, viewer, team):
    client = logged_in(viewer)
    by_title = client.get(f"/teams/{team.id}/workshops/?q=empty").context["workshops"]
    assert [w.title for w in by_title] == ["Empty one"]
    by_persona = client.get(f"/teams/{team.id}/workshops/?q=sam").context["workshops"]
    assert [w.title for w in by_persona] == ["First-time e-bike owner"]
    assert "No workshop matches" in client.get(f"/teams/{team.id}/workshops/?q=zzz").content.decode()


def test_it_rejects_outsiders(team, outsider):
    assert logged_in(outsider).get(f"/teams/{team.id}/workshops/").status_code == 404


def test_it_sends_strangers_to_log_in(team):
    assert Client().get(f"/teams/{team.id}/workshops/").status_code == 302
