from django.urls import reverse

from accounts.models import Membership, Role, Team


def test_it_makes_the_creator_owner(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("team_create"), {"name": "Design guild"})
    team = Team.objects.get(name="Design guild")
    assert response.url == reverse("team", args=[team.id])
    assert list(team.memberships.values_list("user__username", "role")) == [(outsider.username, Role.OWNER)]


def test_a_user_can_belong_to_several_teams(client, member, team):
    client.force_login(member)
    client.post(reverse("team_create"), {"name": "Second team"})
    assert set(Membership.objects.filter(user=member).values_list("team__name", "role")) == {
        ("Bike repair", Role.MEMBER),
        ("Second team", Role.OWNER),
    }


def test_it_rejects_an_empty_name(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("team_create"), {"name": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Team.objects.exists()


def test_it_requires_login(client, db):
    response = client.post(reverse("team_create"), {"name": "Sneaky"})
    assert response.url.startswith(reverse("login"))
    assert not Team.objects.exists()
