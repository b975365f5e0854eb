from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invite, Membership, Role


@pytest.fixture
def invite(team, owner):
    return Invite.objects.create(team=team, created_by=owner, role=Role.FACILITATOR)


def test_it_shows_the_team_and_role_without_joining(client, invite, outsider):
    client.force_login(outsider)
    response = client.get(reverse("invite", args=[invite.key]))
    page = response.content.decode()
    assert "Join Bike repair" in page and "facilitator" in page
    assert invite.team.role_of(outsider) is None


def test_it_adds_the_user_with_the_invite_role(client, invite, outsider):
    client.force_login(outsider)
    response = client.post(reverse("invite", args=[invite.key]))
    assert response.url == reverse("team", args=[invite.team_id])
    assert invite.team.role_of(outsider) == Role.FACILITATOR
    invite.refresh_from_db()
    assert invite.used_by == outsider
    assert invite.used_at is not None


def test_it_sends_anonymous_users_to_log_in_first(client, invite):
    response = client.get(reverse("invite", args=[invite.key]))
    assert response.url == reverse("login") + f"?next=/accounts/invites/{invite.key}/"


def test_it_rejects_an_expired_invite(client, invite, outsider):
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(outsider)
    response = client.post(reverse("invite", args=[invite.key]), follow=True)
    assert "This invite has expired" in response.content.decode()
    assert invite.team.role_of(outsider) is None
    invite.refresh_from_db()
    assert invite.used_at is None


def test_it_rejects_a_used_invite(client, invite, outsider, make_user):
    first = make_user("first")
    client.force_login(first)
    client.post(reverse("invite", args=[invite.key]))
    client.force_login(outsider)
    response = client.post(reverse("invite", args=[invite.key]), follow=True)
    assert "already been used" in response.content.decode()
    assert invite.team.role_of(outsider) is None
    invite.refresh_from_db()
    assert invite.used_by == first


def test_it_tells_a_member_they_are_already_in(client, team, owner, member):
    invite = Invite.objects.create(team=team, created_by=owner, role=Role.OWNER)
    client.force_login(member)
    response = client.post(reverse("invite", args=[invite.key]), follow=True)
    assert "already a member of Bike repair" in response.content.decode()
    assert team.role_of(member) == Role.MEMBER
    invite.refresh_from_db()
    assert invite.used_at is None


def test_it_404s_for_an_unknown_key(client, outsider):
    client.force_login(outsider)
    assert client.post(reverse("invite", args=["no-such-key"])).status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()
