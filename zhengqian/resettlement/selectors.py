"""Reads of resettlement, scoped to the user's jurisdiction subtree (outside → Http404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhengqian.core import clock
from zhengqian.core.models import User
from zhengqian.core.selectors import scope_q
from zhengqian.domain import resettlement as rules
from zhengqian.households.models import Household
from zhengqian.projects.models import Project
from zhengqian.projects.selectors import projects_for

from .models import (
    Allocation,
    EnrolmentList,
    Estate,
    HouseholdOption,
    PersonDecision,
    PersonList,
    PersonObjection,
    SelectionDay,
    SelectionTicket,
    Unit,
    UnitStatus,
)


def _get(qs: QuerySet[Any], pk: Any, label: str) -> Any:
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"{label}不存在") from None


def _visible_projects(user: User) -> QuerySet[Project]:
    return projects_for(user=user).order_by().values("pk")  # type: ignore[return-value]


def estates_for(*, user: User, search: str = "") -> QuerySet[Estate]:
    qs = (
        Estate.objects.filter(scope_q(user, "jurisdiction__path"))
        .select_related("jurisdiction")
        .annotate(
            unit_count=Count("units"),
            available_count=Count("units", filter=Q(units__status=UnitStatus.AVAILABLE)),
        )
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(owner_name__icontains=search))
    return qs.order_by("code")


def estate_get(*, user: User, pk: Any) -> Estate:
    return _get(
        Estate.objects.filter(scope_q(user, "jurisdiction__path")).select_related("jurisdiction"), pk, "安置房小区"
    )


def unit_get(*, user: User, pk: Any) -> Unit:
    return _get(Unit.objects.filter(scope_q(user, "estate__jurisdiction__path")).select_related("estate"), pk, "房屋")


def units_of(estate: Estate, status: str = "") -> QuerySet[Unit]:
    qs = estate.units.all()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("building_no", "floor", "number")


def households_of(*, user: User, project: Project, search: str = "") -> QuerySet[Household]:
    qs = Household.objects.filter(scope_q(user, "village__path"), project=project).select_related(
        "village", "resettlement_option", "resettlement_option__estate"
    )
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(head_name__icontains=search))
    return qs.order_by("code")


def household_get(*, user: User, pk: Any) -> Household:
    return _get(
        Household.objects.filter(scope_q(user, "village__path"), project__in=_visible_projects(user)).select_related(
            "project", "village"
        ),
        pk,
        "户",
    )


def decisions_of(household: Household) -> QuerySet[PersonDecision]:
    return PersonDecision.objects.filter(household=household).select_related("member").prefetch_related("objections")


def decision_get(*, user: User, pk: Any) -> PersonDecision:
    return _get(
        PersonDecision.objects.filter(scope_q(user, "jurisdiction_path")).select_related("member", "household"),
        pk,
        "安置人口核定",
    )


def objection_get(*, user: User, pk: Any) -> PersonObjection:
    return _get(PersonObjection.objects.filter(scope_q(user, "decision__jurisdiction_path")), pk, "异议")


def person_lists_for(*, user: User, project: Project) -> QuerySet[PersonList]:
    return PersonList.objects.filter(scope_q(user, "village__path"), project=project).select_related("village")


def person_list_get(*, user: User, pk: Any) -> PersonList:
    return _get(
        PersonList.objects.filter(scope_q(user, "village__path"), project__in=_visible_projects(user)).select_related(
            "village", "project"
        ),
        pk,
        "公示名单",
    )


def option_of(household: Household) -> HouseholdOption | None:
    return HouseholdOption.objects.filter(household=household).select_related("estate").first()


def selection_days_for(*, user: User, project: Project | None = None) -> QuerySet[SelectionDay]:
    qs = SelectionDay.objects.filter(scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user))
    if project is not None:
        qs = qs.filter(project=project)
    return (
        qs.select_related("estate", "project")
        .annotate(households=Count("tickets"), chosen=Count("tickets", filter=Q(tickets__status="chosen")))
        .order_by("-on", "-id")
    )


def selection_day_get(*, user: User, pk: Any) -> SelectionDay:
    return _get(
        SelectionDay.objects.filter(
            scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user)
        ).select_related("estate", "project"),
        pk,
        "选房日",
    )


def tickets_of(selection: SelectionDay) -> list[SelectionTicket]:
    tickets = list(selection.tickets.select_related("household", "household__resettlement_option").order_by("position"))
    allocations = {
        a.ticket_id: a for a in Allocation.objects.filter(ticket__day=selection, cancelled=False).select_related("unit")
    }
    for ticket in tickets:
        ticket.allocation = allocations.get(ticket.pk)  # type: ignore[attr-defined]
    return tickets


def ticket_get(*, user: User, pk: Any) -> SelectionTicket:
    return _get(
        SelectionTicket.objects.filter(scope_q(user, "day__jurisdiction_path")).select_related("day", "household"),
        pk,
        "选房顺序",
    )


def allocations_for(*, user: User, project: Project | None = None, state: str = "") -> QuerySet[Allocation]:
    qs = Allocation.objects.filter(
        scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user), cancelled=False
    ).select_related("household", "unit", "unit__estate", "project")
    if project is not None:
        qs = qs.filter(project=project)
    today = clock.today()
    if state == "open":
        qs = qs.filter(certificate_on__isnull=True)
    elif state == "overdue":
        qs = qs.filter(certificate_on__isnull=True, certificate_latest__lt=today, certificate_provisional=False)
    elif state == "late":
        qs = qs.filter(certificate_on__isnull=True, certificate_due__lt=today)
    return qs.order_by("certificate_on", "certificate_due", "id")


def allocation_get(*, user: User, pk: Any) -> Allocation:
    return _get(
        Allocation.objects.filter(
            scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user)
        ).select_related("household", "household__village", "unit", "unit__estate", "project", "ticket__day"),
        pk,
        "分房记录",
    )


@dataclass
class ClockRow:
    allocation: Allocation
    clock: rules.CertificateClock

    @property
    def label(self) -> str:
        return rules.CLOCK_LABELS[self.clock.state]


def certificate_clocks(allocations: list[Allocation], today: date | None = None) -> list[ClockRow]:
    from zhengqian.legal.selectors import work_calendar

    calendar = work_calendar()
    today = today or clock.today()
    return [
        ClockRow(a, rules.certificate_clock(calendar, a.allocated_on, today, a.certificate_on)) for a in allocations
    ]


def enrolment_lists_for(*, user: User, project: Project | None = None) -> QuerySet[EnrolmentList]:
    qs = EnrolmentList.objects.filter(scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user))
    if project is not None:
        qs = qs.filter(project=project)
    return qs.select_related("village", "project").annotate(persons=Count("entries"))


def enrolment_list_get(*, user: User, pk: Any) -> EnrolmentList:
    return _get(
        EnrolmentList.objects.filter(
            scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user)
        ).select_related("village", "project"),
        pk,
        "社会保障对象名单",
    )
