"""Pages of the lifecycle: a workshop's status and data, the team's audit log, an account's data.

Forms post here; every action goes through lifecycle/services.py, as the REST API does.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Role
from boards.access import access_workshop, caller_of, can_facilitate, has_team_role
from boards.errors import NotFound, OpError
from lifecycle import services
from lifecycle.api import audit_csv, audit_rows, owner_of
from lifecycle.models import MAX_RETENTION_DAYS


def _here(workshop_id):
    return redirect("workshop-lifecycle", workshop_id=workshop_id)


def _who(request, workshop_id):
    """The caller (account holder or guest) and their participant, or raise 404."""
    caller = caller_of(request, workshop_id)
    if caller is None:
        raise Http404("No such workshop.")
    try:
        workshop, participant = access_workshop(caller, workshop_id, join=False)
    except OpError:
        raise Http404("No such workshop.") from None
    return caller, workshop, participant


def workshop_lifecycle(request, workshop_id):
    """Status, closing, archive, retention, deletion, share links, and the caller's own data."""
    if caller_of(request, workshop_id) is None and not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    caller, workshop, participant = _who(request, workshop_id)
    return render(
        request,
        "lifecycle/workshop.html",
        {
            "workshop": workshop,
            "participant": participant,
            "can_close": can_facilitate(participant),
            "can_manage": has_team_role(caller, workshop.team_id, Role.FACILITATOR),
            "delete_at": services.delete_at(workshop),
            "retention_days": services.retention_days_of(workshop),
            "team_retention_days": services.team_retention_days(workshop.team_id),
            "max_days": MAX_RETENTION_DAYS,
            "share_links": services.share_link_list(workshop) if can_facilitate(participant) else [],
            "first_board": workshop.boards.order_by("position", "id").first(),
        },
    )


def _act(request, workshop_id, do, done):
    caller, _workshop, _participant = _who(request, workshop_id)
    try:
        do(caller)
    except OpError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


@require_POST
def close(request, workshop_id):
    _act(request, workshop_id, lambda c: services.do_close(c, workshop_id), "The workshop is closed.")
    return _here(workshop_id)


@require_POST
def reopen(request, workshop_id):
    _act(request, workshop_id, lambda c: services.do_reopen(c, workshop_id), "The workshop is open again.")
    return _here(workshop_id)


@require_POST
def archive(request, workshop_id):
    archived = request.POST.get("archived") == "1"
    _act(request, workshop_id, lambda c: services.do_archive(c, workshop_id, archived),
         "Archived." if archived else "Taken out of the archive.")  # fmt: skip
    return _here(workshop_id)


def _days_from_form(value: str):
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value  # services.clean_days says what is wrong


@require_POST
def retention(request, workshop_id):
    days = _days_from_form(request.POST.get("days", ""))
    _act(request, workshop_id, lambda c: services.do_set_workshop_retention(c, workshop_id, days),
         "Retention saved.")  # fmt: skip
    return _here(workshop_id)


@require_POST
def delete(request, workshop_id):
    caller, workshop, _participant = _who(request, workshop_id)
    # The confirmation: the title typed again, so a stray click deletes nothing.
    if request.POST.get("confirm_title", "").strip() != workshop.title:
        messages.error(request, "Type the workshop's title exactly to confirm the deletion.")
        return _here(workshop_id)
    try:
        services.do_delete(caller, workshop_id)
    except OpError as error:
        messages.error(request, error.message)
        return _here(workshop_id)
    messages.success(request, f"“{workshop.title}” and everything in it were deleted.")
    return redirect("team-workshops", team_id=workshop.team_id)


def my_data(request, workshop_id):
    _caller_, workshop, participant = _who(request, workshop_id)
    body = json.dumps(services.data_of(participant), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-workshop-{workshop.id}.json"'
    return response


@require_POST
def my_data_erase(request, workshop_id):
    _caller_, _workshop, participant = _who(request, workshop_id)
    try:
        counts = services.erase(participant)
    except OpError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Erased {counts['notes']} notes, {counts['votes']} votes and {counts['emotion_scores']} scores.",
        )
    return _here(workshop_id)


@login_required
def team_audit(request, team_id):
    try:
        owner_of(request.user, team_id)
    except OpError:
        raise Http404("No such team.") from None
    if request.GET.get("format") == "csv":
        return audit_csv(team_id)
    return render(
        request,
        "lifecycle/team_audit.html",
        {
            "team_id": team_id,
            "entries": list(audit_rows(team_id))[:500],
            "team_retention_days": services.team_retention_days(team_id),
            "max_days": MAX_RETENTION_DAYS,
        },
    )


@login_required
@require_POST
def team_retention(request, team_id):
    days = _days_from_form(request.POST.get("days", ""))
    try:
        services.do_set_team_retention(request.user, team_id, days)
    except NotFound:
        raise Http404("No such team.") from None
    except OpError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The team's retention is saved.")
    return redirect("team-audit", team_id=team_id)


@login_required
def account_data(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "erase":
            result = services.erase_account_data(request.user)
            messages.success(request, f"Erased your data in {len(result['erased'])} workshops.")
            for refused in result["refused"]:
                messages.error(request, f"{refused['title']}: {refused['message']}")
        elif action == "delete":
            if not request.user.check_password(request.POST.get("password", "")):
                messages.error(request, "That is not your password: nothing was deleted.")
            else:
                try:
                    services.do_delete_account(request.user)
                except OpError as error:
                    messages.error(request, error.message)
                else:
                    logout(request)
                    messages.success(request, "Your account and what you wrote are deleted.")
                    return redirect("login")
        return redirect("account-data")
    if request.GET.get("format") == "json":
        body = json.dumps(services.account_data(request.user), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="my-resonance-data.json"'
        return response
    return render(request, "lifecycle/account_data.html", {})
