"""What the funds read from compensation: the one place that knows its models.

- Fee categories: the valuation's categories map onto the ledger's sub-ledgers (banan-2015 (五)
  lists the fees): crops and attachments share one; houses, relocation, transition and the
  handover reward are paid with the housing money.
- Which agreement governs a household: the latest signed one of its chain (original, then
  supplementary agreements correcting it). Payments of an agreement a newer signed one
  supersedes are not approved or sent; a draft or cancelled agreement is never paid.
- What is paid to whom: the governing agreement's valuation lines, by payee — the collective's
  lines to the village collective account, every other payee's to a household member's
  real-name account (putian-2014 (七)(十)). Social-security lines are not paid to households:
  they go to the social-security fund by transfer (putian-2014 (十五)).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from zhengqian.compensation.models import Agreement, AgreementStatus, ValuationLine
from zhengqian.domain.ledger import Category
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from .models import PayeeKind
from .values import MoneySum

CATEGORY_MAP: dict[str, Category] = {
    "land_compensation": Category.land_compensation,
    "resettlement_subsidy": Category.resettlement_subsidy,
    "standing_crop": Category.crops_and_attachments,
    "attachment": Category.crops_and_attachments,
    "house": Category.houses,
    "relocation": Category.houses,
    "transition": Category.houses,
    "reward": Category.houses,
    "social_security": Category.social_security,
}
NOT_PAID_TO_PAYEES = frozenset({Category.social_security})
CANCELLED = frozenset({"cancelled", "void", "terminated"})
ZERO = Decimal("0.00")


def valuation_totals(project: Project) -> dict[Category, Decimal]:
    """The current valuations of the project's households, per ledger category."""
    rows = (
        ValuationLine.objects.filter(valuation__project=project, valuation__is_current=True)
        .values("category").annotate(total=MoneySum("amount")).order_by()
    )
    totals: dict[Category, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        totals[CATEGORY_MAP[row["category"]]] += row["total"] or ZERO
    return dict(totals)


def signed_agreements(project: Project) -> QuerySet[Agreement]:
    return Agreement.objects.filter(project=project, status=AgreementStatus.SIGNED)


def governing(household: Household) -> Agreement | None:
    """The household's latest signed agreement (a supplementary one replaces the one it corrects)."""
    signed = Agreement.objects.filter(household=household, status=AgreementStatus.SIGNED)
    return signed.order_by("-signed_on", "-year", "-serial", "-id").first()


def governing_ids(project_id: int) -> set[int]:
    """The governing agreement of every household of the project with a signed one."""
    latest: dict[int, tuple[object, ...]] = {}
    signed = Agreement.objects.filter(project_id=project_id, status=AgreementStatus.SIGNED)
    for row in signed.values("id", "household_id", "signed_on", "year", "serial"):
        key = (row["signed_on"], row["year"], row["serial"], row["id"])
        if row["household_id"] not in latest or key > latest[row["household_id"]]:
            latest[row["household_id"]] = key
    return {key[3] for key in latest.values()}  # type: ignore[misc]


def refusal(agreement: Agreement) -> str:
    """Why ``agreement`` may not be paid now, or "" when it may."""
    if agreement.status in CANCELLED:
        return f"协议 {agreement.number} 已作废，不能付款"
    if agreement.status != AgreementStatus.SIGNED:
        return f"协议 {agreement.number} 尚未签订，不能付款"
    current = governing(agreement.household)
    if current is not None and current.pk != agreement.pk:
        return f"协议 {agreement.number} 已被 {current.number} 取代，请按新协议付款"
    return ""


def payee_kind(line_payee: str) -> PayeeKind:
    return PayeeKind.COLLECTIVE if line_payee == "collective" else PayeeKind.HOUSEHOLD


def payable_lines(agreement: Agreement) -> dict[tuple[PayeeKind, Category], Decimal]:
    """What the agreement pays, per (payee, category), zero lines and social security left out."""
    rows = (
        ValuationLine.objects.filter(valuation_id=agreement.valuation_id, amount__gt=0)
        .values("payee", "category").annotate(total=MoneySum("amount")).order_by()
    )
    totals: dict[tuple[PayeeKind, Category], Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        category = CATEGORY_MAP[row["category"]]
        if category not in NOT_PAID_TO_PAYEES:
            totals[(payee_kind(row["payee"]), category)] += row["total"]
    return dict(totals)


def payable_total(agreement: Agreement) -> Decimal:
    return sum(payable_lines(agreement).values(), ZERO)


def payable_totals(agreements: Iterable[Agreement]) -> dict[int, Decimal]:
    """``payable_total`` of many agreements in one query, by agreement id."""
    by_valuation: dict[int, list[int]] = defaultdict(list)
    for agreement in agreements:
        by_valuation[agreement.valuation_id].append(agreement.pk)
    social = [code for code, category in CATEGORY_MAP.items() if category in NOT_PAID_TO_PAYEES]
    rows = (
        ValuationLine.objects.filter(valuation_id__in=list(by_valuation), amount__gt=0).exclude(category__in=social)
        .values("valuation_id").annotate(total=MoneySum("amount")).order_by()
    )
    totals = {row["valuation_id"]: row["total"] for row in rows}
    return {pk: totals.get(valuation, ZERO) for valuation, pks in by_valuation.items() for pk in pks}


def due_date(agreement: Agreement) -> tuple[date | None, bool]:
    """The full-payment deadline compensation computed when the agreement was signed
    (3 months, putian-2014 (七)), and whether it is provisional."""
    return agreement.payment_due, agreement.payment_due_provisional
