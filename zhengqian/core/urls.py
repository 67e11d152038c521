from django.urls import path

from . import account_views, auth_views, user_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.login_view, name="login"),
    path("login/totp/", auth_views.totp_setup_view, name="totp_setup"),
    path("logout/", auth_views.logout_view, name="logout"),
    path("account/", account_views.account, name="account"),
    path("account/totp/", account_views.account_totp, name="account_totp"),
    path("account/totp/disable/", account_views.account_totp_disable, name="account_totp_disable"),
    path("account/tokens/<int:pk>/revoke/", account_views.account_token_revoke, name="account_token_revoke"),
    path("healthz", views.healthz, name="healthz"),
    path("jurisdictions/", views.jurisdiction_list, name="jurisdiction_list"),
    path("jurisdictions/new/", views.jurisdiction_create, name="jurisdiction_create"),
    path("jurisdictions/<int:pk>/", views.jurisdiction_edit, name="jurisdiction_edit"),
    path("audit/", views.audit_list, name="audit_list"),
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_edit, name="user_edit"),
]
