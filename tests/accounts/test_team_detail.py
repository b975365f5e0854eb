from django.urls import reverse

from accounts.models import Invite, Role
from boards.models import Workshop


def test_it_lists_members_with_roles(client, team, member):
    client.force_login(member)
    response = client.get(reverse("team", args=[team.id]))
    assert response.status_code == 200
    listed = {(m.user.username, m.role) for m in response.context["members"]}
    assert listed == {
        ("olivia", Role.OWNER),
        ("fred", Role.FACILITATOR),
        ("maya", Role.MEMBER),
        ("luis", Role.VIEWER),
    }
    page = response.content.decode()
    assert "olivia" in page and "Facilitator" in page


def test_it_rejects_outsiders(client, team, outsider):
    client.force_login(outsider)
    response = client.get(reverse("team", args=[team.id]))
    assert response.status_code == 404
    assert "Bike repair" not in response.content.decode()


def test_it_requires_login(client, team):
    response = client.get(reverse("team", args=[team.id]))
    assert response.url.startswith(reverse("login"))


def test_owners_see_open_invite_links(client, team, owner):
    invite = Invite.objects.create(team=team, created_by=owner, role=Role.VIEWER)
    client.force_login(owner)
    page = client.get(reverse("team", args=[team.id])).content.decode()
    assert f"/accounts/invites/{invite.key}/" in page


def test_non_owners_see_no_invite_links_or_owner_controls(client, team, owner, facilitator):
    invite = Invite.objects.create(team=team, created_by=owner)
    client.force_login(facilitator)
    page = client.get(reverse("team", args=[team.id])).content.decode()
    assert invite.key not in page
    assert "Create invite link" not in page
    assert "/remove/" not in page


def test_it_lists_the_team_workshops(client, team, viewer):
    workshop = Workshop.objects.create(team=team, title="First-time e-bike owner")
    client.force_login(viewer)
    page = client.get(reverse("team", args=[team.id])).content.decode()
    assert f'href="/w/{workshop.id}/"' in page
