"""The workshop's status page: the close button, the deletion date, deletion with confirmation; admin."""

from datetime import timedelta

import pytest

from boards.models import Workshop

pytestmark = pytest.mark.django_db


def test_the_page_shows_when_it_will_be_deleted(api, client, maya, maya_team, workshop):
    api.put(f"/api/v1/teams/{maya_team.id}/retention/", {"days": 30}, format="json")
    client.force_login(maya)
    assert (
        "Will be deleted 30 days after it closes."
        in client.get(f"/w/{workshop.id}/lifecycle/").content.decode()
    )
    client.post(f"/w/{workshop.id}/close/")
    workshop.refresh_from_db()
    due = (workshop.closed_at + timedelta(days=30)).strftime("%-d %b %Y")
    page = client.get(f"/w/{workshop.id}/lifecycle/").content.decode()
    assert "Will be deleted on" in page and due in page and "Closed" in page


def test_deletion_needs_the_title_typed_again(client, maya, workshop):
    client.force_login(maya)
    response = client.post(f"/w/{workshop.id}/delete/", {"confirm_title": "First-time"}, follow=True)
    assert "Type the workshop" in response.content.decode()
    assert Workshop.objects.filter(id=workshop.id).exists()
    response = client.post(f"/w/{workshop.id}/delete/", {"confirm_title": "First-time e-bike owner"})
    assert response.status_code == 302
    assert not Workshop.objects.filter(id=workshop.id).exists()


def test_a_guest_gets_their_data_and_no_management(client, workshop, guest):
    session = client.session
    from boards.auth import SESSION_KEY

    session[SESSION_KEY] = {str(workshop.id): guest.id}
    session.save()
    page = client.get(f"/w/{workshop.id}/lifecycle/").content.decode()
    assert (
        "Erase what I wrote" in page
        and "Delete the workshop" not in page
        and "Close the workshop" not in page
    )
    assert client.get(f"/w/{workshop.id}/my-data.json").json()["participant"]["display_name"] == "Jo"


def test_operators_see_workshops_with_retention_and_size(admin_client, workshop):
    page = admin_client.get("/admin/lifecycle/workshoplifecycle/").content.decode()
    assert "First-time e-bike owner" in page and "keep" in page
