import pytest
from django.urls import reverse

from accounts.models import Membership, Role


def remove(client, team, user):
    membership = Membership.objects.get(team=team, user=user)
    return client.post(reverse("member_remove", args=[team.id, membership.id]), follow=True)


def test_owners_remove_a_member(client, team, owner, member):
    client.force_login(owner)
    response = remove(client, team, member)
    assert team.role_of(member) is None
    assert "maya was removed from Bike repair" in response.content.decode()


def test_it_refuses_to_remove_the_last_owner(client, team, owner):
    client.force_login(owner)
    response = remove(client, team, owner)
    assert "You are the last owner of Bike repair" in response.content.decode()
    assert team.role_of(owner) == Role.OWNER


def test_an_owner_can_remove_another_owner(client, team, owner, member):
    Membership.objects.filter(team=team, user=member).update(role=Role.OWNER)
    client.force_login(owner)
    remove(client, team, member)
    assert team.role_of(member) is None
    assert team.role_of(owner) == Role.OWNER


def test_an_owner_removing_themselves_lands_on_the_dashboard(client, team, owner, member):
    Membership.objects.filter(team=team, user=member).update(role=Role.OWNER)
    client.force_login(owner)
    response = remove(client, team, owner)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert team.role_of(owner) is None


@pytest.mark.parametrize("who", ["facilitator", "member", "viewer"])
def test_it_refuses_non_owners(request, client, team, who, owner):
    client.force_login(request.getfixturevalue(who))
    membership = Membership.objects.get(team=team, user=owner)
    response = client.post(reverse("member_remove", args=[team.id, membership.id]))
    assert response.status_code == 403
    assert team.role_of(owner) == Role.OWNER


def test_it_rejects_outsiders(client, team, outsider, member):
    client.force_login(outsider)
    membership = Membership.objects.get(team=team, user=member)
    assert client.post(reverse("member_remove", args=[team.id, membership.id])).status_code == 404
    assert team.role_of(member) == Role.MEMBER
