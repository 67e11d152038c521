from django.urls import path

from . import views, views_documents, views_meetings

app_name = "procedure"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("notifications/", views.notifications, name="notifications"),
    path("projects/<int:pk>/", views.project_procedure, name="project"),
    path("projects/<int:pk>/steps/<slug:code>/complete/", views.project_step_complete, name="step_complete"),
    path("projects/<int:pk>/steps/<slug:code>/waive/", views.project_step_waive, name="step_waive"),
    path("projects/<int:pk>/steps/<slug:code>/lapse/", views.project_step_lapse, name="step_lapse"),
    path("projects/<int:pk>/facts/", views.fact_record, name="fact_record"),
    path("projects/<int:pk>/late-registration/", views.late_registration, name="late_registration"),
    path("projects/<int:pk>/notices/new/", views_documents.notice_create, name="notice_create"),
    path("projects/<int:pk>/assemblies/new/", views_meetings.assembly_create, name="assembly_create"),
    path("projects/<int:pk>/hearing/", views_meetings.hearing, name="hearing"),
    path("projects/<int:pk>/hearing/<slug:what>/", views_meetings.hearing_action, name="hearing_action"),
    path("households/<int:pk>/", views.household_procedure, name="household"),
    path(
        "households/<int:pk>/steps/<slug:code>/complete/", views.household_step_complete, name="household_step_complete"
    ),
    path("households/<int:pk>/steps/<slug:code>/lapse/", views.household_step_lapse, name="household_step_lapse"),
    path("households/<int:pk>/chain/start/", views_documents.chain_start, name="chain_start"),
    path("households/<int:pk>/chain/<slug:code>/issue/", views_documents.chain_issue, name="chain_issue"),
    path("households/<int:pk>/dossier.zip", views_documents.dossier_zip, name="dossier_zip"),
    path("households/<int:pk>/dossier.pdf", views_documents.dossier_pdf, name="dossier_pdf"),
    path("documents/<int:pk>/", views_documents.document_detail, name="document"),
    path("documents/<int:pk>/print/", views_documents.document_print, name="document_print"),
    path("documents/<int:pk>/pdf/", views_documents.document_pdf, name="document_pdf"),
    path("documents/<int:pk>/publish/", views_documents.document_publish, name="document_publish"),
    path("documents/<int:pk>/serve/", views_documents.document_serve, name="document_serve"),
    path("document-evidence/<int:pk>/", views_documents.document_evidence, name="document_evidence"),
    path("evidence/<int:pk>/", views_documents.step_evidence, name="evidence"),
    path("assemblies/<int:pk>/", views_meetings.assembly_detail, name="assembly"),
    path(
        "assemblies/<int:pk>/attendance/<int:household_id>/",
        views_meetings.assembly_attendance,
        name="assembly_attendance",
    ),
    path("assemblies/<int:pk>/close/", views_meetings.assembly_close, name="assembly_close"),
]
