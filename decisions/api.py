"""REST endpoints of the decisions app, under /api/v1/ (docs/protocol.md §10).

Board changes still go through the one op door: accepting suggested clusters
applies `cluster.create` ops with `apply_op_request`, like any other client.
"""

import datetime

from django.core import signing
from django.db.models import F
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Membership
from boards.access import access_board, access_team, access_workshop, can_facilitate
from boards.api_schema import errors
from boards.errors import Invalid, OpError
from boards.models import ParticipantRole
from boards.ops import apply_op_request
from boards.state import board_snapshot
from boards.visibility import snapshot_for, viewer_of
from decisions import analysis
from decisions.models import Action, ActionReview, SuggestedCluster
from decisions.services import PRIORITISATION, add_prioritisation_board

SUGGESTION_SALT = "decisions.cluster-suggestion"
# A suggestion is for the grouping now, not for tomorrow.
SUGGESTION_MAX_AGE = 3600
MAX_GROUPS = 100


class Stale(OpError):
    """A suggestion the board has moved on from: HTTP 409, answered by the view itself."""

    code = "stale"


def _visible_snapshot(board, participant) -> dict:
    return snapshot_for(viewer_of(participant, board.workshop), board_snapshot(board.id))


class BoardCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[PRIORITISATION])
    title = serializers.CharField(required=False, max_length=200, allow_blank=True)


class WorkshopBoardsView(APIView):
    """Adds a prioritisation board to a workshop made from any template (facilitators)."""

    @extend_schema(
        request=BoardCreateSerializer,
        responses={
            201: OpenApiTypes.OBJECT,
            **errors(400, 403, 404, 409, 415),
        },
        summary="Add a prioritisation board to a workshop",
    )
    def post(self, request, workshop_id):
        workshop, _participant = access_workshop(request.user, workshop_id, facilitate=True)
        body = BoardCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        board = add_prioritisation_board(workshop, body.validated_data.get("title"))
        return Response(
            {"id": board.id, "kind": board.kind, "title": board.title}, status=status.HTTP_201_CREATED
        )


class OwnersView(APIView):
    """Who can own an action: the workshop's people and the team's members."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **errors(404)})
    def get(self, request, workshop_id):
        workshop, participant = access_workshop(request.user, workshop_id)
        people = workshop.participants.filter(removed_at__isnull=True)
        if not (can_facilitate(participant) or participant.role == ParticipantRole.OBSERVER):
            # The list of everyone in the room is the facilitator's; in anonymous
            # mode it would say who is here.
            people = people.filter(id=participant.id)
        members = Membership.objects.filter(team_id=workshop.team_id).select_related("user")
        return Response(
            {
                "participants": [{"participant": p.id, "name": p.display_name} for p in people],
                "members": [
                    {"user": m.user_id, "name": m.user.get_full_name() or m.user.get_username()}
                    for m in members
                ],
            }
        )


def team_actions(team) -> list[dict]:
    """Every action of the team's workshops with its current status (a later review's outcome wins)."""
    actions = list(
        Action.objects.filter(workshop__team=team)
        .select_related("workshop", "opportunity")
        .order_by(F("due").asc(nulls_last=True), "id")
    )
    latest = dict(
        ActionReview.objects.filter(action__in=actions)
        .exclude(outcome="")
        .order_by("updated_at", "id")
        .values_list("action_id", "outcome")
    )
    today = datetime.date.today()
    rows = []
    for a in actions:
        status_now = latest.get(a.id) or a.status
        rows.append(
            {
                "id": a.id,
                "title": a.title,
                "owner": a.owner_name,
                "due": a.due.isoformat() if a.due else None,
                "overdue": bool(a.due and a.due < today and status_now != "done"),
                "status": status_now,
                "workshop": {"id": a.workshop_id, "title": a.workshop.title},
                "opportunity": a.opportunity.title if a.opportunity else None,
            }
        )
    return rows


class TeamActionsView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, **errors(404)}, summary="The team's actions")
    def get(self, request, team_id):
        team, _membership = access_team(request.user, team_id)
        return Response({"team": {"id": team.id, "name": team.name}, "actions": team_actions(team)})


class SentimentView(APIView):
    """Sentiment hints for the notes the caller can see (English only)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **errors(404)}, summary="Sentiment hints")
    def get(self, request, board_id):
        board, participant = access_board(request.user, board_id)
        notes = _visible_snapshot(board, participant)["notes"]
        return Response({"language": analysis.LANGUAGE, "notes": analysis.sentiment_hints(notes)})


