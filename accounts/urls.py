from django.urls import include, path

from accounts import views

urlpatterns = [
    # Before Django's own: the same form, with a limit per address.
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    # login, logout, password_change(_done), password_reset(_done|_confirm|_complete)
    path("", include("django.contrib.auth.urls")),
    path("signup/", views.signup, name="signup"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<id:team_id>/", views.team_detail, name="team"),
    path("teams/<id:team_id>/leave/", views.team_leave, name="team_leave"),
    path("teams/<id:team_id>/invites/", views.invite_create, name="invite_create"),
    path("teams/<id:team_id>/invites/<id:invite_id>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("teams/<id:team_id>/members/<id:membership_id>/role/", views.member_role, name="member_role"),
    path("teams/<id:team_id>/members/<id:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("invites/<str:key>/", views.invite_accept, name="invite"),
]
