from django.urls import reverse

from accounts.models import Membership, Role
from accounts.services import do_create_team
from boards.models import Workshop


def test_it_lists_teams_and_their_workshops(client, team, member):
    workshop = Workshop.objects.create(team=team, title="First-time e-bike owner")
    client.force_login(member)
    response = client.get(reverse("dashboard"))
    page = response.content.decode()
    assert [m.team for m in response.context["memberships"]] == [team]
    assert "Bike repair" in page
    assert f'href="/w/{workshop.id}/"' in page
    assert workshop.join_code in page
    assert "No workshops yet" not in page


def test_it_shows_an_honest_empty_state_with_a_new_workshop_button(client, team, owner):
    client.force_login(owner)
    page = client.get(reverse("dashboard")).content.decode()
    assert "No workshops yet" in page
    assert f'href="/w/new/?team={team.id}"' in page


def test_viewers_get_no_new_workshop_button(client, team, viewer):
    client.force_login(viewer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "No workshops yet" in page
    assert "/w/new/" not in page


def test_it_invites_a_user_without_team_to_create_one(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Create your first team" in page
    assert f'href="{reverse("team_create")}"' in page


def test_it_shows_every_team_of_the_user_and_no_other(client, team, member, outsider):
    mine = do_create_team(member, "Another team")
    do_create_team(outsider, "Not mine")
    Workshop.objects.create(team=Membership.objects.get(user=outsider).team, title="Secret workshop")
    client.force_login(member)
    response = client.get(reverse("dashboard"))
    assert {m.team for m in response.context["memberships"]} == {team, mine}
    assert "Secret workshop" not in response.content.decode()
    assert "Not mine" not in response.content.decode()


def test_it_requires_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.url.startswith(reverse("login"))


def test_it_shows_the_role_in_each_team(client, team, viewer):
    client.force_login(viewer)
    response = client.get(reverse("dashboard"))
    assert [m.role for m in response.context["memberships"]] == [Role.VIEWER]


def test_its_query_count_does_not_grow_with_teams(client, member, django_assert_max_num_queries):
    for n in range(5):
        team = do_create_team(member, f"Team {n}")
        Workshop.objects.create(team=team, title=f"Workshop {n}")
    client.force_login(member)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("dashboard"))
    assert response.content.decode().count('href="/w/') >= 5


def test_managers_find_the_summaries_and_exports_from_it(client, team, viewer):
    workshop = Workshop.objects.create(team=team, title="E-bike owners")
    client.force_login(viewer)
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="/w/{workshop.id}/summary/"' in html
    assert f'href="/teams/{team.id}/workshops/"' in html
