"""Pages of workshops, boards and team templates."""

from django.urls import path

from boards import summary_views, views

urlpatterns = [
    path("w/new/", views.workshop_new, name="workshop-new"),
    path("w/<id:workshop_id>/", views.workshop_page, name="workshop"),
    path("w/<id:workshop_id>/qr.svg", views.workshop_qr, name="workshop-qr"),
    path("b/<id:board_id>/", views.board_page, name="board"),
    path("b/<id:board_id>/save-template/", views.board_save_template, name="board-save-template"),
    path("t/", views.template_list, name="template-list"),
    path("t/new/", views.template_new, name="template-new"),
    path("t/<id:template_id>/edit/", views.template_edit, name="template-edit"),
    path("t/<id:template_id>/copy/", views.template_copy, name="template-copy"),
    path("t/<id:template_id>/delete/", views.template_delete, name="template-delete"),
    path("j/", views.join_page, name="join-form"),
    path("j/<str:code>", views.join_page, name="join"),
]

# After the workshop: summary, files, share links, the team's list (boards/summary_views.py).
urlpatterns += [
    path("w/<id:workshop_id>/summary/", summary_views.summary_page, name="workshop-summary"),
    path("w/<id:workshop_id>/export/", summary_views.workshop_export, name="workshop-export"),
    path(
        "w/<id:workshop_id>/export/pdf/<uuid:build_id>/",
        summary_views.workshop_pdf_build,
        name="workshop-pdf-build",
    ),
    path(
        "w/<id:workshop_id>/export/pdf/<uuid:build_id>/status/",
        summary_views.workshop_pdf_status,
        name="workshop-pdf-status",
    ),
    path(
        "w/<id:workshop_id>/export/pdf/<uuid:build_id>/file/",
        summary_views.workshop_pdf_file,
        name="workshop-pdf-file",
    ),
    path("w/<id:workshop_id>/share/", summary_views.share_create, name="share-create"),
    path("w/<id:workshop_id>/share/<id:link_id>/revoke/", summary_views.share_revoke, name="share-revoke"),
    path("b/<id:board_id>/curve.<str:ext>", summary_views.board_curve, name="board-curve"),
    path("s/<str:token>/", summary_views.share_page, name="share"),
    path("s/<str:token>/export/", summary_views.share_export, name="share-export"),
    path("s/<str:token>/export/pdf/<uuid:build_id>/", summary_views.share_pdf_build, name="share-pdf-build"),
    path(
        "s/<str:token>/export/pdf/<uuid:build_id>/status/",
        summary_views.share_pdf_status,
        name="share-pdf-status",
    ),
    path(
        "s/<str:token>/export/pdf/<uuid:build_id>/file/", summary_views.share_pdf_file, name="share-pdf-file"
    ),
    path("s/<str:token>/curve/<id:board_id>.<str:ext>", summary_views.share_curve, name="share-curve"),
    path("teams/<id:team_id>/workshops/", summary_views.team_workshops, name="team-workshops"),
]
