"""Reads of the compensation app, always scoped (design §5): a standard or job through its
project (projects_for), a valuation, publicity list or agreement through its village (the
user's subtree) and its project. An object outside is Http404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from zhengqian.core.models import Jurisdiction, User
from zhengqian.core.selectors import scope_q
from zhengqian.households.models import Household
from zhengqian.projects.models import Project
from zhengqian.projects.selectors import projects_for

from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    CompensationStandard,
    PublicityEntry,
    PublicityList,
    PublicityObjection,
    RepricingChange,
    RepricingJob,
    StandardRate,
    StandardStatus,
    Valuation,
    ValuationLine,
)


def _visible_projects(user: User) -> QuerySet[Project]:
    return projects_for(user=user).order_by().values("pk")  # type: ignore[return-value]


def _get(qs: QuerySet[Any], pk: Any, label: str) -> Any:
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"{label}不存在") from None


# --- standards ---------------------------------------------------------------------------------


def standards_for(*, user: User, project: Project) -> QuerySet[CompensationStandard]:
    return (
        CompensationStandard.objects.filter(project=project, project__in=_visible_projects(user))
        .select_related("created_by", "approved_by")
        .annotate(rate_count=Count("rates"))
        .order_by("-version")
    )


def standard_get(*, user: User, pk: Any) -> CompensationStandard:
    qs = (
        CompensationStandard.objects.filter(project__in=_visible_projects(user))
        .select_related("project__district", "created_by", "approved_by")
        .prefetch_related(Prefetch("rates", queryset=StandardRate.objects.order_by("category", "item")),
                          "reward_windows")
    )
    return _get(qs, pk, "补偿标准")


def current_standard_of(project: Project) -> CompensationStandard | None:
    return CompensationStandard.objects.filter(project=project, status=StandardStatus.APPROVED).first()


def rate_get(*, user: User, pk: Any) -> StandardRate:
    qs = StandardRate.objects.filter(standard__project__in=_visible_projects(user)).select_related("standard__project")
    return _get(qs, pk, "单价")


def reward_window_get(*, user: User, pk: Any) -> Any:
    from .models import StandardRewardWindow

    qs = StandardRewardWindow.objects.filter(standard__project__in=_visible_projects(user)).select_related(
        "standard__project"
    )
    return _get(qs, pk, "奖励期限")


def rate_changes(old: CompensationStandard | None, new: CompensationStandard) -> list[dict[str, Any]]:
    """Rates added, removed or changed from ``old`` to ``new`` (for the review page)."""
    if old is None:
        return []
    before = {rate.item: rate for rate in old.rates.all()}
    after = {rate.item: rate for rate in new.rates.all()}
    rows: list[dict[str, Any]] = []
    for item in sorted(before.keys() | after.keys()):
        old_rate, new_rate = before.get(item), after.get(item)
        if old_rate and new_rate and (old_rate.amount, old_rate.unit, old_rate.payee) == (
            new_rate.amount, new_rate.unit, new_rate.payee
        ):
            continue
        shown = new_rate or old_rate
        rows.append({
            "item": item, "name": shown.name if shown else item,
            "old": f"{old_rate.amount.normalize():f} 元/{old_rate.unit_label}" if old_rate else "—",
            "new": f"{new_rate.amount.normalize():f} 元/{new_rate.unit_label}" if new_rate else "—",
        })
    return rows


# --- valuations ------------------------------------------------------------------------------------


def _valuations(user: User) -> QuerySet[Valuation]:
    return Valuation.objects.filter(scope_q(user, "household__village__path"), project__in=_visible_projects(user))


def valuation_get(*, user: User, pk: Any) -> Valuation:
    qs = _valuations(user).select_related("household__village", "household__project", "standard", "created_by")
    return _get(qs.prefetch_related(Prefetch("lines", queryset=ValuationLine.objects.order_by("position"))), pk,
                "估价")


def household_valuations(*, household: Household) -> QuerySet[Valuation]:
    """The household's pricing history, newest first (the household is already scoped)."""
    return (
        Valuation.objects.filter(household=household).select_related("standard", "created_by", "job")
        .order_by("-sequence")
    )


def current_valuation(*, household: Household) -> Valuation | None:
    return (
        Valuation.objects.filter(household=household, is_current=True).select_related("standard")
        .prefetch_related(Prefetch("lines", queryset=ValuationLine.objects.order_by("position"))).first()
    )


