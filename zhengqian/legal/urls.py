from django.urls import path

from . import views

app_name = "legal"

urlpatterns = [
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/new/", views.calendar_year_new, name="calendar_new"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/<slug:code>/", views.policy_detail, name="policy_detail"),
    path("projects/<int:pk>/deadlines/", views.project_deadlines, name="project_deadlines"),
]
