"""Pages of the decisions app: the team's actions list."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from boards.access import access_team
from boards.errors import OpError
from decisions.api import team_actions


@login_required
def team_actions_page(request, team_id):
    """Every action of the team's workshops: owner, due date (overdue marked) and status."""
    try:
        team, _membership = access_team(request.user, team_id)
    except OpError:
        raise Http404("No such team.") from None
    return render(request, "decisions/team_actions.html", {"team": team, "actions": team_actions(team)})
