from django.urls import path

from . import views, views_cases, views_risk, views_salvage

app_name = "coordination"

urlpatterns = [
    path("", views.index, name="index"),
    path("scan/", views.scan_now, name="scan"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/cancel/", views.task_cancel, name="task_cancel"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("incidents/", views_cases.incident_list, name="incidents"),
    path("incidents/new/", views_cases.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views_cases.incident_detail, name="incident"),
    path("incidents/<int:pk>/<str:what>/", views_cases.incident_action, name="incident_action"),
    path("petitions/", views_cases.petition_list, name="petitions"),
    path("petitions/new/", views_cases.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", views_cases.petition_detail, name="petition"),
    path("support/", views_cases.support_list, name="support"),
    path("support/household/<int:household_id>/", views_cases.support_create, name="support_create"),
    path("assessment/", views_cases.assessment_dashboard, name="assessment"),
    path("risk/", views_risk.risk_list, name="risks"),
    path("salvage/", views_salvage.salvage_list, name="salvage"),
    path("support/new/", views_salvage.support_start, name="support_start"),
    path("risk/<int:pk>/", views_risk.risk_detail, name="risk"),
]
