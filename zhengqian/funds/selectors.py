"""Reads of the funds, scoped (design §5): a project's rows are visible with the project
(projects.selectors.projects_for); township rows (township accounts, appropriations, bank
batches) and household rows (payments, real-name accounts, collective accounts) also need their
``jurisdiction_path`` in the user's subtree. An object outside is Http404.

The gate facts (``funds_in_place``, ``paid_in_full`` …) are about the project, not the
reader, and take no user.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from zhengqian.compensation.models import Agreement
from zhengqian.core import audit, clock
from zhengqian.core.models import AuditEvent, User
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.core.selectors import scope_q
from zhengqian.domain import ledger
from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.ledger import AccountKind, Category
from zhengqian.households.models import Household
from zhengqian.projects.models import Project
from zhengqian.projects.selectors import project_get, projects_for

from . import agreements, journal
from .models import (
    Account,
    Appropriation,
    BankBatch,
    CollectivePublication,
    Deposit,
    JournalEntry,
    Payment,
    ProjectBudget,
    SocialSecurityReview,
    Transfer,
)
from .values import MoneySum

ZERO = Decimal("0.00")
PROJECT_LEVEL = (AccountKind.project_special, AccountKind.owner_funding, AccountKind.social_security)
DUE_SOON_DAYS = 15


def _visible_projects(user: User) -> QuerySet[Project]:
    return projects_for(user=user).order_by().values("pk")  # type: ignore[return-value]


def _get(queryset: QuerySet, pk: int | str, message: str):  # type: ignore[no-untyped-def]
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


def has_district_view(*, user: User, project: Project) -> bool:
    """Project-wide reports (the journal of every township, the reconciliation) are for users
    whose jurisdiction covers the project's district."""
    return project.district.path.startswith(user.scope_path or "\0")


def require_district_view(*, user: User, project: Project) -> None:
    if not has_district_view(user=user, project=project):
        raise PermissionDeniedError("该报表涵盖全项目各镇街，仅区级用户可查看。")


def payments_scope_households(*, user: User, project: Project | None = None) -> QuerySet[Household]:
    households = Household.objects.filter(scope_q(user, "village__path"), project__in=_visible_projects(user))
    return households.filter(project=project) if project is not None else households


def household_in_scope(*, user: User, household_id: int) -> Household:
    return _get(payments_scope_households(user=user), household_id, "户不存在")


def history(obj: Any) -> QuerySet[AuditEvent]:
    return audit.history_for(obj)[:100]


# --- accounts and the journal -------------------------------------------------------------


def visible_accounts_q(user: User) -> Q:
    return Q(kind=AccountKind.bank_clearing) | (
        Q(project__in=_visible_projects(user)) & (Q(kind__in=PROJECT_LEVEL) | scope_q(user, "jurisdiction_path"))
    )


def accounts_for(*, user: User, project: Project | None = None, kind: str = "") -> QuerySet[Account]:
    qs = Account.objects.filter(visible_accounts_q(user)).select_related("project", "township", "village", "holder")
    if project is not None:
        qs = qs.filter(project=project)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("project_id", "kind", "code")


def account_get(*, user: User, pk: int | str) -> Account:
    return _get(accounts_for(user=user), pk, "账户不存在")


def entries_for(*, user: User, project: Project) -> QuerySet[JournalEntry]:
    """The project's entries whose every posting is on an account the user may see."""
    hidden = Account.objects.exclude(visible_accounts_q(user))
    return (
        JournalEntry.objects.filter(journal.project_entries(project))
        .exclude(postings__account__in=hidden)
        .distinct()
        .select_related("created_by", "reverses")
        .prefetch_related("postings__account")
        .order_by("-id")
    )


def entry_get(*, user: User, pk: int | str) -> JournalEntry:
    entry = _get(JournalEntry.objects.filter(project__in=_visible_projects(user)), pk, "凭证不存在")
    return _get(entries_for(user=user, project=entry.project), entry.pk, "凭证不存在")


@dataclass(frozen=True)
class AccountBalance:
    account: Account
    by_category: dict[Category, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_category.values(), ZERO)


def balances_for(*, user: User, project: Project, on: date | None = None) -> list[AccountBalance]:
    """Every visible account of the project with its balance per category at the end of ``on``."""
    accounts = list(accounts_for(user=user, project=project))
    totals = journal.amounts((account.pk for account in accounts), on=on)
    rows = []
    for account in accounts:
        by_category = {c: totals[(account.pk, c)] for c in Category if totals.get((account.pk, c))}
        rows.append(AccountBalance(account, by_category))
    return rows


