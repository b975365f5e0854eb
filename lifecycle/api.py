"""The lifecycle's REST endpoints under /api/v1/ (docs/protocol.md §8).

Thin: each fetches through lifecycle/services.py, which checks who is asking.
"""

import csv
import io

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from boards.access import access_team, access_workshop
from boards.api import WorkshopDetailView
from boards.api_schema import errors
from boards.auth import GuestUser
from boards.errors import Forbidden, Invalid
from lifecycle import services
from lifecycle.models import AuditEntry

# Every lifecycle answer may be refused these ways (plus 401 and 429, as everywhere).
ERRORS = errors(400, 403, 404, 409, 415)


def _iso(moment):
    return moment.isoformat() if moment else None


def lifecycle_json(workshop) -> dict:
    return {
        "id": workshop.id,
        "title": workshop.title,
        "status": "closed" if workshop.closed_at else "open",
        "closed_at": _iso(workshop.closed_at),
        "archived": workshop.archived_at is not None,
        "archived_at": _iso(workshop.archived_at),
        "retention_days": workshop.retention_days,
        "team_retention_days": services.team_retention_days(workshop.team_id),
        "delete_at": _iso(services.delete_at(workshop)),
    }


class LifecycleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    closed_at = serializers.DateTimeField(allow_null=True)
    archived = serializers.BooleanField()
    archived_at = serializers.DateTimeField(allow_null=True)
    retention_days = serializers.IntegerField(allow_null=True)
    team_retention_days = serializers.IntegerField(allow_null=True)
    delete_at = serializers.DateTimeField(allow_null=True)


class RetentionSerializer(serializers.Serializer):
    days = serializers.JSONField(help_text="null (keep) or a whole number of days from 1 to 3650")


def _days(request):
    if not isinstance(request.data, dict) or "days" not in request.data:
        raise Invalid('Send {"days": null} or {"days": <1 to 3650>}.')
    return request.data["days"]


def _account(request):
    if not request.user.is_authenticated or isinstance(request.user, GuestUser):
        raise Forbidden("This needs an account (guests use their workshop's my-data endpoint).")
    return request.user


class WorkshopView(WorkshopDetailView):
    """One workshop (GET, as boards.api answers it); DELETE removes it and everything in it."""

    @extend_schema(
        responses={204: None, **ERRORS}, summary="Delete a workshop (team owners and facilitators)"
    )
    def delete(self, request, workshop_id):
        services.do_delete(request.user, workshop_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LifecycleView(APIView):
    @extend_schema(responses={200: LifecycleSerializer, **ERRORS}, summary="Status, archive and retention")
    def get(self, request, workshop_id):
        workshop, _participant = access_workshop(request.user, workshop_id)
        return Response(lifecycle_json(workshop))


def _action(do, summary):
    class ActionView(APIView):
        @extend_schema(request=None, responses={200: LifecycleSerializer, **ERRORS}, summary=summary)
        def post(self, request, workshop_id):
            return Response(lifecycle_json(do(request.user, workshop_id)))

    return ActionView


CloseView = _action(services.do_close, "Close a workshop (facilitators)")
ReopenView = _action(services.do_reopen, "Reopen a closed workshop (facilitators)")
ArchiveView = _action(lambda u, w: services.do_archive(u, w, True), "Archive (team owners and facilitators)")
UnarchiveView = _action(lambda u, w: services.do_archive(u, w, False), "Take a workshop out of the archive")


class WorkshopRetentionView(APIView):
    @extend_schema(request=RetentionSerializer, responses={200: LifecycleSerializer, **ERRORS},
                   summary="This workshop's retention (null: the team's)")  # fmt: skip
    def put(self, request, workshop_id):
        return Response(
            lifecycle_json(services.do_set_workshop_retention(request.user, workshop_id, _days(request)))
        )


class TeamRetentionView(APIView):
    @extend_schema(responses={200: RetentionSerializer, **ERRORS}, summary="The team's retention")
    def get(self, request, team_id):
        access_team(request.user, team_id)
        return Response({"days": services.team_retention_days(team_id)})

    @extend_schema(request=RetentionSerializer, responses={200: RetentionSerializer, **ERRORS},
                   summary="Delete the team's workshops N days after they close (owners); null: keep")  # fmt: skip
    def put(self, request, team_id):
        return Response({"days": services.do_set_team_retention(request.user, team_id, _days(request))})


AUDIT_FIELDS = ["at", "action", "actor", "workshop_id", "workshop_title", "detail"]


def audit_rows(team_id):
    for entry in AuditEntry.objects.filter(team_id=team_id).order_by("-at", "-id"):
        yield {
            "at": entry.at.isoformat(),
            "action": entry.action,
            "actor": entry.actor_name,
            "workshop_id": entry.workshop_ref,
            "workshop_title": entry.workshop_title,
            "detail": entry.detail,
        }


def audit_csv(team_id) -> HttpResponse:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=AUDIT_FIELDS)
    writer.writeheader()
    for row in audit_rows(team_id):
        # A title starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow(
            {k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()}
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="team-{team_id}-audit.csv"'
    return response


def owner_of(user, team_id):
    access_team(user, team_id, role=Role.OWNER)


class AuditEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.CharField(allow_blank=True)
    workshop_id = serializers.IntegerField(allow_null=True)
    workshop_title = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)


class AuditView(APIView):
    @extend_schema(responses={200: AuditEntrySerializer(many=True), **ERRORS},
                   summary="The team's audit log, newest first (owners); ?format=csv for a file")  # fmt: skip
    def get(self, request, team_id):
        owner_of(request.user, team_id)
        if request.query_params.get("format") == "csv":
            return audit_csv(team_id)
        return Response(list(audit_rows(team_id)))


class MyDataView(APIView):
    """A participant's own data in one workshop: download it, or erase it (through ops)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS}, summary="Everything I wrote here")
    def get(self, request, workshop_id):
        return Response(services.data_of(services.own_participant(request.user, workshop_id)))

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS}, summary="Erase everything I wrote here")
    def delete(self, request, workshop_id):
        counts = services.erase(services.own_participant(request.user, workshop_id))
        return Response({"erased": counts})


class AccountDataView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS}, summary="My account and all I wrote")
    def get(self, request):
        return Response(services.account_data(_account(request)))

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS}, summary="Erase all I wrote, everywhere")
    def delete(self, request):
        return Response(services.erase_account_data(_account(request)))


class AccountView(APIView):
    @extend_schema(
        request=serializers.Serializer, responses={200: OpenApiTypes.OBJECT, **ERRORS},
        summary="Delete my account after erasing all I wrote; send {password}",
    )  # fmt: skip
    def delete(self, request):
        user = _account(request)
        password = request.data.get("password") if isinstance(request.data, dict) else None
        if not isinstance(password, str) or not user.check_password(password):
            raise Invalid('Send your password to confirm: {"password": "..."}.')
        return Response(services.do_delete_account(user))
