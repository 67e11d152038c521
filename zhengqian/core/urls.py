from django.urls import path

from . import auth_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.login_view, name="login"),
    path("login/totp/", auth_views.totp_setup_view, name="totp_setup"),
    path("logout/", auth_views.logout_view, name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("jurisdictions/", views.jurisdiction_list, name="jurisdiction_list"),
    path("jurisdictions/new/", views.jurisdiction_create, name="jurisdiction_create"),
    path("jurisdictions/<int:pk>/", views.jurisdiction_edit, name="jurisdiction_edit"),
    path("audit/", views.audit_list, name="audit_list"),
]
