from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:project_id>/", views.project, name="project"),
    path("projects/<int:project_id>/batch/", views.batch, name="batch"),
    path("projects/<int:project_id>/render/", views.project_render, name="project_render"),
    path("projects/<int:project_id>/archive/", views.archive_create, name="archive"),
    path("projects/<int:project_id>/household/", views.household_render_by_code, name="household_by_code"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("households/<int:pk>/render/", views.household_render, name="household_render"),
    path("notices/<int:pk>/poster/", views.notice_poster, name="notice_poster"),
    path("<int:pk>/download/", views.download, name="download"),
]
