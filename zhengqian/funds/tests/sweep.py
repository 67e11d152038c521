"""Scope-sweep entries for every object URL of the funds app (used by
zhengqian/core/tests/test_scope_sweep.py)."""

from __future__ import annotations

from typing import Any

from zhengqian.core.models import User
from zhengqian.domain.ledger import AccountKind

from .. import bank, payments
from ..models import Account, Appropriation, JournalEntry
from . import factories

FUNDS_URLS: dict[str, Any] = {
    **{f"funds:{name}": (lambda o: {"project_id": o["project"].pk}) for name in (
        "project", "accounts_open", "collective_create", "budget", "deposit_create", "review_create",
        "appropriation_create", "transfer_create", "ledger", "payments", "payments_plan", "payments_approve",
        "batches", "reconciliation", "statement")},
    "funds:appropriation_decide": lambda o: {"pk": o["appropriation"].pk},
    "funds:entry_reverse": lambda o: {"pk": o["entry"].pk},
    "funds:payment_detail": lambda o: {"pk": o["payment"].pk},
    "funds:payment_approve": lambda o: {"pk": o["payment"].pk},
    "funds:payment_cancel": lambda o: {"pk": o["payment"].pk},
    "funds:payment_payee": lambda o: {"pk": o["payment"].pk},
    "funds:batch_create": lambda o: {"pk": o["township_account"].pk},
    "funds:collective": lambda o: {"pk": o["collective_account"].pk},
    "funds:batch_detail": lambda o: {"pk": o["batch"].pk},
    "funds:batch_download": lambda o: {"pk": o["batch"].pk, "file_format": "csv"},
    "funds:township_statement": lambda o: {"pk": o["township"].pk},
    **{f"api-1:{name}": (lambda o: {"project_id": o["project"].pk}) for name in (
        "account_balances", "accounts_open", "collective_account_open", "budget_set", "funding_gate",
        "deposit_list", "deposit_record", "review_record", "appropriation_list", "appropriation_request",
        "transfer_list", "entry_list", "payment_list", "payments_plan", "batch_create", "reconciliation",
        "project_statement")},
    "api-1:appropriation_approve": lambda o: {"appropriation_id": o["appropriation"].pk},
    "api-1:appropriation_reject": lambda o: {"appropriation_id": o["appropriation"].pk},
    "api-1:transfer_record": lambda o: {"account_id": o["township_account"].pk},
    "api-1:entry_reverse": lambda o: {"entry_id": o["entry"].pk},
    "api-1:payment_detail": lambda o: {"payment_id": o["payment"].pk},
    "api-1:payment_approve": lambda o: {"payment_id": o["payment"].pk},
    "api-1:payment_cancel": lambda o: {"payment_id": o["payment"].pk},
    "api-1:payment_payee": lambda o: {"payment_id": o["payment"].pk},
    "api-1:batch_detail": lambda o: {"batch_id": o["batch"].pk},
    "api-1:batch_file": lambda o: {"batch_id": o["batch"].pk},
    "api-1:return_import": lambda o: {"batch_id": o["batch"].pk},
    "api-1:township_statement": lambda o: {"township_id": o["township"].pk},
    "api-1:collective_statement": lambda o: {"account_id": o["collective_account"].pk},
    "api-1:collective_publish": lambda o: {"account_id": o["collective_account"].pk},
}


def _collective(o: dict[str, Any]) -> dict[str, Any]:
    return {"village_id": o["collective_account"].village_id, "name": "x", "bank_name": "x", "account_no": "1"}


def _appropriation(o: dict[str, Any]) -> dict[str, Any]:
    return {"township_id": o["township"].pk, "category": "land_compensation", "amount": "1.00"}


FUNDS_BODIES: dict[str, Any] = {
    "api-1:account_balances": lambda o: {},
    "api-1:collective_account_open": _collective,
    "api-1:appropriation_list": _appropriation,
    "api-1:appropriation_request": _appropriation,
    "api-1:payment_list": lambda o: {"agreement_id": o["payment"].agreement_id},
    "api-1:payments_plan": lambda o: {"agreement_id": o["payment"].agreement_id},
    "api-1:payment_detail": lambda o: {},
    "api-1:payment_payee": lambda o: {"account_id": o["payment"].payee_account_id},
    "api-1:batch_create": lambda o: {"account_id": o["township_account"].pk},
}


def sweep_objects(*, project: Any, township: Any) -> dict[str, Any]:
    """Township A with money appropriated, a payment planned and one sent in a batch (kept small:
    it is built once per swept route)."""
    office = project.created_by
    finance, _ = User.objects.get_or_create(
        username="sweep_finance", defaults={"role": "finance_officer", "jurisdiction": project.district})
    factories.open_accounts(office, project)
    factories.deposit(finance, project, "100000.00", category="houses")
    factories.appropriate(office, finance, project, township, "100000.00", category="houses")
    collective = factories.collective_account(office, project, township)
    household = factories.household_with_account(office, project, township, code="FUNDS-1", head="钱七")
    lines = [("house", "owner", "5000.00"), ("relocation", "household", "800.00"),
             ("land_compensation", "collective", "3000.00")]
    planned = factories.plan(office, factories.signed_agreement(office, household, lines))
    payments.payment_approve(actor=finance, payment=next(p for p in planned if p.category == "houses"))
    account = Account.objects.get(project=project, kind=AccountKind.township_special, township=township)
    return {
        "appropriation": Appropriation.objects.filter(project=project).first(),
        "entry": JournalEntry.objects.filter(project=project, kind="deposit").first(),
        "payment": next(p for p in planned if p.category != "houses"),
        "batch": bank.batch_create(actor=finance, account=account),
        "township_account": account,
        "collective_account": collective,
    }
