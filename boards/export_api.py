"""REST endpoints for a workshop's files: /api/v1/workshops/{id}/export/ and a board's curve image."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from boards.access import access_board, access_workshop
from boards.api import ErrorSerializer
from boards.errors import NotFound
from boards.exports import FORMATS, curve_file, export_reader, export_workshop


class IgnoreFormatParameter(DefaultContentNegotiation):
    """`?format=` names the file here, not a DRF renderer; errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class WorkshopExportView(APIView):
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=list(FORMATS), required=True, description="The file format."
            ),
            OpenApiParameter(
                "ops", int, enum=[0, 1], description="With format=json, 1 adds every board's op log."
            ),
        ],
        responses={
            (200, "text/markdown"): OpenApiResponse(OpenApiTypes.STR, description="The summary as Markdown."),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="One row per note, UTF-8 with BOM."
            ),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description='Schema "resonance.workshop/1" (docs/export-json.md).'
            ),
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The summary as PDF."),
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Download a workshop as Markdown, CSV, JSON or PDF",
        description="The file is named resonance-<title>-<date>.<ext> (Content-Disposition). "
        "The file holds what the caller may see: others' private notes, hidden votes, scores hidden "
        "before one's own and anonymous authors are left out.",
    )
    def get(self, request, workshop_id):
        workshop, participant = access_workshop(request.user, workshop_id, join=False)
        fmt, ops = request.query_params.get("format", ""), request.query_params.get("ops") == "1"
        return export_workshop(workshop, fmt, ops=ops, reader=export_reader(workshop, participant)).response()


class BoardCurveView(APIView):
    """A journey board's emotion curve as an image; `ext` is set by each URL's subclass."""

    content_negotiation_class = IgnoreFormatParameter
    ext = "png"

    def get(self, request, board_id):
        board, participant = access_board(request.user, board_id, join=False)
        export = curve_file(board, self.ext, export_reader(board.workshop, participant))
        if export is None:
            raise NotFound("This board has no emotion curve.")
        return export.response()


class BoardCurvePngView(BoardCurveView):
    ext = "png"

    @extend_schema(
        operation_id="boards_curve_png",
        summary="A journey board's emotion curve as PNG",
        responses={(200, "image/png"): OpenApiTypes.BINARY, 404: ErrorSerializer},
    )
    def get(self, request, board_id):
        return super().get(request, board_id)
