"""Fund statements and the reconciliation (banan-2015 (五); putian-2014 (七)(十)).

- ``project_statement``: per fee category, the budget, what is in place, where it sits
  (special account, townships, paid to households and collectives, social-security fund).
- ``township_statement``: what each project appropriated to a township, what it paid out,
  what approved payments earmark, and the balance.
- ``collective_statement``: a collective account's receipts in a half-year, for publication
  every six months (putian-2014 (十)).
- ``reconciliation``: agreements ↔ payments ↔ bank ↔ ledger, every difference listed.
All amounts are sums of postings and documents; nothing is stored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from zhengqian.compensation.models import Agreement
from zhengqian.core.models import Jurisdiction, User
from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.ledger import AccountKind, Category, EntryKind
from zhengqian.domain.money import format_yuan
from zhengqian.projects.models import Project

from . import agreements, selectors
from .models import (
    Account,
    Appropriation,
    AppropriationState,
    BankBatchLine,
    BankReturn,
    Deposit,
    JournalEntry,
    LineOutcome,
    Payment,
    Posting,
)
from .values import MoneySum, half_year

ZERO = Decimal("0.00")


def _by_kind(project: Project, on: date | None) -> dict[tuple[str, Category], Decimal]:
    postings = Posting.objects.filter(account__project=project)
    if on is not None:
        postings = postings.filter(entry__on__lte=on)
    rows = postings.values("account__kind", "category").annotate(total=MoneySum("amount")).order_by()
    return {(row["account__kind"], Category(row["category"])): row["total"] for row in rows}


@dataclass(frozen=True)
class StatementRow:
    category: Category
    budget: Decimal
    deposited: Decimal
    in_place: Decimal
    special: Decimal
    township: Decimal
    households: Decimal
    collectives: Decimal
    social_security: Decimal

    @property
    def shortfall(self) -> Decimal:
        return max(self.budget - self.in_place, ZERO)


def project_statement(project: Project, *, on: date | None = None) -> list[StatementRow]:
    """The project fund statement per category (every category with a budget or money)."""
    amounts = _by_kind(project, on)
    budget = selectors.budget_amounts(project) or {}
    rows = []
    for category in Category:
        def held(kind: AccountKind, category: Category = category) -> Decimal:
            return amounts.get((kind.value, category), ZERO)

        kinds = (AccountKind.project_special, AccountKind.township_special, AccountKind.household,
                 AccountKind.collective, AccountKind.social_security)
        row = StatementRow(
            category=category, budget=budget.get(category, ZERO), deposited=-held(AccountKind.owner_funding),
            in_place=sum((held(kind) for kind in kinds), ZERO), special=held(AccountKind.project_special),
            township=held(AccountKind.township_special), households=held(AccountKind.household),
            collectives=held(AccountKind.collective), social_security=held(AccountKind.social_security),
        )
        if row.budget or row.in_place or row.deposited:
            rows.append(row)
    return rows


@dataclass(frozen=True)
class TownshipRow:
    project: Project
    category: Category
    appropriated: Decimal
    paid: Decimal
    earmarked: Decimal
    balance: Decimal

    @property
    def available(self) -> Decimal:
        return self.balance - self.earmarked


def township_statement(*, user: User, township: Jurisdiction, on: date | None = None) -> list[TownshipRow]:
    """Per project and category: appropriated in, paid out, earmarked, balance of the township's
    special account ledgers (banan-2015 (五) 镇街专户统一支付)."""
    accounts = selectors.accounts_for(user=user, kind=AccountKind.township_special).filter(township=township)
    postings = Posting.objects.filter(account__in=accounts)
    if on is not None:
        postings = postings.filter(entry__on__lte=on)
    grouped = (postings.values("account_id", "category")
               .annotate(total=MoneySum("amount"), into=MoneySum("amount", filter=Q(entry__kind__in=[
                   EntryKind.appropriation, EntryKind.reversal], amount__gt=0)),
                   out=MoneySum("amount", filter=Q(entry__kind=EntryKind.payment)))
               .order_by())
    earmarks = (Payment.objects.filter(source_account__in=accounts, state__in=[PaymentState.approved,
                                                                               PaymentState.sent])
                .values("source_account_id", "category").annotate(total=MoneySum("amount")).order_by())
    earmarked = {(row["source_account_id"], row["category"]): row["total"] for row in earmarks}
    by_id = {account.pk: account for account in accounts}
    rows = []
    for row in grouped:
        account = by_id[row["account_id"]]
        rows.append(TownshipRow(
            project=account.project, category=Category(row["category"]), appropriated=row["into"] or ZERO,
            paid=-(row["out"] or ZERO), earmarked=earmarked.get((account.pk, row["category"]), ZERO),
            balance=row["total"] or ZERO,
        ))
    return sorted(rows, key=lambda r: (r.project.code, list(Category).index(r.category)))


@dataclass(frozen=True)
class CollectiveStatement:
    account: Account
    start: date
    end: date
    opening: Decimal
    receipts: list[Posting]
    closing: Decimal
    by_category: dict[Category, Decimal]

    @property
    def received(self) -> Decimal:
        return sum((p.amount for p in self.receipts), ZERO)


def collective_statement(account: Account, day: date) -> CollectiveStatement:
    """The collective account in the half-year containing ``day`` (putian-2014 (十) 每六个月公布一次)."""
    start, end = half_year(day)
    postings = Posting.objects.filter(account=account)
    opening = postings.filter(entry__on__lt=start).aggregate(total=MoneySum("amount"))["total"] or ZERO
    receipts = list(postings.filter(entry__on__gte=start, entry__on__lte=end)
                    .select_related("entry", "entry__payment", "entry__payment__household",
                                    "entry__payment__agreement").order_by("entry__on", "id"))
    by_category: dict[Category, Decimal] = defaultdict(lambda: ZERO)
    for posting in receipts:
        by_category[Category(posting.category)] += posting.amount
    closing = opening + sum((p.amount for p in receipts), ZERO)
    return CollectiveStatement(account, start, end, opening, receipts, closing, dict(by_category))


# --- reconciliation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    section: str
    subject: str
    expected: str
    actual: str
    note: str = ""


@dataclass
class Reconciliation:
    project: Project
    agreements: int = 0
    payable: Decimal = ZERO
    planned: Decimal = ZERO
    paid: Decimal = ZERO
    in_flight: Decimal = ZERO
    bank_confirmed: Decimal = ZERO
    ledger_paid: Decimal = ZERO
    differences: list[Difference] = field(default_factory=list)

    def add(self, section: str, subject: str, expected: object, actual: object, note: str = "") -> None:
        self.differences.append(Difference(section, subject, _show(expected), _show(actual), note))


def _show(value: object) -> str:
    return format_yuan(value) if isinstance(value, Decimal) else str(value)


def reconciliation(project: Project) -> Reconciliation:
    """Agreements ↔ payments ↔ bank ↔ ledger for one project; each difference is listed."""
    report = Reconciliation(project)
    _agreements_vs_payments(project, report)
    _payments_vs_bank(project, report)
    _payments_vs_ledger(project, report)
    _documents_vs_ledger(project, report)
    return report


def _agreements_vs_payments(project: Project, report: Reconciliation) -> None:
    governing = list(Agreement.objects.filter(pk__in=agreements.governing_ids(project.pk)).select_related("household"))
    live = (Payment.objects.filter(project=project).exclude(state=PaymentState.cancelled)
            .values("household_id").annotate(total=MoneySum("amount")).order_by())
    planned = {row["household_id"]: row["total"] for row in live}
    report.agreements = len(governing)
    payable_by_id = agreements.payable_totals(governing)
    for agreement in governing:
        payable = payable_by_id[agreement.pk]
        report.payable += payable
        have = planned.get(agreement.household_id, ZERO)
        report.planned += have
        if have != payable:
            report.add("协议↔付款", f"{agreement.household.code} 户 协议 {agreement.number}", payable, have,
                       "付款计划少于协议应付金额，请生成付款计划" if have < payable else "付款计划超过协议应付金额")
    stale = (Payment.objects.filter(project=project, state__in=[PaymentState.planned, PaymentState.approved])
             .exclude(agreement__in=[a.pk for a in governing]).select_related("agreement"))
    for payment in stale:
        report.add("协议↔付款", f"付款 {payment.number}", "按现行协议付款", f"协议 {payment.agreement.number}",
                   "协议已被取代或未生效，请取消该付款")


def _payments_vs_bank(project: Project, report: Reconciliation) -> None:
    paid = {p.pk: p for p in Payment.objects.filter(project=project, state=PaymentState.paid)}
    report.paid = sum((p.amount for p in paid.values()), ZERO)
    report.in_flight = (Payment.objects.filter(project=project, state=PaymentState.sent)
                        .aggregate(total=MoneySum("amount"))["total"] or ZERO)
    confirmed = (BankBatchLine.objects.filter(batch__project=project, outcome=LineOutcome.PAID)
                 .values("payment_id").annotate(n=Count("id"), total=MoneySum("amount")).order_by())
    seen = set()
    for row in confirmed:
        report.bank_confirmed += row["total"]
        seen.add(row["payment_id"])
        payment = paid.get(row["payment_id"])
        if row["n"] > 1:
            report.add("付款↔银行", f"付款 #{row['payment_id']}", "银行确认 1 次", f"{row['n']} 次", "重复到账")
        if payment is None:
            report.add("付款↔银行", f"付款 #{row['payment_id']}", "已到账", "未登记为已到账")
        elif payment.amount * row["n"] != row["total"]:
            report.add("付款↔银行", f"付款 {payment.number}", payment.amount, row["total"])
    for pk in set(paid) - seen:
        report.add("付款↔银行", f"付款 {paid[pk].number}", "有银行到账确认", "无", "已到账但没有银行回盘记录")
    for received in BankReturn.objects.filter(batch__project=project).select_related("batch"):
        problems = received.problems or {}
        where = f"批次 {received.batch.number} 回盘 {received.file_name}"
        for line in problems.get("unknown", []):
            report.add("付款↔银行", where, "可匹配的付款行", line, "回盘行无法对应批次中待回盘的付款，未入账")
        for line in problems.get("duplicates", []):
            report.add("付款↔银行", where, "每笔付款一行", line, "重复行，未重复入账")
        for number, (expected, actual) in (problems.get("amount_mismatch") or {}).items():
            report.add("付款↔银行", f"{where} 付款 {number}", expected, actual, "回盘金额与批次不符，未入账")


def _payments_vs_ledger(project: Project, report: Reconciliation) -> None:
    paid = (Payment.objects.filter(project=project, state=PaymentState.paid)
            .select_related("entry").prefetch_related("entry__postings"))
    for payment in paid:
        postings = sorted((p.account_id, p.category, p.amount) for p in payment.entry.postings.all())
        expected = sorted([(payment.source_account_id, payment.category, -payment.amount),
                           (payment.payee_account_id, payment.category, payment.amount)])
        if postings != expected:
            report.add("付款↔总账", f"付款 {payment.number}", "专户付出、收款账户收入同额", f"凭证 {payment.entry_id}",
                       "付款凭证与付款不符")
    entries = (JournalEntry.objects.filter(project=project, kind=EntryKind.payment, payment__isnull=True))
    for entry in entries:
        report.add("付款↔总账", f"凭证 {entry.pk}", "对应一笔付款", "无", "总账中有无付款单据的支付凭证")
    payee_kinds = [AccountKind.household, AccountKind.collective]
    report.ledger_paid = (Posting.objects.filter(account__project=project, account__kind__in=payee_kinds,
                                                 entry__kind__in=[EntryKind.payment, EntryKind.reversal,
                                                                  EntryKind.bank_return])
                          .aggregate(total=MoneySum("amount"))["total"] or ZERO)
    if report.ledger_paid != report.paid:
        report.add("付款↔总账", "农户及集体账户收款合计", report.paid, report.ledger_paid)


def _documents_vs_ledger(project: Project, report: Reconciliation) -> None:
    deposits = (Deposit.objects.filter(project=project, entry__reversed_by__isnull=True)
                .aggregate(total=MoneySum("amount"))["total"] or ZERO)
    owner = (Posting.objects.filter(account__project=project, account__kind=AccountKind.owner_funding)
             .aggregate(total=MoneySum("amount"))["total"] or ZERO)
    if deposits != -owner:
        report.add("单据↔总账", "资金到位", deposits, -owner, "到位登记与业主出资账户不符")
    approved = (Appropriation.objects.filter(project=project, state=AppropriationState.APPROVED)
                .aggregate(total=MoneySum("amount"))["total"] or ZERO)
    into_townships = (Posting.objects.filter(account__project=project, account__kind=AccountKind.township_special,
                                             entry__kind__in=[EntryKind.appropriation])
                      .aggregate(total=MoneySum("amount"))["total"] or ZERO)
    reversed_out = (Posting.objects.filter(account__project=project, account__kind=AccountKind.township_special,
                                           entry__kind=EntryKind.reversal,
                                           entry__reverses__kind=EntryKind.appropriation)
                    .aggregate(total=MoneySum("amount"))["total"] or ZERO)
    if approved != into_townships + reversed_out:
        report.add("单据↔总账", "拨付镇街", approved, into_townships + reversed_out, "已拨付申请与镇街专户入账不符")
    totals = Posting.objects.filter(entry__project=project).values("entry_id").annotate(total=MoneySum("amount"))
    for row in totals.order_by():
        if row["total"] != 0:
            report.add("单据↔总账", f"凭证 {row['entry_id']}", ZERO, row["total"], "借贷不平衡")
