from django.urls import reverse

from accounts.models import Membership, Role


def test_a_member_leaves(client, team, member):
    client.force_login(member)
    response = client.post(reverse("team_leave", args=[team.id]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "You left Bike repair" in response.content.decode()
    assert team.role_of(member) is None
    assert team.memberships.count() == 3


def test_the_last_owner_cannot_leave(client, team, owner):
    client.force_login(owner)
    response = client.post(reverse("team_leave", args=[team.id]), follow=True)
    assert "You are the last owner of Bike repair" in response.content.decode()
    assert team.role_of(owner) == Role.OWNER


def test_an_owner_leaves_when_another_owner_remains(client, team, owner, facilitator):
    Membership.objects.filter(team=team, user=facilitator).update(role=Role.OWNER)
    client.force_login(owner)
    client.post(reverse("team_leave", args=[team.id]))
    assert team.role_of(owner) is None
    assert team.role_of(facilitator) == Role.OWNER


def test_it_rejects_outsiders(client, team, outsider):
    client.force_login(outsider)
    assert client.post(reverse("team_leave", args=[team.id])).status_code == 404
    assert team.memberships.count() == 4


def test_it_refuses_get(client, team, member):
    client.force_login(member)
    assert client.get(reverse("team_leave", args=[team.id])).status_code == 405
    assert team.role_of(member) == Role.MEMBER
