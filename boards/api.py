"""REST API under /api/v1/: workshops, joining, board snapshots, the ops and templates.

Views are thin: they fetch through boards/access.py and change boards only
through the op door (boards/ops/core.py), exactly as the WebSocket consumer does.
"""

import time

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.lockout import LOCKOUT_MESSAGE
from boards import consumers, join_limit, team_templates
from boards.access import access_board, access_workshop, is_account, team_to_create_in, workshops_visible_to
from boards.api_schema import (
    BatchRequestSerializer,
    BatchResponseSerializer,
    ErrorSerializer,  # noqa: F401  (imported from here by api_journey and export_api)
    OpAckSerializer,
    OpRequestSerializer,
    OpsPageSerializer,
    ParticipantSerializer,
    SnapshotSerializer,
    TemplateSerializer,
    errors,
)
from boards.auth import GuestSessionOpsAuthentication, TokenAuthentication
from boards.errors import Invalid, NotFound, OpError, RateLimited, TooLarge
from boards.ops import apply_op_request, ops_after
from boards.ops.journey import log_settings
from boards.state import board_snapshot
from boards.visibility import log_reader_at, op_for, snapshot_for, viewer_of
from boards.workshops import create_workshop, find_template, join_workshop

# Ids are 64-bit database keys; a larger number names nothing (and PostgreSQL
# would refuse to compare with it).
MAX_ID = 2**63 - 1


def as_id(value: str) -> int | None:
    """The id a string spells in ASCII digits ("²" is a digit to str.isdigit), or None."""
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        return None
    return int(value)


ERROR_STATUS = {
    "invalid": status.HTTP_400_BAD_REQUEST,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_found": status.HTTP_404_NOT_FOUND,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
    "too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    # A closed workshop (lifecycle/): the request is fine, the workshop's state refuses it.
    "closed": status.HTTP_409_CONFLICT,
}


API_ERROR_CODES = [
    (exceptions.NotAuthenticated, "unauthenticated"),
    (exceptions.AuthenticationFailed, "unauthenticated"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.Throttled, "rate_limited"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.ParseError, "invalid"),
]


def _first_message(detail) -> str:
    while isinstance(detail, dict | list) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


def _parsed_body(request):
    """The body, if it parses: an error raised before the view read a bad body must not re-raise here."""
    try:
        return getattr(request, "data", None)
    except (exceptions.ParseError, exceptions.UnsupportedMediaType):
        return None


def exception_handler(exc, context):
    """Every API error answers {code, message} (docs/protocol.md, "REST errors")."""
    if isinstance(exc, OpError):
        body = {"code": exc.code, "message": exc.message}
        data = _parsed_body(context.get("request"))
        if isinstance(data, dict) and isinstance(data.get("client_op_id"), str):
            body["client_op_id"] = data["client_op_id"]
        return Response(body, status=ERROR_STATUS[exc.code])
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"code": "invalid", "message": _first_message(exc.detail), "errors": exc.detail}
    else:
        code = next((c for cls, c in API_ERROR_CODES if isinstance(exc, cls)), "invalid")
        response.data = {"code": code, "message": _first_message(response.data)}
    return response


class BoardRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()


def workshop_json(workshop) -> dict:
    return {
        "id": workshop.id,
        "title": workshop.title,
        "team": workshop.team_id,
        "join_code": workshop.join_code,
        "joining_open": workshop.joining_open,
        "created_at": workshop.created_at.isoformat(),
        "closed_at": workshop.closed_at.isoformat() if workshop.closed_at else None,
        "archived_at": workshop.archived_at.isoformat() if workshop.archived_at else None,
        "boards": [{"id": b.id, "kind": b.kind, "title": b.title} for b in workshop.boards.all()],
    }


class WorkshopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    team = serializers.IntegerField()
    join_code = serializers.CharField()
    joining_open = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    archived_at = serializers.DateTimeField(allow_null=True)
    boards = BoardRefSerializer(many=True)


class WorkshopCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    template = serializers.CharField(help_text="A built-in slug (empathy-map, ...) or a template id.")
    team = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class WorkshopListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("archived", bool, description="true: only the archived ones")],
        responses={200: WorkshopSerializer(many=True), **errors()},
        summary="Workshops of the caller's teams (archived ones with ?archived=true)",
    )
    def get(self, request):
        archived = request.query_params.get("archived") in ("1", "true")
        workshops = (
            workshops_visible_to(request.user)
            .filter(archived_at__isnull=not archived)
            .prefetch_related("boards")
        )
        return Response([workshop_json(w) for w in workshops])

    @extend_schema(
        request=WorkshopCreateSerializer,
        responses={201: WorkshopSerializer, **errors(400, 403, 404, 415)},
        summary="Create a workshop from a template",
    )
    def post(self, request):
        body = WorkshopCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            team = team_to_create_in(request.user, body.validated_data.get("team"))
            template = find_template(team, body.validated_data["template"])
            workshop = create_workshop(request.user, team, body.validated_data["title"], template)
        return Response(workshop_json(workshop), status=status.HTTP_201_CREATED)


class WorkshopDetailView(APIView):
    @extend_schema(responses={200: WorkshopSerializer, **errors(404)}, summary="One workshop")
    def get(self, request, workshop_id):
        workshop, _participant = access_workshop(request.user, workshop_id)
        return Response(workshop_json(workshop))


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    display_name = serializers.CharField(max_length=200, allow_blank=True, trim_whitespace=False)


