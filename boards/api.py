"""REST API under /api/v1/: workshops, joining, board snapshots, the ops and templates.

Views are thin: they fetch through boards/access.py and change boards only
through boards/ops.py, exactly as the WebSocket consumer does.
"""

import time

from django.conf import settings
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.models import Membership, Role, Team
from boards import consumers, team_templates
from boards.access import access_board, access_workshop, workshops_visible_to
from boards.auth import GuestSessionOpsAuthentication, GuestUser, TokenAuthentication
from boards.errors import Forbidden, Invalid, NotFound, OpError, RateLimited, TooLarge
from boards.ops import apply_op_request, ops_after
from boards.state import board_snapshot
from boards.visibility import op_for, snapshot_for, viewer_of
from boards.workshops import create_workshop, find_template, join_workshop

ERROR_STATUS = {
    "invalid": status.HTTP_400_BAD_REQUEST,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_found": status.HTTP_404_NOT_FOUND,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
    "too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
}


API_ERROR_CODES = [
    (exceptions.NotAuthenticated, "unauthenticated"),
    (exceptions.AuthenticationFailed, "unauthenticated"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.Throttled, "rate_limited"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
]


def _first_message(detail) -> str:
    while isinstance(detail, dict | list) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


def exception_handler(exc, context):
    """Every API error answers {code, message} (docs/protocol.md, "REST errors")."""
    if isinstance(exc, OpError):
        body = {"code": exc.code, "message": exc.message}
        data = getattr(context.get("request"), "data", None)
        if isinstance(data, dict) and "client_op_id" in data:
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


class ErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(ERROR_STATUS))
    message = serializers.CharField()
    client_op_id = serializers.CharField(required=False)


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
        "boards": [{"id": b.id, "kind": b.kind, "title": b.title} for b in workshop.boards.all()],
    }


class WorkshopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    team = serializers.IntegerField()
    join_code = serializers.CharField()
    joining_open = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    boards = BoardRefSerializer(many=True)


class WorkshopCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    template = serializers.CharField(help_text="A built-in slug (empathy-map, ...) or a template id.")
    team = serializers.IntegerField(required=False)


def team_for_new_workshop(user, team_id) -> Team:
    """The team a new workshop belongs to: the one named, the caller's only one, or a new personal one."""
    allowed = {Role.OWNER, Role.FACILITATOR}
    if team_id is not None:
        membership = Membership.objects.filter(team_id=team_id, user=user).select_related("team").first()
        if membership is None:
            raise NotFound("No such team.")
        if membership.role not in allowed:
            raise Forbidden("Only owners and facilitators of a team can create its workshops.")
        return membership.team
    memberships = list(Membership.objects.filter(user=user).select_related("team")[:2])
    if len(memberships) > 1:
        raise Invalid("You belong to several teams: give `team`.")
    if memberships:
        if memberships[0].role not in allowed:
            raise Forbidden("Only owners and facilitators of a team can create its workshops.")
        return memberships[0].team
    team = Team.objects.create(name=f"{user.get_username()}'s team")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return team


