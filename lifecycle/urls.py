"""Pages of the lifecycle: a workshop's status and data, the team's audit log, an account's data."""

from django.urls import path

from lifecycle import views

urlpatterns = [
    path("w/<id:workshop_id>/lifecycle/", views.workshop_lifecycle, name="workshop-lifecycle"),
    path("w/<id:workshop_id>/close/", views.close, name="workshop-close"),
    path("w/<id:workshop_id>/reopen/", views.reopen, name="workshop-reopen"),
    path("w/<id:workshop_id>/archive/", views.archive, name="workshop-archive"),
    path("w/<id:workshop_id>/retention/", views.retention, name="workshop-retention"),
    path("w/<id:workshop_id>/delete/", views.delete, name="workshop-delete"),
    path("w/<id:workshop_id>/my-data.json", views.my_data, name="my-data"),
    path("w/<id:workshop_id>/my-data/erase/", views.my_data_erase, name="my-data-erase"),
    path("teams/<id:team_id>/audit/", views.team_audit, name="team-audit"),
    path("teams/<id:team_id>/retention/", views.team_retention, name="team-retention"),
    path("account/data/", views.account_data, name="account-data"),
]