class JoinView(APIView):
    """A guest (or an account holder) joins a workshop by its code."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=JoinSerializer,
        responses={
            201: inline_serializer(
                "Joined",
                {
                    "token": serializers.CharField(),
                    "participant": inline_serializer(
                        "JoinedParticipant",
                        {"id": serializers.IntegerField(), "display_name": serializers.CharField()},
                    ),
                    "workshop": WorkshopSerializer(),
                },
            ),
            **errors(400, 403, 404, 409, 415),
        },
        summary="Join a workshop by code",
    )
    def post(self, request):
        body = JoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = request.user if is_account(request.user) else None
        # Wrong codes are counted per address, with the join page (boards/join_limit.py).
        join_limit.check(request)
        try:
            participant = join_workshop(
                body.validated_data["code"], body.validated_data["display_name"], user=user
            )
        except NotFound:
            join_limit.count_wrong_code(request)
            raise
        return Response(
            {
                "token": participant.token,
                "participant": {"id": participant.id, "display_name": participant.display_name},
                "workshop": workshop_json(participant.workshop),
            },
            status=status.HTTP_201_CREATED,
        )


class BoardView(APIView):
    @extend_schema(
        responses={200: SnapshotSerializer, **errors(404)},
        summary="Board snapshot: {id, kind, seq, sections, notes, personas}",
    )
    def get(self, request, board_id):
        board, participant = access_board(request.user, board_id)
        board_view = snapshot_for(viewer_of(participant, board.workshop), board_snapshot(board_id))
        # The server's clock, for the timer (docs/protocol.md §7).
        return Response({**board_view, "server_now": int(time.time() * 1000)})


# Ops over HTTP per participant and process: the consumer's per-participant
# allowance (boards/consumers.py), so the event-stream fallback is held to the
# same pace as a socket. Buckets of participants idle long enough to be full
# again are dropped when the table grows.
_http_op_buckets: dict[int, consumers.TokenBucket] = {}


def _http_op_allowed(participant_id: int) -> bool:
    bucket = _http_op_buckets.get(participant_id)
    if bucket is None:
        if len(_http_op_buckets) > 10_000:
            _http_op_buckets.clear()
        bucket = _http_op_buckets[participant_id] = consumers.TokenBucket(
            consumers.PARTICIPANT_OPS_PER_MINUTE / 60, consumers.OP_BURST
        )
    # Rates are read at each call, as the consumer does, so tests can slow them down.
    return bucket.take(consumers.PARTICIPANT_OPS_PER_MINUTE / 60)


class BoardOpsView(APIView):
    """The op log over HTTP: read what happened since a seq, or apply an op.

    Browsers on the event-stream fallback post here with their session (a
    guest's too, CSRF-checked); other clients with a token.
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication, GuestSessionOpsAuthentication]

    @extend_schema(
        parameters=[OpenApiParameter("since", int, description="Return the ops after this seq (default 0).")],
        responses={200: OpsPageSerializer, **errors(400, 404)},
        summary="Ops after a seq, as each would arrive over the WebSocket (at most 1000)",
    )
    def get(self, request, board_id):
        board, participant = access_board(request.user, board_id)
        try:
            since = int(request.query_params.get("since", 0))
        except ValueError:
            since = -1
        if since < 0:
            return Response(
                {"code": "invalid", "message": "since must be a whole number, 0 or more."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        events = ops_after(board_id, since)[:1000]
        # Read after the fact: scores hidden before one's own stay hidden in ops logged before.
        viewer = log_reader_at(viewer_of(participant, board.workshop), log_settings(board))
        return Response({"ops": [op_for(viewer, e) for e in events]})

    @extend_schema(
        request=OpRequestSerializer,
        responses={200: OpAckSerializer, **errors(400, 403, 404, 409, 413, 415)},
        summary="Apply one op (the same ops and rules as the WebSocket)",
    )
    def post(self, request, board_id):
        _board, participant = access_board(request.user, board_id)
        # The socket's limits: a body past a frame's size, ops past the pace.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.WS_MAX_FRAME_BYTES:
            raise TooLarge(f"An op request may hold at most {settings.WS_MAX_FRAME_BYTES} bytes.")
        if not _http_op_allowed(participant.id):
            raise RateLimited("Too many ops; slow down and send again.")
        if not isinstance(request.data, dict):
            return Response(
                {"code": "invalid", "message": "The body must be a JSON object."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        client_op_id = request.data.get("client_op_id")
        applied = apply_op_request(
            board_id, participant.id, request.data.get("op"), request.data.get("data", {}), client_op_id
        )
        return Response(
            {
                "seq": applied.seq,
                "client_op_id": client_op_id,
                "duplicate": applied.duplicate,
                "op": op_for(viewer_of(participant), applied.event),
            }
        )


# Op requests one batch may hold: an importer's 2,000 notes take 4 requests,
# and one batch holds the board's lock for at most a few seconds in total.
MAX_BATCH_OPS = 500


class BoardOpsBatchView(APIView):
    """Many ops in one request, for importers: each goes through the op door on its own,
    exactly as if posted alone, and is answered ack or error in the request's order."""

    @extend_schema(
        request=BatchRequestSerializer,
        responses={200: BatchResponseSerializer, **errors(400, 403, 404, 409, 413, 415)},
        summary=f"Apply up to {MAX_BATCH_OPS} ops in order, each acked or refused on its own",
    )
    def post(self, request, board_id):
        _board, participant = access_board(request.user, board_id)
        ops = request.data.get("ops") if isinstance(request.data, dict) else None
        if not isinstance(ops, list):
            raise Invalid('The body must be {"ops": [...]}: a list of op requests.')
        if len(ops) > MAX_BATCH_OPS:
            raise TooLarge(f"A batch holds at most {MAX_BATCH_OPS} ops; send the rest in another.")
        results = []
        for item in ops:
            client_op_id = item.get("client_op_id") if isinstance(item, dict) else None
            try:
                if not isinstance(item, dict):
                    raise Invalid("Each op must be an object {op, client_op_id, data}.")
                # Its own transaction, its own checks: a refused op leaves the others applied.
                applied = apply_op_request(
                    board_id, participant.id, item.get("op"), item.get("data", {}), client_op_id
                )
            except OpError as error:
                results.append(
                    {
                        "type": "error",
                        "client_op_id": client_op_id if isinstance(client_op_id, str) else None,
                        "code": error.code,
                        "message": error.message,
                    }
                )
            else:
                results.append(
                    {
                        "type": "ack",
                        "client_op_id": client_op_id,
                        "seq": applied.seq,
                        "duplicate": applied.duplicate,
                    }
                )
        return Response({"results": results})


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            **errors(400, 415),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            # django-axes refused the account before checking the password
            # (accounts/lockout.py): say so, rather than "wrong password".
            if getattr(request, "axes_locked_out", False):
                raise exceptions.Throttled(detail=LOCKOUT_MESSAGE) from None
            raise


# --- facilitation: people and templates (docs/protocol.md §7) ---------------


class ParticipantsView(APIView):
    """The workshop's people, for facilitators managing roles (names, never authorship)."""

    @extend_schema(responses={200: ParticipantSerializer(many=True), **errors(403, 404)})
    def get(self, request, workshop_id):
        workshop, _participant = access_workshop(request.user, workshop_id, facilitate=True)
        people = workshop.participants.filter(removed_at__isnull=True)
        return Response(
            [
                {"id": p.id, "display_name": p.display_name, "role": p.role, "guest": p.is_guest}
                for p in people
            ]
        )


def template_json(template) -> dict:
    return {
        "id": template.id,
        "slug": template.slug,
        "name": template.name,
        "description": template.description,
        "builtin": template.is_builtin,
        "team": template.team_id,
        "structure": template.structure,
        "updated_at": template.updated_at.isoformat(),
    }


class TemplateWriteSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    structure = serializers.JSONField(
        required=False, help_text="{boards: [{kind, title, sections, persona}], agenda}"
    )
    team = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    copy_of = serializers.CharField(
        required=False, max_length=100, help_text="A template id or built-in slug to copy."
    )
    from_board = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A board whose structure to save."
    )


class TemplateListView(APIView):
    @extend_schema(
        operation_id="templates_list",
        responses={200: TemplateSerializer(many=True), **errors()},
        summary="Built-in templates and the caller's teams' templates",
    )
    def get(self, request):
        return Response([template_json(t) for t in team_templates.templates_visible_to(request.user)])

    @extend_schema(
        request=TemplateWriteSerializer,
        responses={201: TemplateSerializer, **errors(400, 403, 404, 415)},
        summary="Make a template: from a structure, a copy (copy_of) or a live board (from_board)",
    )
    def post(self, request):
        body = TemplateWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        team_id = team_templates.editable_team(request.user, data.get("team"))
        if "copy_of" in data:
            ref = data["copy_of"]
            source = (
                team_templates.templates_visible_to(request.user)
                .filter(**({"id": as_id(ref)} if as_id(ref) else {"slug": ref, "team__isnull": True}))
                .first()
            )
            if source is None:
                raise NotFound(f"No template {ref!r}.")
            template = team_templates.copy_template(request.user, team_id, source, data.get("name"))
        elif "from_board" in data:
            board, _participant = access_board(request.user, data["from_board"], facilitate=True)
            structure = team_templates.structure_of_board(board)
            template = team_templates.create_template(
                request.user, team_id, data.get("name", ""), data.get("description", ""), structure
            )
        else:
            template = team_templates.create_template(
                request.user,
                team_id,
                data.get("name", ""),
                data.get("description", ""),
                data.get("structure"),
            )
        return Response(template_json(template), status=status.HTTP_201_CREATED)


class TemplateDetailView(APIView):
    @extend_schema(responses={200: TemplateSerializer, **errors(404)})
    def get(self, request, template_id):
        return Response(template_json(team_templates.access_template(request.user, template_id)))

    @extend_schema(
        request=TemplateWriteSerializer,
        responses={200: TemplateSerializer, **errors(400, 403, 404, 415)},
        summary="Change a team template (workshops made from it keep their copy)",
    )
    def put(self, request, template_id):
        template = team_templates.access_template(request.user, template_id, write=True)
        body = TemplateWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            team_templates.save_template(
                template,
                data.get("name", template.name),
                data.get("description", template.description),
                data.get("structure", template.structure),
            )
        return Response(template_json(template))

    @extend_schema(responses={204: None, **errors(403, 404)})
    def delete(self, request, template_id):
        template = team_templates.access_template(request.user, template_id, write=True)
        template.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