def valuation_rows(
    *, user: User, project: Project, search: str = "", village_id: int | None = None, state: str = ""
) -> QuerySet[Household]:
    """Households of a project with their current valuation and original agreement (list page)."""
    from zhengqian.households.selectors import households_for

    qs = households_for(user=user, project_id=project.pk, search=search, village_id=village_id).prefetch_related(
        Prefetch("valuations", queryset=Valuation.objects.filter(is_current=True).select_related("standard"),
                 to_attr="current"),
        Prefetch("agreements", queryset=Agreement.objects.filter(kind=AgreementKind.ORIGINAL), to_attr="originals"),
    )
    if state == "unpriced":
        qs = qs.exclude(valuations__is_current=True)
    elif state == "priced":
        qs = qs.filter(valuations__is_current=True)
    elif state == "signed":
        qs = qs.filter(agreements__kind=AgreementKind.ORIGINAL, agreements__status=AgreementStatus.SIGNED)
    return qs


def project_totals(*, user: User, project: Project) -> dict[str, Any]:
    """Sums of the current valuations the user may see."""
    row = _valuations(user).filter(project=project, is_current=True).aggregate(
        households=Count("id"), total=Sum("total"), household=Sum("total_household"), collective=Sum("total_collective")
    )
    return {key: (value if value is not None else Decimal("0.00")) for key, value in row.items()}


# --- re-pricing jobs ------------------------------------------------------------------------------


def job_get(*, user: User, pk: Any) -> RepricingJob:
    qs = RepricingJob.objects.filter(project__in=_visible_projects(user)).select_related(
        "project", "standard", "previous_standard", "created_by"
    )
    return _get(qs, pk, "计价任务")


def jobs_for(*, user: User, project: Project) -> QuerySet[RepricingJob]:
    return RepricingJob.objects.filter(project=project, project__in=_visible_projects(user)).select_related(
        "standard", "created_by"
    )


def job_changes(*, user: User, job: RepricingJob, needs_supplement: bool | None = None) -> QuerySet[RepricingChange]:
    qs = job.changes.filter(scope_q(user, "household__village__path")).select_related(
        "household__village", "new_valuation"
    )
    if needs_supplement is not None:
        qs = qs.filter(needs_supplement=needs_supplement)
    return qs.order_by("household__code")


# --- publicity ----------------------------------------------------------------------------------------


def publicity_lists_for(*, user: User, project: Project) -> QuerySet[PublicityList]:
    return (
        PublicityList.objects.filter(scope_q(user, "village__path"), project=project,
                                     project__in=_visible_projects(user))
        .select_related("village", "standard", "created_by")
        .annotate(entry_count=Count("entries", distinct=True),
                  pending_objections=Count("objections", filter=Q(objections__outcome="pending"), distinct=True))
        .order_by("-created_at", "-id")
    )


def publicity_get(*, user: User, pk: Any) -> PublicityList:
    qs = PublicityList.objects.filter(scope_q(user, "village__path"), project__in=_visible_projects(user))
    qs = qs.select_related("village", "project", "standard", "created_by").prefetch_related(
        Prefetch("entries", queryset=PublicityEntry.objects.order_by("household_code")),
        Prefetch("objections", queryset=PublicityObjection.objects.select_related("household").order_by("id")),
    )
    return _get(qs, pk, "公示")


def publicity_objection_get(*, user: User, pk: Any) -> PublicityObjection:
    qs = PublicityObjection.objects.filter(
        scope_q(user, "publicity__village__path"), publicity__project__in=_visible_projects(user)
    ).select_related("publicity__village")
    return _get(qs, pk, "公示异议")


def villages_of(*, user: User, project: Project) -> QuerySet[Jurisdiction]:
    """Villages of the project's townships that lie in the user's subtree."""
    return Jurisdiction.objects.filter(
        scope_q(user, "path"), level="village", parent__in=project.townships.all()
    ).order_by("path")


# --- agreements ------------------------------------------------------------------------------------


def agreements_for(
    *, user: User, project: Project, village_id: int | None = None, status: str = "", search: str = ""
) -> QuerySet[Agreement]:
    qs = Agreement.objects.filter(
        scope_q(user, "household__village__path"), project=project, project__in=_visible_projects(user)
    ).select_related("household__village", "parent", "valuation")
    if village_id:
        qs = qs.filter(household__village_id=village_id)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(household__code__icontains=search) | Q(household__head_name__icontains=search)
                       | Q(number__icontains=search))
    return qs.order_by("queue_position", "serial")


def agreement_get(*, user: User, pk: Any) -> Agreement:
    qs = Agreement.objects.filter(
        scope_q(user, "household__village__path"), project__in=_visible_projects(user)
    ).select_related("household__village", "household__group", "project__district", "valuation__standard", "parent",
                     "signed_copy", "created_by", "recorded_by")
    return _get(qs, pk, "协议")


def household_agreements(*, household: Household) -> QuerySet[Agreement]:
    return Agreement.objects.filter(household=household).select_related("parent").order_by("serial")


def household_scoped(*, user: User, pk: Any) -> Household:
    from zhengqian.households.selectors import household_get

    return household_get(user=user, pk=pk)
