"""The one place that decides who may see or change a team.

Every team page fetches its team through `team_for`; no view checks roles by hand.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Membership, Role, Team, role_at_least


def team_for(user, team_id, role_needed: str = Role.VIEWER) -> tuple[Team, Membership]:
    """The team and the caller's membership in it.

    Raises Http404 for outsiders (so team ids cannot be probed) and
    PermissionDenied when the caller's role is below `role_needed`.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such team.")
    membership = Membership.objects.select_related("team").filter(team_id=team_id, user=user).first()
    if membership is None:
        raise Http404("No such team.")
    if not role_at_least(membership.role, role_needed):
        raise PermissionDenied(f"Only a team {Role(role_needed).label.lower()} can do that.")
    return membership.team, membership
