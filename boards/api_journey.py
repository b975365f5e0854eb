"""REST endpoints of journey maps: the emotion curve as numbers and as SVG.

Both read the board as the caller may see it (boards/visibility.py), so a
participant who may not see others' scores yet cannot read them here either.
"""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.access import access_board
from boards.api_schema import CurveResponseSerializer, errors
from boards.auth import GuestSessionAuthentication, TokenAuthentication
from boards.curve import curve_svg, emotion_curve
from boards.errors import Invalid, NotFound
from boards.models import BoardKind
from boards.state import board_snapshot
from boards.visibility import snapshot_for, viewer_of


def _journey_snapshot(request, board_id) -> tuple[dict, bool]:
    """The board as the caller may see it, and whether they see every score (facilitators)."""
    board, participant = access_board(request.user, board_id)
    if board.kind != BoardKind.JOURNEY_MAP:
        raise NotFound("This board has no emotion curve: it is not a journey map.")
    viewer = viewer_of(participant, board.workshop)
    return snapshot_for(viewer, board_snapshot(board_id)), viewer.facilitator


def _int_param(request, name, default, low, high) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Invalid(f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise Invalid(f"{name} must be from {low} to {high}.")
    return value


class GuestSessionScheme(OpenApiAuthenticationExtension):
    """Names the guest session in the OpenAPI schema."""

    target_class = "boards.auth.GuestSessionAuthentication"
    name = "guestSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


class GuestSessionOpsScheme(GuestSessionScheme):
    """The op door's guest session: the same cookie, with Django's CSRF check (boards/auth.py)."""

    target_class = "boards.auth.GuestSessionOpsAuthentication"
    name = "guestSessionOps"


# A guest's page fetches the curve with the session its join gave it.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication, GuestSessionAuthentication]


class CurveView(APIView):
    authentication_classes = AUTHENTICATION

    @extend_schema(
        responses={200: CurveResponseSerializer, **errors(404)},
        summary="Emotion curve numbers: per persona, per stage count, mean, min, max, sd, as-is and to-be, "
        "gaps, moments of truth; stages under the respondent floor have mean null for all but facilitators",
    )
    def get(self, request, board_id):
        snapshot, everything = _journey_snapshot(request, board_id)
        return Response(
            {
                "board": snapshot["id"],
                "seq": snapshot["seq"],
                "respondent_floor": snapshot["journey_settings"]["respondent_floor"],
                "curves": [
                    emotion_curve(snapshot, p["id"], everything=everything) for p in snapshot["personas"]
                ],
            },
            headers={"Cache-Control": "no-store"},
        )


class CurveSvgView(APIView):
    authentication_classes = AUTHENTICATION

    @extend_schema(
        parameters=[
            OpenApiParameter("personas", str, description="Comma-separated persona ids (default: all)."),
            OpenApiParameter("width", int, description="Pixels, 200 to 4000 (default 760)."),
            OpenApiParameter("height", int, description="Pixels, 120 to 2000 (default 320)."),
            OpenApiParameter("compact", bool, description="1: no axis gutter, stage labels or legend."),
        ],
        responses={
            (200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.STR, description="An SVG document"),
            **errors(400, 404),
        },
        summary="Emotion curves of all (or chosen) personas as an SVG image",
    )
    def get(self, request, board_id):
        snapshot, everything = _journey_snapshot(request, board_id)
        persona_ids = None
        if request.query_params.get("personas") is not None:
            raw = request.query_params["personas"]
            try:
                persona_ids = [int(part) for part in raw.split(",") if part.strip()]
            except ValueError:
                raise Invalid("personas must be comma-separated persona ids.") from None
        svg = curve_svg(
            snapshot,
            persona_ids,
            width=_int_param(request, "width", 760, 200, 4000),
            height=_int_param(request, "height", 320, 120, 2000),
            compact=request.query_params.get("compact") in ("1", "true"),
            everything=everything,
        )
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Cache-Control"] = "no-store"
        response["X-Board-Seq"] = str(snapshot["seq"])
        return response
