"""Test helpers: a funded project, households with real-name accounts, signed agreements.

Agreements are written as rows (an approved standard, a valuation with lines, a signed
agreement with its scan): the funds only read them, and this keeps the tests independent of
how compensation prices and signs."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from zhengqian.compensation.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    CompensationStandard,
    StandardStatus,
    Valuation,
    ValuationLine,
)
from zhengqian.core import clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import Jurisdiction, User
from zhengqian.households import actions as household_actions
from zhengqian.households.models import Household
from zhengqian.households.tests.factories import make_household, resident_id, village_of
from zhengqian.projects.models import Project

from .. import actions, payments
from ..models import Account

RECEIPT = b"%PDF-1.4 bank receipt"
_SERIAL = itertools.count(9001)  # clear of the numbers compensation gives
_IDS = itertools.count(701)

# (category, payee, amount) of a typical household: land to the collective, the rest to the household.
LINES = [
    ("land_compensation", "collective", "30000.00"),
    ("resettlement_subsidy", "household", "20000.00"),
    ("house", "owner", "50000.00"),
    ("standing_crop", "contractor", "1500.50"),
    ("social_security", "household", "8000.00"),
]


def open_accounts(actor: User, project: Project) -> dict[str, Account]:
    actions.accounts_open(actor=actor, project=project, bank_name="重庆农商行", account_no="6228000011112222")
    accounts = {a.kind if a.kind != "township_special" else f"township:{a.township.code}": a
                for a in Account.objects.filter(project=project)}
    return accounts


def set_budget(actor: User, project: Project, **amounts: str) -> Any:
    estimates = {k: v for k, v in amounts.items() if k not in ("social_security", "work_funds",
                                                                "resettlement_housing")}
    return actions.budget_set(
        actor=actor, project=project, estimates=estimates, social_security=amounts.get("social_security", "0"),
        work_funds=amounts.get("work_funds", "0"), resettlement_housing=amounts.get("resettlement_housing", "0"),
        approval_document="巴南府〔2026〕1号", approved_on=clock.today(),
    )


def deposit(actor: User, project: Project, amount: str, category: str = "land_compensation", ref: str = "") -> Any:
    return actions.deposit_record(
        actor=actor, project=project, category=category, amount=amount, received_on=clock.today(),
        bank_reference=ref or f"HD{next(_SERIAL):06d}", receipt=RECEIPT + (ref or amount).encode(),
        receipt_name="回单.pdf", receipt_type="application/pdf",
    )


def appropriate(requester: User, approver: User, project: Project, township: Jurisdiction, amount: str,
                category: str = "land_compensation") -> Any:
    request = actions.appropriation_request(actor=requester, project=project, township=township, category=category,
                                            amount=amount, purpose="首批补偿款")
    return actions.appropriation_approve(actor=approver, appropriation=request)


def household_with_account(actor: User, project: Project, township: Jurisdiction, code: str = "H-001",
                           head: str = "张三") -> Household:
    household = make_household(actor, project, township, code=code, head_name=head)
    member = household_actions.member_add(actor=actor, household=household, name=head,
                                          id_number=resident_id(birth=date(1971, 8, 9), serial=next(_IDS) % 1000),
                                          relation="head")
    household_actions.household_set_bank_account(actor=actor, household=household, bank_name="重庆农商行",
                                                 bank_account_no=f"62210000{household.pk:08d}", holder=member)
    household.refresh_from_db()
    return household


def _standard(actor: User, project: Project) -> CompensationStandard:
    standard = CompensationStandard.objects.filter(project=project, status=StandardStatus.APPROVED).first()
    if standard is None:
        now = clock.now()
        standard = CompensationStandard.objects.create(
            project=project, version=1, status=StandardStatus.APPROVED, created_by=actor, created_at=now,
            updated_at=now, approved_by=actor, approved_at=now, approval_reference="巴南府〔2026〕2号",
        )
    return standard


def signed_agreement(actor: User, household: Household, lines: list[tuple[str, str, str]] | None = None,
                     *, signed_on: date | None = None, status: str = AgreementStatus.SIGNED,
                     parent: Agreement | None = None) -> Agreement:
    """A signed agreement (or a draft) for ``household`` with a fresh current valuation."""
    lines = lines or LINES
    project = household.project
    now = clock.now()
    Valuation.objects.filter(household=household, is_current=True).update(is_current=False)
    sequence = Valuation.objects.filter(household=household).count() + 1
    total = sum((Decimal(a) for _, _, a in lines), Decimal("0.00"))
    collective = sum((Decimal(a) for _, p, a in lines if p == "collective"), Decimal("0.00"))
    valuation = Valuation.objects.create(
        household=household, project=project, standard=_standard(actor, project), sequence=sequence,
        is_current=True, total=total, total_household=total - collective, total_collective=collective,
        created_by=actor, created_at=now,
    )
    for position, (category, payee, amount) in enumerate(lines, start=1):
        ValuationLine.objects.create(
            valuation=valuation, position=position, category=category, item=category, source=household.code,
            description=category, quantity=Decimal(1), unit="item", rate=Decimal(amount), formula=f"1 × {amount}",
            amount=Decimal(amount), payee=payee, clause="test",
        )
    serial = next(_SERIAL)
    signed = status == AgreementStatus.SIGNED
    signed_on = signed_on or clock.today()
    scan = evidence_store(actor=actor, content=f"scan {serial}".encode(), original_name="协议.pdf") if signed else None
    holder = household.bank_account_holder
    return Agreement.objects.create(
        project=project, household=household, valuation=valuation,
        kind=AgreementKind.SUPPLEMENTARY if parent else AgreementKind.ORIGINAL, parent=parent,
        year=signed_on.year, serial=serial, number=f"〔{signed_on.year}〕第{serial:04d}号", status=status,
        amount=total, amount_household=total - collective, amount_collective=collective,
        bank_name=household.bank_name, bank_account_no=household.bank_account_no,
        bank_account_holder=holder.name if holder else "", signed_on=signed_on if signed else None,
        signatories=household.head_name if signed else "", signed_copy=scan, recorded_by=actor if signed else None,
        payment_due=signed_on + timedelta(days=91) if signed else None,
        created_by=actor, created_at=now, updated_at=now,
    )


def collective_account(actor: User, project: Project, township: Jurisdiction) -> Account:
    village = village_of(township)
    return actions.collective_account_open(actor=actor, project=project, village=village, name=f"{village.name}集体",
                                           bank_name="重庆农商行", account_no=f"6230{village.pk:012d}")


def funded_township(office: User, finance: User, project: Project, township: Jurisdiction,
                    amount: str = "500000.00") -> dict[str, Account]:
    """Accounts open, a budget, money deposited per category and appropriated to ``township``."""
    accounts = open_accounts(office, project)
    set_budget(office, project, land_compensation=amount, resettlement_subsidy=amount, houses=amount,
               crops_and_attachments=amount)
    for category in ("land_compensation", "resettlement_subsidy", "houses", "crops_and_attachments"):
        deposit(finance, project, amount, category)
        appropriate(office, finance, project, township, amount, category)
    collective_account(office, project, township)
    return accounts


def plan(actor: User, agreement: Agreement) -> list[Any]:
    return payments.payments_plan(actor=actor, agreement=agreement)