class WorkshopListView(APIView):
    @extend_schema(responses=WorkshopSerializer(many=True), summary="Workshops of the caller's teams")
    def get(self, request):
        workshops = workshops_visible_to(request.user).prefetch_related("boards")
        return Response([workshop_json(w) for w in workshops])

    @extend_schema(
        request=WorkshopCreateSerializer,
        responses={201: WorkshopSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Create a workshop from a template",
    )
    def post(self, request):
        if isinstance(request.user, GuestUser):
            raise Forbidden("Guests cannot create workshops.")
        body = WorkshopCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            team = team_for_new_workshop(request.user, body.validated_data.get("team"))
            template = find_template(team, body.validated_data["template"])
            workshop = create_workshop(request.user, team, body.validated_data["title"], template)
        return Response(workshop_json(workshop), status=status.HTTP_201_CREATED)


class WorkshopDetailView(APIView):
    @extend_schema(responses={200: WorkshopSerializer, 404: ErrorSerializer}, summary="One workshop")
    def get(self, request, workshop_id):
        workshop, _participant = access_workshop(request.user, workshop_id)
        return Response(workshop_json(workshop))


class JoinThrottle(SimpleRateThrottle):
    """Join attempts per client address, whoever is asking: join codes must not be guessable
    by brute force, and a guest token in the header does not lift the limit."""

    scope = "join"
    rate = "30/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    display_name = serializers.CharField(max_length=200, allow_blank=True, trim_whitespace=False)


class JoinView(APIView):
    """A guest (or an account holder) joins a workshop by its code."""

    permission_classes = [AllowAny]
    throttle_classes = [JoinThrottle]

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
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Join a workshop by code",
    )
    def post(self, request):
        body = JoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = (
            request.user
            if request.user.is_authenticated and not isinstance(request.user, GuestUser)
            else None
        )
        participant = join_workshop(
            body.validated_data["code"], body.validated_data["display_name"], user=user
        )
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
        responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer},
        summary="Board snapshot: {id, kind, seq, sections, notes, personas}",
    )
    def get(self, request, board_id):
        board, participant = access_board(request.user, board_id)
        board_view = snapshot_for(viewer_of(participant, board.workshop), board_snapshot(board_id))
        # The server's clock, for the timer (docs/protocol.md §7).
        return Response({**board_view, "server_now": int(time.time() * 1000)})


class OpRequestSerializer(serializers.Serializer):
    op = serializers.CharField(help_text="note.add, note.update, note.move, note.delete, persona.update, ...")
    client_op_id = serializers.CharField(required=False, max_length=64)
    data = serializers.DictField(required=False)


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
        responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer},
        summary="Ops after a seq, as each would arrive over the WebSocket",
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
        viewer = viewer_of(participant, board.workshop)
        return Response({"ops": [op_for(viewer, e) for e in events]})

    @extend_schema(
        request=OpRequestSerializer,
        responses={
            200: inline_serializer(
                "OpAck",
                {
                    "seq": serializers.IntegerField(),
                    "client_op_id": serializers.CharField(allow_null=True),
                    "duplicate": serializers.BooleanField(),
                    "op": serializers.DictField(),
                },
            ),
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
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


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


# --- facilitation: people and templates (docs/protocol.md §7) ---------------


class ParticipantsView(APIView):
    """The workshop's people, for facilitators managing roles (names, never authorship)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, workshop_id):
        workshop, participant = access_workshop(request.user, workshop_id)
        if not participant.is_facilitator:
            raise Forbidden("Only facilitators can list the participants.")
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
    team = serializers.IntegerField(required=False)
    copy_of = serializers.CharField(required=False, help_text="A template id or built-in slug to copy.")
    from_board = serializers.IntegerField(required=False, help_text="A board whose structure to save.")


class TemplateListView(APIView):
    @extend_schema(
        operation_id="templates_list",
        responses=OpenApiTypes.OBJECT,
        summary="Built-in templates and the caller's teams' templates",
    )
    def get(self, request):
        return Response([template_json(t) for t in team_templates.templates_visible_to(request.user)])

    @extend_schema(
        request=TemplateWriteSerializer,
        responses={
            201: OpenApiTypes.OBJECT,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
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
                .filter(**({"id": int(ref)} if ref.isdigit() else {"slug": ref, "team__isnull": True}))
                .first()
            )
            if source is None:
                raise NotFound(f"No template {ref!r}.")
            template = team_templates.copy_template(request.user, team_id, source, data.get("name"))
        elif "from_board" in data:
            board, participant = access_board(request.user, data["from_board"])
            if not participant.is_facilitator:
                raise Forbidden("Only facilitators can save a board as a template.")
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
    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer})
    def get(self, request, template_id):
        return Response(template_json(team_templates.access_template(request.user, template_id)))

    @extend_schema(
        request=TemplateWriteSerializer,
        responses={
            200: OpenApiTypes.OBJECT,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
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

    @extend_schema(responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer})
    def delete(self, request, template_id):
        template = team_templates.access_template(request.user, template_id, write=True)
        template.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
