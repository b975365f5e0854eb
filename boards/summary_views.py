"""Pages for after the workshop: the summary, its files, share links and the team's list.

Every page fetches through boards/access.py and makes its files through
boards.exports.export_workshop(), the same door as the REST API and the
management command; PDFs go through boards.exports.cache.request_pdf(), which
may answer with a build to wait for (the "preparing..." page below).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from background.models import PdfBuild
from boards.access import access_team, access_workshop, caller_of, can_facilitate, is_account
from boards.errors import Invalid, OpError
from boards.exports import curve_file, export_reader, export_workshop, summary_of
from boards.exports.cache import build_for_reader, built_file, pdf_status_of, request_pdf
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


def _export(request, workshop: Workshop, participant, pdf_urls) -> HttpResponse:
    fmt, reader = request.GET.get("format", ""), export_reader(workshop, participant)
    try:
        if fmt == "pdf":
            result = request_pdf(workshop, reader)
            if isinstance(result, PdfBuild):
                # Big workshop: the worker builds it; the "preparing..." page waits for it.
                return redirect(pdf_urls(result)["page"])
            return result.response()
        export = export_workshop(workshop, fmt, ops=request.GET.get("ops") == "1", reader=reader)
    except Invalid as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=400)
    return export.response()


def _workshop_pdf_urls(workshop: Workshop):
    def urls(build: PdfBuild) -> dict:
        args = [workshop.id, build.id]
        return {
            "page": reverse("workshop-pdf-build", args=args),
            "status": reverse("workshop-pdf-status", args=args),
            "file": reverse("workshop-pdf-file", args=args),
            "again": reverse("workshop-export", args=[workshop.id]) + "?format=pdf",
        }

    return urls


def _share_pdf_urls(token: str):
    def urls(build: PdfBuild) -> dict:
        args = [token, build.id]
        return {
            "page": reverse("share-pdf-build", args=args),
            "status": reverse("share-pdf-status", args=args),
            "file": reverse("share-pdf-file", args=args),
            "again": reverse("share-export", args=[token]) + "?format=pdf",
        }

    return urls


def workshop_export(request, workshop_id):
    """A file of the workshop: ?format=md|csv|json|pdf (&ops=1 with json)."""
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    return _export(request, workshop, participant, _workshop_pdf_urls(workshop))


def _reader_build(workshop: Workshop, participant, build_id) -> PdfBuild:
    build = build_for_reader(workshop, export_reader(workshop, participant), build_id)
    if build is None:
        raise Http404("No such PDF.")
    return build


def _pdf_page(request, workshop, build, urls, extra=None):
    return render(
        request,
        "boards/pdf_build.html",
        {
            "workshop": workshop,
            "build": build,
            "urls": urls,
            "status": pdf_status_of(build, urls),
            **(extra or {}),
        },
    )


def _pdf_file(build, urls) -> HttpResponse:
    export = built_file(build)
    return export.response() if export else redirect(urls["page"])


@never_cache
def workshop_pdf_build(request, workshop_id, build_id):
    """ "Preparing the PDF...": progress, then the download (static/js/pdf-build.js polls the status)."""
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    build = _reader_build(workshop, participant, build_id)
    return _pdf_page(request, workshop, build, _workshop_pdf_urls(workshop)(build))


@never_cache
def workshop_pdf_status(request, workshop_id, build_id):
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return JsonResponse({"code": "not_authenticated", "message": "Log in first."}, status=401)
    build = _reader_build(workshop, participant, build_id)
    return JsonResponse(pdf_status_of(build, _workshop_pdf_urls(workshop)(build)))


@never_cache
def workshop_pdf_file(request, workshop_id, build_id):
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    build = _reader_build(workshop, participant, build_id)
    return _pdf_file(build, _workshop_pdf_urls(workshop)(build))


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


def share_expiry(value: str):
    """An optional expiry date (YYYY-MM-DD): the link works until the end of that day (UTC)."""
    from datetime import UTC, date, datetime, time, timedelta

    from django.utils import timezone

    if not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid("The expiry date must be a date such as 2026-12-31.") from None
    expires_at = datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
    if expires_at <= timezone.now():
        raise Invalid("The expiry date is in the past: choose today or a later day.")
    return expires_at


@require_POST
def share_create(request, workshop_id):
    """A facilitator or owner makes a new read-only link for people without an account."""
    workshop, participant = _readable_workshop(request, workshop_id)
    if workshop is None:
        return _login(request)
    if not can_facilitate(participant) or not is_account(request.user):
        return HttpResponse("Only facilitators and owners can share a workshop.", status=403)
    try:
        expires_at = share_expiry(request.POST.get("expires_on", ""))
    except Invalid as error:
        messages.error(request, error.message)
        return redirect(reverse("workshop-summary", args=[workshop.id]) + "#share")
    ShareLink.objects.create(workshop=workshop, created_by=request.user, expires_at=expires_at)
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
    link.revoke(by=request.user)
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
    return _private(_export(request, link.workshop, None, _share_pdf_urls(token)))


def _share_build(link, build_id) -> PdfBuild | None:
    return build_for_reader(link.workshop, export_reader(link.workshop), build_id)


@never_cache
def share_pdf_build(request, token, build_id):
    link = _shared(request, token)
    build = _share_build(link, build_id) if link else None
    if build is None:
        return _private(_share_not_found(request))
    urls = _share_pdf_urls(token)(build)
    return _private(_pdf_page(request, link.workshop, build, urls, {"shared": True}))


@never_cache
def share_pdf_status(request, token, build_id):
    link = _shared(request, token)
    build = _share_build(link, build_id) if link else None
    if build is None:
        return _private(JsonResponse({"code": "not_found", "message": "No such PDF."}, status=404))
    return _private(JsonResponse(pdf_status_of(build, _share_pdf_urls(token)(build))))


@never_cache
def share_pdf_file(request, token, build_id):
    link = _shared(request, token)
    build = _share_build(link, build_id) if link else None
    if build is None:
        return _private(_share_not_found(request))
    return _private(_pdf_file(build, _share_pdf_urls(token)(build)))


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
    # Archived workshops leave the list; ?archived=1 shows only them.
    archived = request.GET.get("archived") == "1"
    workshops = workshops.filter(archived_at__isnull=not archived)
    q = request.GET.get("q", "").strip()
    if q:
        persona = Persona.objects.filter(board__workshop=OuterRef("pk"), name__icontains=q)
        workshops = workshops.filter(Q(title__icontains=q) | Q(Exists(persona)))
    return render(
        request,
        "boards/team_workshops.html",
        {"team": team, "workshops": workshops.order_by("-created_at", "-id"), "q": q, "archived": archived},
    )
