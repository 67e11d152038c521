from django.urls import path

from . import views, views_housing, views_selection, views_social

app_name = "resettlement"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:project_id>/", views.project_page, name="project"),
    path("projects/<int:project_id>/scheme/", views.scheme_set, name="scheme_set"),
    path("projects/<int:project_id>/person-lists/", views.person_list_publish, name="person_list_publish"),
    path("projects/<int:project_id>/days/new/", views_selection.selection_day_create, name="day_create"),
    path("projects/<int:project_id>/enrolment/", views_social.enrolment_lists, name="enrolment_lists"),
    path("projects/<int:project_id>/enrolment/new/", views_social.enrolment_create, name="enrolment_create"),
    path("person-lists/<int:pk>/", views.person_list_detail, name="person_list"),
    path("households/<int:pk>/", views.household_page, name="household"),
    path("households/<int:pk>/persons/", views.persons_determine, name="persons_determine"),
    path("households/<int:pk>/option/", views.option_choose, name="option_choose"),
    path("decisions/<int:pk>/objection/", views.objection_file, name="objection_file"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("estates/", views_housing.estate_list, name="estate_list"),
    path("estates/new/", views_housing.estate_create, name="estate_create"),
    path("estates/template.xlsx", views_housing.import_template, name="import_template"),
    path("estates/<int:pk>/", views_housing.estate_detail, name="estate"),
    path("estates/<int:pk>/records/", views_housing.estate_record, name="estate_record"),
    path("estates/<int:pk>/units/", views_housing.unit_create, name="unit_create"),
    path("estates/<int:pk>/import/", views_housing.unit_import, name="unit_import"),
    path("units/<int:pk>/status/", views_housing.unit_status, name="unit_status"),
    path("days/<int:pk>/", views_selection.selection_day, name="day"),
    path("days/<int:pk>/draw/", views_selection.draw_record, name="draw_record"),
    path("days/<int:pk>/allocate/", views_selection.allocate, name="allocate"),
    path("tickets/<int:pk>/skip/", views_selection.ticket_skip, name="ticket_skip"),
    path("allocations/<int:pk>/", views_selection.allocation_detail, name="allocation"),
    path("allocations/<int:pk>/confirmation/", views_selection.confirmation, name="confirmation"),
    path("allocations/<int:pk>/handover/", views_selection.handover, name="handover"),
    path("allocations/<int:pk>/certificate/", views_selection.certificate, name="certificate"),
    path("allocations/<int:pk>/cancel/", views_selection.allocation_cancel, name="allocation_cancel"),
    path("certificates/", views_selection.certificate_clocks, name="certificates"),
    path("enrolment/<int:pk>/", views_social.enrolment_detail, name="enrolment_detail"),
    path("enrolment/<int:pk>/review/", views_social.enrolment_review, name="enrolment_review"),
    path("enrolment/<int:pk>/publish/", views_social.enrolment_publish, name="enrolment_publish"),
    path("enrolment/<int:pk>/export/", views_social.enrolment_export, name="enrolment_export"),
]
