"""Sign-up, teams and the dashboard (pages for account holders)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html", {"teams": request.user.teams.all()})
