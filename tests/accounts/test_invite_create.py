import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invite, Role


def test_owners_create_an_invite_with_a_role(client, team, owner):
    client.force_login(owner)
    response = client.post(reverse("invite_create", args=[team.id]), {"role": "facilitator"})
    assert response.url == reverse("team", args=[team.id])
    invite = Invite.objects.get(team=team)
    assert invite.role == Role.FACILITATOR
    assert invite.created_by == owner
    assert invite.used_at is None
    assert invite.expires_at > timezone.now()


@pytest.mark.parametrize("who", ["facilitator", "member", "viewer"])
def test_it_refuses_non_owners(request, client, team, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("invite_create", args=[team.id]), {"role": "owner"})
    assert response.status_code == 403
    assert "Only a team owner can do that." in response.content.decode()
    assert not Invite.objects.exists()


def test_it_rejects_outsiders(client, team, outsider):
    client.force_login(outsider)
    response = client.post(reverse("invite_create", args=[team.id]), {"role": "member"})
    assert response.status_code == 404
    assert not Invite.objects.exists()


def test_it_rejects_an_unknown_role(client, team, owner):
    client.force_login(owner)
    client.post(reverse("invite_create", args=[team.id]), {"role": "admin"})
    assert not Invite.objects.exists()


def test_it_refuses_get(client, team, owner):
    client.force_login(owner)
    assert client.get(reverse("invite_create", args=[team.id])).status_code == 405
    assert not Invite.objects.exists()


def test_owners_revoke_an_unused_invite(client, team, owner):
    invite = Invite.objects.create(team=team, created_by=owner)
    client.force_login(owner)
    client.post(reverse("invite_revoke", args=[team.id, invite.id]))
    assert not Invite.objects.exists()


def test_non_owners_cannot_revoke(client, team, owner, facilitator):
    invite = Invite.objects.create(team=team, created_by=owner)
    client.force_login(facilitator)
    assert client.post(reverse("invite_revoke", args=[team.id, invite.id])).status_code == 403
    assert Invite.objects.filter(pk=invite.pk).exists()


def test_a_used_invite_is_not_revoked(client, team, owner, member):
    invite = Invite.objects.create(team=team, created_by=owner, used_by=member, used_at=timezone.now())
    client.force_login(owner)
    client.post(reverse("invite_revoke", args=[team.id, invite.id]))
    assert Invite.objects.filter(pk=invite.pk).exists()
