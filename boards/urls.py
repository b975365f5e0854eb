"""Pages of workshops, boards and team templates."""

from django.urls import path

from boards import views

urlpatterns = [
    path("w/new/", views.workshop_new, name="workshop-new"),
    path("w/<int:workshop_id>/", views.workshop_page, name="workshop"),
    path("w/<int:workshop_id>/qr.svg", views.workshop_qr, name="workshop-qr"),
    path("b/<int:board_id>/", views.board_page, name="board"),
    path("b/<int:board_id>/save-template/", views.board_save_template, name="board-save-template"),
    path("t/", views.template_list, name="template-list"),
    path("t/new/", views.template_new, name="template-new"),
    path("t/<int:template_id>/edit/", views.template_edit, name="template-edit"),
    path("t/<int:template_id>/copy/", views.template_copy, name="template-copy"),
    path("t/<int:template_id>/delete/", views.template_delete, name="template-delete"),
    path("j/", views.join_page, name="join-form"),
    path("j/<str:code>", views.join_page, name="join"),
]
