"""Share links with an expiry: refused in the past, 404 once expired, listed with who made them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from boards.models import ShareLink
from lifecycle.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_expiry_in_the_past_is_refused_and_makes_nothing(client, maya, workshop):
    client.force_login(maya)
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    response = client.post(f"/w/{workshop.id}/share/", {"expires_on": yesterday}, follow=True)
    assert "The expiry date is in the past" in response.content.decode()
    assert not ShareLink.objects.exists()
    response = client.post(f"/w/{workshop.id}/share/", {"expires_on": "31/12/2026"}, follow=True)
    assert "must be a date" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_link_works_until_its_day_ends_then_answers_404(client, maya, workshop):
    client.force_login(maya)
    today = timezone.now().date().isoformat()
    client.post(f"/w/{workshop.id}/share/", {"expires_on": today})
    link = ShareLink.objects.get()
    assert link.expires_at > timezone.now() and link.is_live
    client.logout()
    assert client.get(f"/s/{link.token}/").status_code == 200
    ShareLink.objects.filter(id=link.id).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/s/{link.token}/").status_code == 404
    assert client.get(f"/s/{link.token}/export/?format=md").status_code == 404


def test_links_are_listed_on_the_workshop_page_with_their_maker(client, maya, workshop):
    client.force_login(maya)
    client.post(f"/w/{workshop.id}/share/", {"expires_on": ""})
    link = ShareLink.objects.get()
    link.revoke(by=maya)
    page = client.get(f"/w/{workshop.id}/lifecycle/").content.decode()
    assert "by maya" in page and "revoked" in page
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["share_link.created", "share_link.revoked"]
