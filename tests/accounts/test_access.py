import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import team_for
from accounts.models import Role


def test_it_returns_the_team_and_membership(team, member):
    found, membership = team_for(member, team.id)
    assert found == team
    assert membership.user == member
    assert membership.role == Role.MEMBER


def test_it_rejects_outsiders_with_404(team, outsider):
    with pytest.raises(Http404):
        team_for(outsider, team.id)


def test_it_rejects_anonymous_users_with_404(team):
    with pytest.raises(Http404):
        team_for(AnonymousUser(), team.id)


def test_it_rejects_unknown_teams_with_404(owner):
    with pytest.raises(Http404):
        team_for(owner, 999_999)


@pytest.mark.parametrize(
    ("who", "needed", "allowed"),
    [
        ("owner", Role.OWNER, True),
        ("facilitator", Role.OWNER, False),
        ("member", Role.OWNER, False),
        ("viewer", Role.OWNER, False),
        ("facilitator", Role.FACILITATOR, True),
        ("member", Role.FACILITATOR, False),
        ("member", Role.MEMBER, True),
        ("viewer", Role.MEMBER, False),
        ("viewer", Role.VIEWER, True),
    ],
)
def test_it_ranks_roles(request, team, who, needed, allowed):
    user = request.getfixturevalue(who)
    if allowed:
        assert team_for(user, team.id, role_needed=needed)[0] == team
    else:
        with pytest.raises(PermissionDenied):
            team_for(user, team.id, role_needed=needed)
