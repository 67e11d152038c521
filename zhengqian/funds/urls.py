from django.urls import path

from . import views, views_bank, views_payments, views_reports

app_name = "funds"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("clocks/", views_payments.payment_clocks, name="clocks"),
    path("projects/<int:project_id>/", views.project_funds, name="project"),
    path("projects/<int:project_id>/accounts/open/", views.accounts_open, name="accounts_open"),
    path("projects/<int:project_id>/collective/new/", views.collective_create, name="collective_create"),
    path("projects/<int:project_id>/budget/", views.budget_edit, name="budget"),
    path("projects/<int:project_id>/deposits/new/", views.deposit_create, name="deposit_create"),
    path("projects/<int:project_id>/reviews/new/", views.review_create, name="review_create"),
    path("projects/<int:project_id>/appropriations/new/", views.appropriation_create, name="appropriation_create"),
    path("projects/<int:project_id>/transfers/new/", views.transfer_create, name="transfer_create"),
    path("projects/<int:project_id>/ledger/", views.ledger, name="ledger"),
    path("projects/<int:project_id>/payments/", views_payments.payment_list, name="payments"),
    path("projects/<int:project_id>/payments/plan/", views_payments.payments_plan, name="payments_plan"),
    path("projects/<int:project_id>/payments/approve/", views_payments.payments_approve, name="payments_approve"),
    path("projects/<int:project_id>/batches/", views_bank.batch_list, name="batches"),
    path("projects/<int:project_id>/reconciliation/", views_bank.reconciliation, name="reconciliation"),
    path("projects/<int:project_id>/statement/", views_reports.project_statement, name="statement"),
    path("appropriations/<int:pk>/decide/", views.appropriation_decide, name="appropriation_decide"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("payments/<int:pk>/", views_payments.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/approve/", views_payments.payment_action, {"verb": "approve"}, name="payment_approve"),
    path("payments/<int:pk>/cancel/", views_payments.payment_action, {"verb": "cancel"}, name="payment_cancel"),
    path("payments/<int:pk>/payee/", views_payments.payment_action, {"verb": "payee"}, name="payment_payee"),
    path("accounts/<int:pk>/batch/", views_bank.batch_create, name="batch_create"),
    path("accounts/<int:pk>/collective/", views_reports.collective_statement, name="collective"),
    path("batches/<int:pk>/", views_bank.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/download/<str:file_format>/", views_bank.batch_download, name="batch_download"),
    path("townships/<int:pk>/statement/", views_reports.township_statement, name="township_statement"),
]
