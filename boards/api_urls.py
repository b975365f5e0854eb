"""URLs of the REST API, mounted at /api/v1/."""

from django.urls import path

from boards import api, api_journey, events, export_api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("workshops/", api.WorkshopListView.as_view(), name="api-workshops"),
    path("workshops/<id:workshop_id>/", api.WorkshopDetailView.as_view(), name="api-workshop"),
    path("workshops/<id:workshop_id>/participants/", api.ParticipantsView.as_view(), name="api-participants"),
    path("join/", api.JoinView.as_view(), name="api-join"),
    path("templates/", api.TemplateListView.as_view(), name="api-templates"),
    path("templates/<id:template_id>/", api.TemplateDetailView.as_view(), name="api-template"),
    path("boards/<id:board_id>/", api.BoardView.as_view(), name="api-board"),
    path("boards/<id:board_id>/ops/", api.BoardOpsView.as_view(), name="api-board-ops"),
    path("boards/<id:board_id>/ops/batch/", api.BoardOpsBatchView.as_view(), name="api-board-ops-batch"),
    path("boards/<id:board_id>/events/", events.board_events, name="api-board-events"),
    path("boards/<id:board_id>/curve/", api_journey.CurveView.as_view(), name="api-board-curve"),
    path("boards/<id:board_id>/curve.svg", api_journey.CurveSvgView.as_view(), name="api-board-curve-svg"),
]

# A workshop's files and the curve as PNG (boards/export_api.py); the SVG is api_journey's.
urlpatterns += [
    path(
        "workshops/<id:workshop_id>/export/",
        export_api.WorkshopExportView.as_view(),
        name="api-workshop-export",
    ),
    path(
        "workshops/<id:workshop_id>/export/pdf/<uuid:build_id>/",
        export_api.WorkshopPdfView.as_view(),
        name="api-workshop-pdf",
    ),
    path(
        "workshops/<id:workshop_id>/export/pdf/<uuid:build_id>/file/",
        export_api.WorkshopPdfFileView.as_view(),
        name="api-workshop-pdf-file",
    ),
    path(
        "boards/<id:board_id>/curve.png",
        export_api.BoardCurvePngView.as_view(),
        name="api-board-curve-png",
    ),
]