# --- budget and gates ---------------------------------------------------------------------


def budget_get(project: Project) -> ProjectBudget | None:
    return ProjectBudget.objects.filter(project=project).first()


def budget_amounts(project: Project) -> dict[Category, Decimal] | None:
    """The pre-funding budget per category: for each compensation category the larger of the
    approved estimate and the current valuations, plus social security, work funds and
    resettlement housing (banan-2015 (五)); None before a budget is approved."""
    budget = budget_get(project)
    if budget is None:
        return None
    valuations = agreements.valuation_totals(project)
    estimates = {Category(key): Decimal(value) for key, value in budget.estimates.items()}
    social = max(budget.social_security, valuations.pop(Category.social_security, ZERO))
    estimates.pop(Category.social_security, None)
    merged = {c: max(valuations.get(c, ZERO), estimates.get(c, ZERO)) for c in set(valuations) | set(estimates)}
    return ledger.funding_budget(merged, social_security=social, work_funds=budget.work_funds,
                                 resettlement_housing=budget.resettlement_housing)


def special_account_opened(project: Project) -> bool:
    return Account.objects.filter(project=project, kind=AccountKind.project_special).exists()


def funding_gate(project: Project) -> ledger.FundingGateResult | None:
    """The pre-funding gate: money put into the project and not taken back, per category,
    against the budget; None before the budget and the special account exist."""
    budget = budget_amounts(project)
    special = Account.objects.filter(project=project, kind=AccountKind.project_special).first()
    if budget is None or special is None:
        return None
    held = journal.held_by_project(project)
    balances = journal.opening_balances({(special.code, category): amount for category, amount in held.items()})
    return ledger.funding_gate(budget, balances, special.code)


def funds_in_place(project: Project) -> bool:
    """前置资金足额到位 (banan-2015 (五)): the procedure gate "funds in place" reads this."""
    gate = funding_gate(project)
    budget = budget_amounts(project) or {}
    return gate is not None and gate.met and sum(budget.values(), ZERO) > 0


def social_security_needed(project: Project) -> Decimal | None:
    budget = budget_amounts(project)
    return None if budget is None else budget.get(Category.social_security, ZERO)


def social_security_in_place(project: Project) -> bool:
    needed = social_security_needed(project)
    held = journal.held_by_project(project).get(Category.social_security, ZERO)
    return needed is not None and held >= needed


def social_security_reviewed(project: Project) -> bool:
    """The social-security department reviewed funds covering the budget (putian-2014 (十五))."""
    needed = social_security_needed(project)
    review = SocialSecurityReview.objects.filter(project=project).order_by("-reviewed_on", "-id").first()
    return needed is not None and review is not None and review.amount_confirmed >= needed


# --- payments and the payment clock -------------------------------------------------------


def paid_totals(project: Project) -> dict[int, Decimal]:
    """Money confirmed paid, per household."""
    rows = (
        Payment.objects.filter(project=project, state=PaymentState.paid)
        .values("household_id").annotate(total=MoneySum("amount")).order_by()
    )
    return {row["household_id"]: row["total"] for row in rows}


def paid_in_full(project: Project, household: Household | None = None) -> bool:
    """Every household with a signed agreement (or the one given) has been paid all its
    agreement pays to households and collectives (putian-2014 (七) 全额发放; the gate "no
    land use before full payment")."""
    governing = Agreement.objects.filter(pk__in=agreements.governing_ids(project.pk)).select_related("household")
    if household is not None:
        governing = governing.filter(household=household)
    rows = list(governing)
    if not rows:
        return False
    paid, payable = paid_totals(project), agreements.payable_totals(rows)
    return all(paid.get(row.household_id, ZERO) >= payable[row.pk] for row in rows)


def payments_for(
    *, user: User, project: Project | None = None, state: str = "", search: str = "", account: Account | None = None
) -> QuerySet[Payment]:
    qs = Payment.objects.filter(scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user))
    if project is not None:
        qs = qs.filter(project=project)
    if state:
        qs = qs.filter(state=state)
    if account is not None:
        qs = qs.filter(source_account=account)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(household__code__icontains=search)
                       | Q(household__head_name__icontains=search) | Q(agreement__number__icontains=search))
    return qs.select_related("household", "agreement", "payee_account", "source_account", "project", "batch")


