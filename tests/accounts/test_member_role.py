import pytest
from django.urls import reverse

from accounts.models import Membership, Role


def change_role(client, team, user, role):
    membership = Membership.objects.get(team=team, user=user)
    return client.post(reverse("member_role", args=[team.id, membership.id]), {"role": role}, follow=True)


def test_owners_change_a_role(client, team, owner, member):
    client.force_login(owner)
    response = change_role(client, team, member, "facilitator")
    assert team.role_of(member) == Role.FACILITATOR
    assert "maya is now facilitator" in response.content.decode()


def test_owners_can_make_another_owner_then_step_down(client, team, owner, member):
    client.force_login(owner)
    change_role(client, team, member, "owner")
    change_role(client, team, owner, "viewer")
    assert team.role_of(member) == Role.OWNER
    assert team.role_of(owner) == Role.VIEWER


def test_it_refuses_to_demote_the_last_owner(client, team, owner):
    client.force_login(owner)
    response = change_role(client, team, owner, "member")
    assert "You are the last owner" not in response.content.decode()
    assert "olivia is the last owner of Bike repair" in response.content.decode()
    assert team.role_of(owner) == Role.OWNER


@pytest.mark.parametrize("who", ["facilitator", "member", "viewer"])
def test_it_refuses_non_owners(request, client, team, who, member):
    client.force_login(request.getfixturevalue(who))
    membership = Membership.objects.get(team=team, user=member)
    response = client.post(reverse("member_role", args=[team.id, membership.id]), {"role": "owner"})
    assert response.status_code == 403
    assert team.role_of(member) == Role.MEMBER


def test_a_viewer_cannot_promote_themselves(client, team, viewer):
    client.force_login(viewer)
    membership = Membership.objects.get(team=team, user=viewer)
    assert (
        client.post(reverse("member_role", args=[team.id, membership.id]), {"role": "owner"}).status_code
        == 403
    )
    assert team.role_of(viewer) == Role.VIEWER


def test_it_rejects_outsiders(client, team, outsider, member):
    client.force_login(outsider)
    membership = Membership.objects.get(team=team, user=member)
    assert (
        client.post(reverse("member_role", args=[team.id, membership.id]), {"role": "viewer"}).status_code
        == 404
    )
    assert team.role_of(member) == Role.MEMBER


def test_it_rejects_an_unknown_role(client, team, owner, member):
    client.force_login(owner)
    change_role(client, team, member, "superuser")
    assert team.role_of(member) == Role.MEMBER


def test_it_cannot_reach_a_membership_of_another_team(client, team, owner, make_user):
    from accounts.services import do_create_team

    stranger = make_user("stranger")
    other = do_create_team(stranger, "Other team")
    foreign = Membership.objects.get(team=other, user=stranger)
    client.force_login(owner)
    response = client.post(reverse("member_role", args=[team.id, foreign.id]), {"role": "viewer"})
    assert response.status_code == 404
    assert other.role_of(stranger) == Role.OWNER
