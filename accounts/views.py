"""Sign-up, teams and the dashboard (pages for account holders).

Every team page fetches its team through `accounts.access.team_for` and changes
memberships through `accounts.services`; the views only translate.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import lockout, services
from accounts.access import team_for
from accounts.forms import InviteForm, RoleForm, SignupForm, TeamForm
from accounts.models import Invite, Membership, Role
from boards.models import Workshop


def _next_url(request) -> str | None:
    """The `next` page a login or sign-up should go on to, if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return None


@login_required
def dashboard(request):
    memberships = (
        request.user.memberships.select_related("team")
        .prefetch_related(
            Prefetch(
                "team__workshops",
                # Archived workshops stay on the team's list behind its filter.
                queryset=Workshop.objects.filter(archived_at__isnull=True).order_by("-created_at"),
            )
        )
        .order_by("team__name", "team_id")
    )
    return render(request, "accounts/dashboard.html", {"memberships": memberships})


def signup(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request) or "dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Resonance, {user.get_username()}.")
        return redirect(_next_url(request) or "dashboard")
    return render(request, "registration/signup.html", {"form": form, "next": _next_url(request) or ""})


@login_required
def team_create(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = services.do_create_team(request.user, form.cleaned_data["name"])
        messages.success(request, f"Team “{team}” created. Invite your colleagues below.")
        return redirect("team", team_id=team.id)
    return render(request, "accounts/team_create.html", {"form": form})


@login_required
def team_detail(request, team_id):
    team, me = team_for(request.user, team_id)
    members = team.memberships.select_related("user").order_by("user__username")
    invites = []
    if me.is_owner:
        invites = [
            (invite, request.build_absolute_uri(reverse("invite", args=[invite.key])))
            for invite in team.invites.filter(used_at__isnull=True).order_by("-created_at")
        ]
    return render(
        request,
        "accounts/team_detail.html",
        {
            "team": team,
            "me": me,
            "members": members,
            "invites": invites,
            "invite_form": InviteForm(),
            "roles": Role.choices,
            "workshops": team.workshops.order_by("-created_at"),
        },
    )


@login_required
@require_POST
def invite_create(request, team_id):
    team, _ = team_for(request.user, team_id, role_needed=Role.OWNER)
    form = InviteForm(request.POST)
    if form.is_valid():
        invite = services.do_create_invite(team, request.user, form.cleaned_data["role"])
        messages.success(
            request,
            f"Invite link created for a new {invite.get_role_display().lower()}. "
            "Copy it from the list below; it works once and expires in 7 days.",
        )
    else:
        messages.error(request, "Choose a role for the invite.")
    return redirect("team", team_id=team.id)


@login_required
@require_POST
def invite_revoke(request, team_id, invite_id):
    team, _ = team_for(request.user, team_id, role_needed=Role.OWNER)
    invite = get_object_or_404(Invite, id=invite_id, team=team)
    try:
        services.do_revoke_invite(invite)
    except services.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Invite link revoked; it no longer works.")
    return redirect("team", team_id=team.id)


@login_required
def invite_accept(request, key):
    """GET shows who is inviting and to what; only the POST joins."""
    invite = get_object_or_404(Invite.objects.select_related("team", "created_by"), key=key)
    if request.method == "POST":
        try:
            services.do_accept_invite(invite, request.user)
        except services.AlreadyMember as error:
            messages.info(request, error.message)
            return redirect("team", team_id=invite.team_id)
        except services.MembershipError as error:
            messages.error(request, error.message)
            return redirect("invite", key=key)
        messages.success(request, f"You joined {invite.team} as {invite.get_role_display().lower()}.")
        return redirect("team", team_id=invite.team_id)
    already_member = Membership.objects.filter(team=invite.team, user=request.user).exists()
    return render(
        request, "accounts/invite_accept.html", {"invite": invite, "already_member": already_member}
    )


@login_required
@require_POST
def member_role(request, team_id, membership_id):
    team, _ = team_for(request.user, team_id, role_needed=Role.OWNER)
    membership = get_object_or_404(Membership.objects.select_related("user"), id=membership_id, team=team)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles in the list.")
        return redirect("team", team_id=team.id)
    try:
        membership = services.do_change_role(membership, form.cleaned_data["role"])
    except services.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user} is now {membership.get_role_display().lower()}.")
    return redirect("team", team_id=team.id)


@login_required
@require_POST
def member_remove(request, team_id, membership_id):
    team, _ = team_for(request.user, team_id, role_needed=Role.OWNER)
    membership = get_object_or_404(Membership.objects.select_related("user"), id=membership_id, team=team)
    removing_self = membership.user_id == request.user.id
    try:
        services.do_remove_member(membership, by_self=removing_self)
    except services.MembershipError as error:
        messages.error(request, error.message)
        return redirect("team", team_id=team.id)
    if removing_self:
        messages.success(request, f"You left {team}.")
        return redirect("dashboard")
    messages.success(request, f"{membership.user} was removed from {team}.")
    return redirect("team", team_id=team.id)


@login_required
@require_POST
def team_leave(request, team_id):
    team, me = team_for(request.user, team_id)
    try:
        services.do_leave_team(me)
    except services.MembershipError as error:
        messages.error(request, error.message)
        return redirect("team", team_id=team.id)
    messages.success(request, f"You left {team}.")
    return redirect("dashboard")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per client address (accounts/lockout.py)."""

    def post(self, request, *args, **kwargs):
        if not lockout.count_reset_request(request):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, lockout.RESET_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
