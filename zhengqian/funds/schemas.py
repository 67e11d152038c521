"""API schemas of the funds (django-ninja). Amounts are decimals with two places."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from zhengqian.domain.ledger import Category


class AccountOut(Schema):
    id: int
    code: str
    kind: str
    project_id: int | None
    township_id: int | None
    village_id: int | None
    household_id: int | None
    name: str
    bank_name: str
    account_no_masked: str

    @staticmethod
    def resolve_account_no_masked(obj: Any) -> str:
        return obj.masked_account_no


class BalanceOut(Schema):
    account: AccountOut
    by_category: dict[str, Decimal]
    total: Decimal


class GateOut(Schema):
    budget: dict[str, Decimal] | None
    met: bool
    shortfall: dict[str, Decimal]
    message: str
    clause: str
    facts: dict[str, bool]


class AccountsOpenIn(Schema):
    bank_name: str = ""
    account_no: str = ""


class CollectiveAccountIn(Schema):
    village_id: int
    name: str
    bank_name: str
    account_no: str


class BudgetIn(Schema):
    estimates: dict[str, Decimal] = {}
    social_security: Decimal = Decimal("0")
    work_funds: Decimal = Decimal("0")
    resettlement_housing: Decimal = Decimal("0")
    approval_document: str = ""
    approved_on: date | None = None
    reason: str = ""


class DepositOut(Schema):
    id: int
    project_id: int
    category: str
    amount: Decimal
    received_on: date
    bank_reference: str
    evidence_sha256: str
    entry_id: int
    reversed: bool

    @staticmethod
    def resolve_evidence_sha256(obj: Any) -> str:
        return obj.evidence.sha256

    @staticmethod
    def resolve_reversed(obj: Any) -> bool:
        return hasattr(obj.entry, "reversed_by")


class AppropriationIn(Schema):
    township_id: int
    category: Category
    amount: Decimal
    purpose: str = ""


class DecisionIn(Schema):
    note: str = ""


class AppropriationOut(Schema):
    id: int
    project_id: int
    township_id: int
    category: str
    amount: Decimal
    purpose: str
    state: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str
    entry_id: int | None


class TransferOut(Schema):
    id: int
    project_id: int
    target_project_id: int
    source_id: int
    target_id: int
    category: str
    to_category: str
    amount: Decimal
    reason: str
    approver_name: str
    entry_id: int


class ReviewOut(Schema):
    id: int
    project_id: int
    reviewed_on: date
    reviewer: str
    document_no: str
    amount_confirmed: Decimal


class ReasonIn(Schema):
    reason: str = ""


class PostingOut(Schema):
    account_id: int
    account_code: str
    category: str
    amount: Decimal

    @staticmethod
    def resolve_account_code(obj: Any) -> str:
        return obj.account.code


class EntryOut(Schema):
    id: int
    project_id: int
    kind: str
    on: date
    memo: str
    reverses_id: int | None
    approvals: list[str]
    postings: list[PostingOut]

    @staticmethod
    def resolve_postings(obj: Any) -> list[Any]:
        return list(obj.postings.all())


class EntryPage(Schema):
    count: int
    page: int
    items: list[EntryOut]


class PaymentOut(Schema):
    id: int
    number: str
    project_id: int
    agreement_id: int
    agreement_number: str
    household_id: int
    household_code: str
    payee_kind: str
    payee_account_id: int
    payee_name: str
    payee_account_masked: str
    category: str
    amount: Decimal
    state: str
    approved_at: datetime | None
    sent_at: datetime | None
    paid_on: date | None
    failure_reason: str
    attempts: int
    batch_id: int | None
    entry_id: int | None

    @staticmethod
    def resolve_agreement_number(obj: Any) -> str:
        return obj.agreement.number

    @staticmethod
    def resolve_household_code(obj: Any) -> str:
        return obj.household.code

    @staticmethod
    def resolve_payee_name(obj: Any) -> str:
        return obj.payee_account.name

    @staticmethod
    def resolve_payee_account_masked(obj: Any) -> str:
        return obj.payee_account.masked_account_no


class PaymentPage(Schema):
    count: int
    page: int
    items: list[PaymentOut]


class PaymentFilter(Schema):
    state: str = ""
    q: str = ""
    page: int = 1


class PlanIn(Schema):
    agreement_id: int


class PayeeIn(Schema):
    account_id: int
    reason: str = ""


class BatchIn(Schema):
    account_id: int


class BatchLineOut(Schema):
    seq: int
    payment_id: int
    payee_name: str
    amount: Decimal
    outcome: str
    reason: str


class BatchOut(Schema):
    id: int
    number: str
    project_id: int
    account_id: int
    line_count: int
    total: Decimal
    checksum: str
    created_at: datetime
    lines: list[BatchLineOut]

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class ReturnOut(Schema):
    id: int
    batch_id: int
    sha256: str
    file_name: str
    paid_count: int
    paid_total: Decimal
    failed_count: int
    problems: dict[str, Any]


class DifferenceOut(Schema):
    section: str
    subject: str
    expected: str
    actual: str
    note: str


class ReconciliationOut(Schema):
    agreements: int
    payable: Decimal
    planned: Decimal
    paid: Decimal
    in_flight: Decimal
    bank_confirmed: Decimal
    ledger_paid: Decimal
    differences: list[DifferenceOut]


class StatementRowOut(Schema):
    category: str
    budget: Decimal
    deposited: Decimal
    in_place: Decimal
    special: Decimal
    township: Decimal
    households: Decimal
    collectives: Decimal
    social_security: Decimal
    shortfall: Decimal


class TownshipRowOut(Schema):
    project_id: int
    category: str
    appropriated: Decimal
    paid: Decimal
    earmarked: Decimal
    balance: Decimal
    available: Decimal

    @staticmethod
    def resolve_project_id(obj: Any) -> int:
        return obj.project.pk


class CollectiveOut(Schema):
    account_id: int
    start: date
    end: date
    opening: Decimal
    received: Decimal
    closing: Decimal
    by_category: dict[str, Decimal]
    published: bool


class PublicationOut(Schema):
    id: int
    account_id: int
    period_start: date
    period_end: date
    published_on: date
    place: str


class ClockOut(Schema):
    agreement_id: int
    agreement_number: str
    household_id: int
    household_code: str
    due: date | None
    provisional: bool
    payable: Decimal
    paid: Decimal
    outstanding: Decimal
    state: str
