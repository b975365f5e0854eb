"""REST URLs of the decisions app, mounted at /api/v1/ beside boards/api_urls.py."""

from django.urls import path

from decisions import api

urlpatterns = [
    path("workshops/<id:workshop_id>/boards/", api.WorkshopBoardsView.as_view(), name="api-workshop-boards"),
    path("workshops/<id:workshop_id>/owners/", api.OwnersView.as_view(), name="api-workshop-owners"),
    path("teams/<id:team_id>/actions/", api.TeamActionsView.as_view(), name="api-team-actions"),
    path("boards/<id:board_id>/sentiment/", api.SentimentView.as_view(), name="api-board-sentiment"),
    path(
        "boards/<id:board_id>/suggestions/clusters/",
        api.ClusterSuggestionsView.as_view(),
        name="api-board-cluster-suggestions",
    ),
    path(
        "boards/<id:board_id>/suggestions/clusters/accept/",
        api.AcceptClustersView.as_view(),
        name="api-board-cluster-suggestions-accept",
    ),
]
