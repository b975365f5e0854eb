"""The lifecycle's URLs under /api/v1/, mounted before boards' (the workshop URL gains DELETE)."""

from django.urls import path

from lifecycle import api

urlpatterns = [
    path("workshops/<id:workshop_id>/", api.WorkshopView.as_view(), name="api-workshop-delete"),
    path("workshops/<id:workshop_id>/lifecycle/", api.LifecycleView.as_view(), name="api-workshop-lifecycle"),
    path("workshops/<id:workshop_id>/close/", api.CloseView.as_view(), name="api-workshop-close"),
    path("workshops/<id:workshop_id>/reopen/", api.ReopenView.as_view(), name="api-workshop-reopen"),
    path("workshops/<id:workshop_id>/archive/", api.ArchiveView.as_view(), name="api-workshop-archive"),
    path("workshops/<id:workshop_id>/unarchive/", api.UnarchiveView.as_view(), name="api-workshop-unarchive"),
    path(
        "workshops/<id:workshop_id>/retention/",
        api.WorkshopRetentionView.as_view(),
        name="api-workshop-retention",
    ),
    path("workshops/<id:workshop_id>/my-data/", api.MyDataView.as_view(), name="api-my-data"),
    path("teams/<id:team_id>/retention/", api.TeamRetentionView.as_view(), name="api-team-retention"),
    path("teams/<id:team_id>/audit/", api.AuditView.as_view(), name="api-team-audit"),
    path("account/data/", api.AccountDataView.as_view(), name="api-account-data"),
    path("account/", api.AccountView.as_view(), name="api-account"),
]
