import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Invite


@pytest.fixture
def admin_client_(client, db):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "x")
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", ["team", "membership", "invite"])
def test_it_lists_each_model(admin_client_, team, model):
    response = admin_client_.get(reverse(f"admin:accounts_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1 or model == "invite"


def test_team_page_shows_members_inline(admin_client_, team, owner):
    Invite.objects.create(team=team, created_by=owner)
    response = admin_client_.get(reverse("admin:accounts_team_change", args=[team.id]))
    assert response.status_code == 200
    assert "olivia" in response.content.decode()