def _facilitating(request, board_id):
    """Only a facilitator asks for and accepts suggested clusters."""
    return access_board(request.user, board_id, facilitate=True)


class ClusterSuggestionsView(APIView):
    """Suggested groups of the board's ungrouped notes; nothing changes until someone accepts."""

    @extend_schema(
        request=None,
        responses={200: OpenApiTypes.OBJECT, **errors(403, 404)},
        summary="Suggest clusters",
    )
    def post(self, request, board_id):
        board, participant = _facilitating(request, board_id)
        notes = _visible_snapshot(board, participant)["notes"]
        groups = analysis.suggest_clusters(notes)
        token = signing.dumps(
            {"board": board.id, "notes": analysis.suggestion_fingerprints(notes, groups)},
            salt=SUGGESTION_SALT,
        )
        texts = {n["id"]: n["text"] for n in notes}
        return Response(
            {
                "language": analysis.LANGUAGE,
                "suggestion": token,
                "groups": [{**g, "texts": [texts[i] for i in g["note_ids"]]} for g in groups],
            }
        )


class AcceptedGroupSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, allow_blank=True)
    note_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=200)


class AcceptSerializer(serializers.Serializer):
    suggestion = serializers.CharField()
    groups = AcceptedGroupSerializer(many=True, allow_empty=False, max_length=MAX_GROUPS)


class AcceptClustersView(APIView):
    """Accepts suggested groups, as suggested or edited (titles changed, notes left out).

    A note that changed, moved into a group or disappeared since the suggestion
    makes the whole acceptance stale (409, code `stale`, nothing applied): the
    facilitator asks again. Each group is then made by a `cluster.create` op.
    """

    @extend_schema(
        request=AcceptSerializer,
        responses={
            200: OpenApiTypes.OBJECT,
            **errors(400, 403, 404, 409, 415),
        },
        summary="Accept suggested clusters",
    )
    def post(self, request, board_id):
        try:
            return self._accept(request, board_id)
        except Stale as stale:
            return Response({"code": stale.code, "message": stale.message}, status=status.HTTP_409_CONFLICT)

    def _accept(self, request, board_id):
        board, participant = _facilitating(request, board_id)
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            suggestion = signing.loads(
                body.validated_data["suggestion"], salt=SUGGESTION_SALT, max_age=SUGGESTION_MAX_AGE
            )
        except signing.SignatureExpired:
            raise Stale("This suggestion is more than an hour old: ask for new suggestions.") from None
        except signing.BadSignature:
            raise Invalid("suggestion is not a suggestion this server made.") from None
        if suggestion["board"] != board.id:
            raise Invalid("That suggestion was made for another board.")
        groups = body.validated_data["groups"]
        wanted = [i for g in groups for i in g["note_ids"]]
        if len(set(wanted)) != len(wanted):
            raise Invalid("A note is in two groups.")
        suggested = suggestion["notes"]
        if any(str(i) not in suggested for i in wanted):
            raise Invalid("A group lists a note that was not in the suggestion.")
        notes = {n["id"]: n for n in _visible_snapshot(board, participant)["notes"]}
        changed = [
            i for i in wanted if i not in notes or analysis.note_fingerprint(notes[i]) != suggested[str(i)]
        ]
        if changed:
            raise Stale(
                f"{len(changed)} of these notes changed, moved into a group or were deleted since the "
                "suggestion: ask for new suggestions."
            )
        made = []
        for group in groups:
            applied = apply_op_request(
                board.id,
                participant.id,
                "cluster.create",
                {"note_ids": group["note_ids"], "title": group["title"]},
            )
            cluster_id = applied.event["data"]["id"]
            SuggestedCluster.objects.create(board=board, cluster_id=cluster_id, accepted_by=participant)
            made.append({"cluster": cluster_id, "seq": applied.seq})
        return Response({"clusters": made})


def suggested_cluster_ids(board_id) -> set[int]:
    return set(SuggestedCluster.objects.filter(board_id=board_id).values_list("cluster_id", flat=True))
