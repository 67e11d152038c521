from django.urls import path

from . import views
from .urls_import import urlpatterns as import_urlpatterns

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("board/", views.survey_board, name="board"),
    path("board/close/", views.survey_close, name="close_windows"),
    path("projects/<int:project_id>/freeze/", views.register_freeze, name="freeze"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/bank/", views.household_bank, name="bank"),
    path("<int:pk>/members/new/", views.member_create, name="member_create"),
    path("<int:pk>/survey/new/", views.survey_create, name="survey_create"),
    path("<int:pk>/evidence/new/", views.evidence_create, name="evidence_create"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/delete/", views.member_delete, name="member_delete"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member_reveal"),
    path("surveys/<int:pk>/sign/", views.survey_sign, name="survey_sign"),
    path("surveys/<int:pk>/refuse/", views.survey_refuse, name="survey_refuse"),
    path("surveys/<int:pk>/objection/", views.objection_create, name="objection_create"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]

for _kind in views.ITEM_KINDS:
    urlpatterns += [
        path(f"<int:pk>/{_kind}s/new/", views.item_create, {"kind": _kind}, name=f"{_kind}_create"),
        path(f"{_kind}s/<int:pk>/edit/", views.item_edit, {"kind": _kind}, name=f"{_kind}_edit"),
        path(f"{_kind}s/<int:pk>/delete/", views.item_delete, {"kind": _kind}, name=f"{_kind}_delete"),
    ]

urlpatterns += import_urlpatterns  # workbook import/export, survey sheet, map (urls_import.py)
