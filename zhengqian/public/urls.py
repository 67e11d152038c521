from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/print/", views.notice_print, name="notice_print"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("publicity/<int:pk>/", views.publicity, name="publicity"),
    path("lookup/", views.lookup, name="lookup"),
]
