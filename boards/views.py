"""Pages: start a workshop, join one by code, the board itself, its QR code and team templates."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from accounts.models import Team
from boards import join_limit, phases, team_templates, template_forms
from boards.access import EDITORS, access_board, access_workshop, caller_of, participant_for, team_ids_of
from boards.auth import remember_guest
from boards.builtin_templates import DEFAULT_AGENDA, EMPATHY_MAP_SECTIONS
from boards.errors import OpError, RateLimited
from boards.models import Board, BoardKind, Template, Workshop
from boards.workshops import create_workshop, join_workshop, normalise_code


@login_required
def workshop_new(request):
    """A facilitator starts a workshop from a template."""
    teams = list(Team.objects.filter(id__in=team_ids_of(request.user, EDITORS)).order_by("name", "id"))
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


def workshop_page(request, workshop_id):
    """A workshop opens on its first board."""
    caller = caller_of(request, workshop_id)
    if caller is None:
        return redirect(f"{reverse('login')}?next={request.path}")
    try:
        workshop, _participant = access_workshop(caller, workshop_id)
    except OpError:
        raise Http404("No such workshop.") from None
    board = workshop.boards.first()
    if board is None:
        raise Http404("This workshop has no boards.")
    return redirect("board", board_id=board.id)


# The cookie lets the page post ops itself when it falls back to the event stream (static/js/event-stream.js).
@ensure_csrf_cookie
def board_page(request, board_id):
    workshop_id = Board.objects.filter(id=board_id).values_list("workshop_id", flat=True).first()
    caller = caller_of(request, workshop_id) if workshop_id else None
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
    workshop = None
    try:
        if code:
            join_limit.check(request)
            workshop = Workshop.objects.filter(join_code=code).first()
            if workshop is None:
                join_limit.count_wrong_code(request)
    except RateLimited as exc:
        return render(request, "boards/join.html", {"code": "", "error": exc.message}, status=429)
    error = None
    if workshop is not None:
        caller = caller_of(request, workshop.id)
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
                # A new right in this session: a new session id, so an id
                # planted before the join (session fixation) grants nothing.
                request.session.cycle_key()
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


# --- facilitation: the QR code and team templates ---------------------------------------


def workshop_qr(request, workshop_id):
    """The join link as a big QR code (SVG) for the projector; facilitators and participants only."""
    try:
        # Observers (managers) read the workshop but do not show the join code.
        workshop, _participant = access_workshop(
            caller_of(request, workshop_id), workshop_id, write=True, join=False
        )
    except OpError:
        raise Http404("No such workshop.") from None
    join_url = request.build_absolute_uri(reverse("join", kwargs={"code": workshop.join_code}))
    out = io.BytesIO()
    segno.make(join_url, error="m").save(out, kind="svg", scale=10, border=2, xmldecl=False, title="Join")
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _template_editor(request, template, structure, team_choices=None):
    """The form of a template: name, description, boards (sections, persona) and agenda as text."""
    error = None
    if request.method == "POST":
        try:
            structure = template_forms.structure_from_form(request.POST, structure)
            if team_choices is not None:
                template.team_id = team_templates.editable_team(request.user, _int(request.POST.get("team")))
            team_templates.save_template(
                template, request.POST.get("name", ""), request.POST.get("description", ""), structure
            )
        except OpError as exc:
            error = exc.message
        else:
            messages.success(request, "Template saved.")
            return redirect("template-list")
    return render(
        request,
        "boards/template_edit.html",
        {
            "template": template,
            "form": template_forms.form_from_structure(structure, request.POST if error else None),
            "kinds": BoardKind.choices,
            "phases": [p for p in phases.ORDER if p != "open"],
            "teams": team_choices,
            "error": error,
        },
        status=400 if error else 200,
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def template_list(request):
    templates = team_templates.templates_visible_to(request.user).select_related("team")
    editable = team_ids_of(request.user, EDITORS)
    return render(
        request,
        "boards/template_list.html",
        {"templates": templates, "editable_team_ids": editable, "can_create": bool(editable)},
    )


@login_required
def template_new(request):
    teams = list(Team.objects.filter(id__in=team_ids_of(request.user, EDITORS)).order_by("name", "id"))
    if not teams:
        messages.info(request, "Only owners and facilitators of a team can make templates.")
        return redirect("template-list")
    structure = {
        "boards": [{"kind": "empathy-map", "title": "Empathy map", "sections": EMPATHY_MAP_SECTIONS}],
        "agenda": DEFAULT_AGENDA,
    }
    return _template_editor(request, Template(created_by=request.user), structure, team_choices=teams)


@login_required
def template_edit(request, template_id):
    try:
        template = team_templates.access_template(request.user, template_id, write=True)
    except OpError as exc:
        raise Http404(exc.message) from None
    return _template_editor(request, template, template.structure)


@login_required
@require_POST
def template_copy(request, template_id):
    """Copies a built-in or team template into the caller's team, then opens the copy."""
    try:
        source = team_templates.access_template(request.user, template_id)
        team_id = team_templates.editable_team(request.user, _int(request.POST.get("team")))
        copy = team_templates.copy_template(request.user, team_id, source)
    except OpError as exc:
        messages.error(request, exc.message)
        return redirect("template-list")
    return redirect("template-edit", template_id=copy.id)


@login_required
@require_POST
def template_delete(request, template_id):
    try:
        team_templates.access_template(request.user, template_id, write=True).delete()
    except OpError as exc:
        messages.error(request, exc.message)
    return redirect("template-list")


@login_required
@require_POST
def board_save_template(request, board_id):
    """Saves a live board's structure (sections, persona, agenda; no notes) as a new team template."""
    try:
        board, _participant = access_board(request.user, board_id, facilitate=True)
        template = team_templates.create_template(
            request.user,
            board.workshop.team_id,
            f"{board.title} (from {board.workshop.title})"[: team_templates.MAX_NAME],
            "",
            team_templates.structure_of_board(board),
        )
    except OpError as exc:
        raise Http404(exc.message) from None
    return redirect("template-edit", template_id=template.id)
