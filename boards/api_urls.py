"""URLs of the REST API, mounted at /api/v1/."""

from django.urls import path

from boards import api, export_api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("workshops/", api.WorkshopListView.as_view(), name="api-workshops"),
    path("workshops/<int:workshop_id>/", api.WorkshopDetailView.as_view(), name="api-workshop"),
    path("join/", api.JoinView.as_view(), name="api-join"),
    path("boards/<int:board_id>/", api.BoardView.as_view(), name="api-board"),
    path("boards/<int:board_id>/ops/", api.BoardOpsView.as_view(), name="api-board-ops"),
]

# A workshop's files (boards/export_api.py).
urlpatterns += [
    path(
        "workshops/<int:workshop_id>/export/",
        export_api.WorkshopExportView.as_view(),
        name="api-workshop-export",
    ),
    path(
        "boards/<int:board_id>/curve.png",
        export_api.BoardCurvePngView.as_view(),
        name="api-board-curve-png",
    ),
    path(
        "boards/<int:board_id>/curve.svg",
        export_api.BoardCurveSvgView.as_view(),
        name="api-board-curve-svg",
    ),
]