def payment_get(*, user: User, pk: int | str) -> Payment:
    return _get(payments_for(user=user), pk, "付款不存在")


@dataclass(frozen=True)
class PaymentClock:
    """The 3-month full-payment clock of one agreement (putian-2014 (七))."""

    agreement: Agreement
    due: date | None
    provisional: bool
    payable: Decimal
    paid: Decimal
    paid_on: date | None

    @property
    def outstanding(self) -> Decimal:
        return max(self.payable - self.paid, ZERO)

    @property
    def state(self) -> str:
        today = clock.today()
        if self.outstanding == 0:
            return "paid_late" if self.due and self.paid_on and self.paid_on > self.due else "paid"
        if self.due is None:
            return "open"
        if today > self.due:
            return "overdue"
        return "due_soon" if self.due - today <= timedelta(days=DUE_SOON_DAYS) else "open"

    @property
    def days_left(self) -> int | None:
        return (self.due - clock.today()).days if self.due else None


def payment_clocks(user: User, *, project: Project | None = None, state: str = "") -> list[PaymentClock]:
    """The clocks of the governing agreements of households the user may see, most urgent first."""
    households = payments_scope_households(user=user)
    agreements_qs = Agreement.objects.filter(household__in=households).select_related("household", "project")
    if project is not None:
        agreements_qs = agreements_qs.filter(project=project)
    governing: set[int] = set()
    for project_id in agreements_qs.values_list("project_id", flat=True).distinct():
        governing |= agreements.governing_ids(project_id)
    paid = defaultdict(lambda: ZERO)
    last_paid: dict[int, date] = {}
    rows = (Payment.objects.filter(household__in=households, state=PaymentState.paid)
            .values("household_id").annotate(total=MoneySum("amount"), last=Max("paid_on")).order_by())
    for row in rows:
        paid[row["household_id"]], last_paid[row["household_id"]] = row["total"], row["last"]
    clocks = []
    rows = list(agreements_qs.filter(pk__in=governing))
    payable = agreements.payable_totals(rows)
    for agreement in rows:
        due, provisional = agreements.due_date(agreement)
        clocks.append(PaymentClock(agreement, due, provisional, payable[agreement.pk],
                                   paid[agreement.household_id], last_paid.get(agreement.household_id)))
    if state:
        clocks = [c for c in clocks if c.state == state]
    order = {"overdue": 0, "due_soon": 1, "open": 2, "paid_late": 3, "paid": 4}
    return sorted(clocks, key=lambda c: (order[c.state], c.due or date.max, c.agreement.number))


# --- documents ----------------------------------------------------------------------------


def deposits_for(*, user: User, project: Project) -> QuerySet[Deposit]:
    project_get(user=user, pk=project.pk)
    return Deposit.objects.filter(project=project).select_related("evidence", "entry", "created_by")


def appropriations_for(*, user: User, project: Project | None = None, state: str = "") -> QuerySet[Appropriation]:
    qs = Appropriation.objects.filter(scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user))
    if project is not None:
        qs = qs.filter(project=project)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("project", "township", "requested_by", "decided_by", "entry")


def appropriation_get(*, user: User, pk: int | str) -> Appropriation:
    return _get(appropriations_for(user=user), pk, "拨付申请不存在")


def transfers_for(*, user: User, project: Project) -> QuerySet[Transfer]:
    project_get(user=user, pk=project.pk)
    return (Transfer.objects.filter(Q(project=project) | Q(target_project=project))
            .select_related("source", "target", "approval_evidence", "entry"))


def reviews_for(*, project: Project) -> QuerySet[SocialSecurityReview]:
    return SocialSecurityReview.objects.filter(project=project).select_related("evidence")


def batches_for(*, user: User, project: Project | None = None) -> QuerySet[BankBatch]:
    qs = BankBatch.objects.filter(scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user))
    if project is not None:
        qs = qs.filter(project=project)
    return qs.select_related("project", "account", "created_by")


def batch_get(*, user: User, pk: int | str) -> BankBatch:
    return _get(batches_for(user=user), pk, "银行批次不存在")


def publications_for(*, account: Account) -> QuerySet[CollectivePublication]:
    return CollectivePublication.objects.filter(account=account).select_related("evidence")
