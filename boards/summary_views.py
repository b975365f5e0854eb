"""Pages for after the workshop: the summary, its files, share links and the team's list.

Every page fetches through boards/access.py and makes its files through
boards.exports.export_workshop(), the same door as the REST API and the
management command.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from boards.access import access_team, access_workshop, caller_of, can_facilitate, is_account
from boards.errors import Invalid, OpError
from boards.exports import curve_file, export_reader, export_workshop, summary_of
from boards.models import Board, Op, ParticipantRole, Persona, ShareLink, Workshop


def _readable_workshop(request, workshop_id):
    """The workshop and the caller's (maybe unsaved) participant, or a redirect to log in."""
    caller = caller_of(request, workshop_id)
    if caller is None:
        return None, None
    try:
        return access_workshop(caller, workshop_id, join=False)
    except OpError:
        raise Http404("No such workshop.") from None


def _login(request):
    return redirect(f"{reverse('login')}?next={request.path}")


def summary_page(request, workshop_id):
    """The summary of a workshop, for its team and its participants; print-friendly."""
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    summary, _snapshots = summary_of(workshop, export_reader(workshop, participant))
    # Share links name their creator, so only account holders make them.
    can_share = can_facilitate(participant) and is_account(request.user)
    links = list(workshop.share_links.live()) if can_share else []
    return render(
        request,
        "boards/summary.html",
        {
            "workshop": workshop,
            "summary": summary,
            "can_share": can_share,
            "share_links": [
                (link, request.build_absolute_uri(reverse("share", args=[link.token]))) for link in links
            ],
        },
    )


def _export(request, workshop: Workshop, participant=None) -> HttpResponse:
    """The file as this caller may read it (a share link's holder: as an outside observer)."""
    reader = export_reader(workshop, participant)
    try:
        export = export_workshop(
            workshop, request.GET.get("format", ""), ops=request.GET.get("ops") == "1", reader=reader
        )
    except Invalid as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=400)
    return export.response()


def workshop_export(request, workshop_id):
    """A file of the workshop: ?format=md|csv|json|pdf (&ops=1 with json)."""
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    return _export(request, workshop, participant)


def board_curve(request, board_id, ext):
    """A journey board's emotion curve as SVG or PNG."""
    workshop_id = Board.objects.filter(id=board_id).values_list("workshop_id", flat=True).first()
    if workshop_id is None:
        raise Http404("No such board.")
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    return _curve(workshop.boards.get(id=board_id), ext, export_reader(workshop, participant))


def _curve(board: Board, ext: str, reader=None) -> HttpResponse:
    export = curve_file(board, ext, reader)
    if export is None:
        raise Http404("This board has no emotion curve.")
    return export.response()


@require_POST
def share_create(request, workshop_id):
    """A facilitator or owner makes a new read-only link for people without an account."""
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    if not can_facilitate(participant) or not is_account(request.user):
        return HttpResponse("Only facilitators and owners can share a workshop.", status=403)
    ShareLink.objects.create(workshop=workshop, created_by=request.user)
    messages.success(request, "Share link created. Anyone with the link can read this summary.")
    return redirect(reverse("workshop-summary", args=[workshop.id]) + "#share")


@require_POST
def share_revoke(request, workshop_id, link_id):
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    if not can_facilitate(participant) or not is_account(request.user):
        return HttpResponse("Only facilitators and owners can revoke a share link.", status=403)
    link = get_object_or_404(ShareLink, id=link_id, workshop=workshop)
    link.revoke()
    messages.success(request, "Share link revoked: it no longer opens anything.")
    return redirect(reverse("workshop-summary", args=[workshop.id]) + "#share")


def _shared(request, token) -> ShareLink | None:
    return ShareLink.objects.live().select_related("workshop__team").filter(token=token).first()


def _share_not_found(request) -> HttpResponse:
    return render(request, "boards/share_not_found.html", status=404)


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the credential: keep it out of Referer headers, search
    # engines and shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def share_page(request, token):
    """The summary and the boards, read-only, for whoever holds a live link."""
    link = _shared(request, token)
    if link is None:
        return _private(_share_not_found(request))
    summary, _snapshots = summary_of(link.workshop)
    return _private(
        render(request, "boards/share.html", {"summary": summary, "workshop": link.workshop, "token": token})
    )


@never_cache
def share_export(request, token):
    link = _shared(request, token)
    if link is None:
        return _private(_share_not_found(request))
    return _private(_export(request, link.workshop))


@never_cache
def share_curve(request, token, board_id, ext):
    link = _shared(request, token)
    board = link.workshop.boards.filter(id=board_id).first() if link else None
    if board is None:
        return _private(_share_not_found(request))
    return _private(_curve(board, ext))


@login_required
def team_workshops(request, team_id):
    """A manager's view of a team: every workshop, its state and its files; ?q= searches."""
    try:
        team, _membership = access_team(request.user, team_id)
    except OpError:
        raise Http404("No such team.") from None
    last_op = (
        Op.objects.filter(board__workshop=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    )
    workshops = Workshop.objects.filter(team=team).annotate(
        participant_count=Count(
            "participants", filter=~Q(participants__role=ParticipantRole.OBSERVER), distinct=True
        ),
        last_activity=Subquery(last_op),
    )
    q = request.GET.get("q", "").strip()
    if q:
        persona = Persona.objects.filter(board__workshop=OuterRef("pk"), name__icontains=q)
        workshops = workshops.filter(Q(title__icontains=q) | Q(Exists(persona)))
    return render(
        request,
        "boards/team_workshops.html",
        {"team": team, "workshops": workshops.order_by("-created_at", "-id"), "q": q},
    )
