import pytest
from django.urls import reverse

from accounts.models import Invite


@pytest.mark.parametrize("model", ["team", "membership", "invite"])
def test_it_lists_each_model(admin_client, team, owner, model):
    Invite.objects.create(team=team, created_by=owner)
    response = admin_client.get(reverse(f"admin:accounts_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_team_page_shows_members_inline(admin_client, team):
    response = admin_client.get(reverse("admin:accounts_team_change", args=[team.id]))
    assert response.status_code == 200
    assert "olivia" in response.content.decode()


def test_it_refuses_non_staff(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:accounts_team_changelist"))
    assert response.status_code == 302
