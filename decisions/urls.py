"""Pages of the decisions app."""

from django.urls import path

from decisions import views

urlpatterns = [
    path("teams/<id:team_id>/actions/", views.team_actions_page, name="team-actions"),
]
