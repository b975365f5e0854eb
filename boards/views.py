"""Pages: start a workshop, join one by code, and the board itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import Membership, Role
from boards.access import access_board, participant_for
from boards.auth import guest_from_session, remember_guest
from boards.errors import OpError
from boards.models import Board, Template, Workshop
from boards.workshops import create_workshop, join_workshop, normalise_code


@login_required
def workshop_new(request):
    """A facilitator starts a workshop from a template."""
    memberships = Membership.objects.filter(
        user=request.user, role__in=[Role.OWNER, Role.FACILITATOR]
    ).select_related("team")
    teams = [m.team for m in memberships]
    if not teams:
        messages.info(request, "Create a team first: workshops belong to a team.")
        return redirect("dashboard")
    team_ids = {t.id for t in teams}
    templates = Template.objects.filter(Q(team__isnull=True) | Q(team_id__in=team_ids))
    error = None
    if request.method == "POST":
        try:
            team_id = int(request.POST.get("team", ""))
            template_id = int(request.POST.get("template", ""))
        except ValueError:
            team_id = template_id = None
        team = next((t for t in teams if t.id == team_id), None)
        template = templates.filter(id=template_id).first()
        if team is None or template is None:
            error = "Choose a team and a template."
        else:
            try:
                workshop = create_workshop(request.user, team, request.POST.get("title", ""), template)
            except OpError as exc:
                error = exc.message
            else:
                return redirect("workshop", workshop_id=workshop.id)
    return render(
        request,
        "boards/workshop_new.html",
        {
            "teams": teams,
            "templates": templates,
            "selected_team": request.GET.get("team") or request.POST.get("team"),
            "error": error,
            "title": request.POST.get("title", ""),
        },
    )


def _caller(request, workshop_id):
    if request.user.is_authenticated:
        return request.user
    return guest_from_session(request.session, workshop_id)


def workshop_page(request, workshop_id):
    """A workshop opens on its first board."""
    workshop = Workshop.objects.filter(id=workshop_id).first()
    caller = _caller(request, workshop_id) if workshop else None
    if workshop is None or caller is None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        raise Http404("No such workshop.")
    if participant_for(caller, workshop) is None:
        raise Http404("No such workshop.")
    board = workshop.boards.first()
    if board is None:
        raise Http404("This workshop has no boards.")
    return redirect("board", board_id=board.id)


def board_page(request, board_id):
    workshop_id = Board.objects.filter(id=board_id).values_list("workshop_id", flat=True).first()
    caller = _caller(request, workshop_id) if workshop_id else None
    if caller is None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        raise Http404("No such board.")
    try:
        board, participant = access_board(caller, board_id)
    except OpError:
        raise Http404("No such board.") from None
    workshop = board.workshop
    join_url = request.build_absolute_uri(reverse("join", kwargs={"code": workshop.join_code}))
    return render(
        request,
        "boards/board.html",
        {
            "board": board,
            "workshop": workshop,
            "boards": workshop.boards.all(),
            "participant": participant,
            "join_url": join_url,
        },
    )


def join_page(request, code=""):
    """Joining by code: a name is all a guest needs."""
    code = normalise_code(request.POST.get("code", code))
    workshop = Workshop.objects.filter(join_code=code).first() if code else None
    error = None
    if workshop is not None:
        caller = _caller(request, workshop.id)
        if caller is not None and participant_for(caller, workshop) is not None:
            return redirect("workshop", workshop_id=workshop.id)
    if request.method == "POST":
        try:
            participant = join_workshop(
                code,
                request.POST.get("display_name", ""),
                user=request.user if request.user.is_authenticated else None,
            )
        except OpError as exc:
            error = exc.message
        else:
            if participant.user_id is None:
                remember_guest(request.session, participant)
            return redirect("workshop", workshop_id=participant.workshop_id)
    elif code and workshop is None:
        error = "No workshop has that code. Check the code on the facilitator's screen."
    return render(
        request,
        "boards/join.html",
        {
            "code": code,
            "workshop": workshop,
            "error": error,
            "display_name": request.POST.get("display_name", ""),
        },
        status=400 if error and request.method == "POST" else 200,
    )
