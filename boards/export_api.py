"""REST endpoints for a workshop's files: /api/v1/workshops/{id}/export/ and a board's curve image."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from background.models import PdfBuild
from boards.access import access_board, access_workshop
from boards.api_schema import errors
from boards.errors import NotFound
from boards.exports import (
    FORMATS,
    ExportFile,
    check_format,
    curve_file,
    export_reader,
    export_workshop,
)
from boards.exports.cache import build_for_reader, built_file, pdf_status_of, request_pdf


class IgnoreFormatParameter(DefaultContentNegotiation):
    """`?format=` names the file here, not a DRF renderer; errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class PdfBuildSerializer(serializers.Serializer):
    """A PDF being built in the background (docs/exports.md, "Big PDFs")."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=PdfBuild.Status.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    step = serializers.CharField()
    attempts = serializers.IntegerField()
    seq = serializers.IntegerField(help_text="The sum of the boards' seqs the file is made at.")
    status_url = serializers.CharField()
    file_url = serializers.CharField(required=False, help_text="Once `status` is ready.")
    error = serializers.CharField(required=False, help_text="Once `status` is failed: why, for people.")
    last_error = serializers.CharField(required=False, help_text="An attempt failed and is being retried.")


def _urls(workshop_id, build: PdfBuild) -> dict:
    args = [workshop_id, build.id]
    return {
        "status": reverse("api-workshop-pdf", args=args),
        "file": reverse("api-workshop-pdf-file", args=args),
    }


def _build_json(workshop_id, build: PdfBuild) -> dict:
    urls = _urls(workshop_id, build)
    return {**pdf_status_of(build, urls), "status_url": urls["status"]}


def _reader_build(request, workshop_id, build_id) -> tuple:
    workshop, participant = access_workshop(request.user, workshop_id, join=False)
    # Builds of another reader's view answer 404 like a made-up id.
    build = build_for_reader(workshop, export_reader(workshop, participant), build_id)
    if build is None:
        raise NotFound("No such PDF.")
    return workshop, build


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
                OpenApiTypes.OBJECT, description='Schema "resonance.workshop/2" (docs/export-json.md).'
            ),
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The summary as PDF, when cached or small."
            ),
            (202, "application/json"): OpenApiResponse(
                PdfBuildSerializer,
                description="format=pdf of a big workshop: being built; poll `status_url` "
                "(also in the Location header; Retry-After says when).",
            ),
            **errors(400, 404),
        },
        summary="Download a workshop as Markdown, CSV, JSON or PDF",
        description="The file is named resonance-<title>-<date>.<ext> (Content-Disposition). "
        "The file holds what the caller may see: others' private notes, hidden votes, scores hidden "
        "before one's own and anonymous authors are left out. "
        "A PDF of a big workshop is built in the background: the answer is then 202 with a status URL.",
    )
    def get(self, request, workshop_id):
        workshop, participant = access_workshop(request.user, workshop_id, join=False)
        fmt, ops = request.query_params.get("format", ""), request.query_params.get("ops") == "1"
        check_format(fmt)
        reader = export_reader(workshop, participant)
        if fmt != "pdf":
            return export_workshop(workshop, fmt, ops=ops, reader=reader).response()
        result = request_pdf(workshop, reader)
        if isinstance(result, ExportFile):
            return result.response()
        body = _build_json(workshop.id, result)
        return Response(body, status=202, headers={"Location": body["status_url"], "Retry-After": "2"})


class WorkshopPdfView(APIView):
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        operation_id="workshops_export_pdf_status",
        summary="How far a PDF being built in the background is",
        responses={200: PdfBuildSerializer, **errors(404)},
    )
    def get(self, request, workshop_id, build_id):
        workshop, build = _reader_build(request, workshop_id, build_id)
        return Response(_build_json(workshop.id, build))


class WorkshopPdfFileView(APIView):
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        operation_id="workshops_export_pdf_file",
        summary="The PDF a background build made",
        description="Before the build is ready, a redirect (302) to its status.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 302: None, **errors(404)},
    )
    def get(self, request, workshop_id, build_id):
        workshop, build = _reader_build(request, workshop_id, build_id)
        export = built_file(build)
        if export is None:
            return HttpResponseRedirect(_urls(workshop.id, build)["status"])
        return export.response()


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
        responses={(200, "image/png"): OpenApiTypes.BINARY, **errors(404)},
    )
    def get(self, request, board_id):
        return super().get(request, board_id)
