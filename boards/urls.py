"""Pages of workshops and boards."""

from django.urls import path

from boards import views

urlpatterns = [
    path("w/new/", views.workshop_new, name="workshop-new"),
    path("w/<int:workshop_id>/", views.workshop_page, name="workshop"),
    path("b/<int:board_id>/", views.board_page, name="board"),
    path("j/", views.join_page, name="join-form"),
    path("j/<str:code>", views.join_page, name="join"),
]
