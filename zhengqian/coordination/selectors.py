"""Reads of the coordination app, scoped (design §5): a task is seen with its project, and a
township user sees only tasks of departments or of their own township; meetings belong to a
district; incidents and petitions to a township. Outside the user's scope → Http404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from zhengqian.core import clock
from zhengqian.core.models import Department, JurisdictionLevel, User
from zhengqian.core.selectors import scope_q
from zhengqian.domain import coordination as rules
from zhengqian.projects.selectors import projects_for

from .models import (
    Decision,
    DepartmentDuty,
    Incident,
    JointMeeting,
    Petition,
    PetitionStatus,
    SupportCase,
    Task,
    TaskStatus,
)


def _visible_projects(user: User) -> QuerySet[Any]:
    return projects_for(user=user).order_by().values("pk")


def _is_district_user(user: User) -> bool:
    return user.jurisdiction_id is not None and user.jurisdiction.level == JurisdictionLevel.DISTRICT  # type: ignore[union-attr]


def tasks_for(
    *,
    user: User,
    department_id: int | None = None,
    township_id: int | None = None,
    project_id: int | None = None,
    status: str = "",
    overdue_only: bool = False,
    today: date | None = None,
) -> QuerySet[Task]:
    qs = Task.objects.filter(project__in=_visible_projects(user))
    if not _is_district_user(user):
        qs = qs.filter(Q(township__isnull=True) | scope_q(user, "township__path"))
        qs = qs.filter(Q(household__isnull=True) | scope_q(user, "household__village__path"))
    if department_id:
        qs = qs.filter(department_id=department_id)
    if township_id:
        qs = qs.filter(township_id=township_id)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if status:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.filter(status=TaskStatus.OPEN, due_provisional=False, due_on__lt=today or clock.today())
    return qs.select_related("project", "household", "department", "township", "decision__meeting").order_by(
        "due_on", "id"
    )


def task_get(*, user: User, pk: Any) -> Task:
    try:
        return tasks_for(user=user).select_related("evidence", "completed_by", "incident").get(pk=int(pk))
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在") from None


def overdue_task_count(user: User, today: date | None = None) -> int:
    return tasks_for(user=user, overdue_only=True, today=today).count()


TASK_DUE_SOON_DAYS = 3


def task_clock_counts(user: User) -> tuple[int, int]:
    """(overdue, due within TASK_DUE_SOON_DAYS calendar days) of the open tasks with a fixed due
    date the user may see — the coordination line of the overdue board (yongzhou-linkage 四(四): 督办)."""
    today = clock.today()
    fixed = tasks_for(user=user, status=TaskStatus.OPEN).filter(due_provisional=False).order_by()
    counts = fixed.aggregate(
        overdue=Count("id", filter=Q(due_on__lt=today)),
        due_soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=TASK_DUE_SOON_DAYS))),
    )
    return int(counts["overdue"]), int(counts["due_soon"])


# --------------------------------------------------------------------------- departments


@dataclass
class DepartmentRow:
    department: Department
    open_tasks: int
    overdue_tasks: int


def departments_with_counts(*, user: User) -> list[DepartmentRow]:
    """Every department (they are district-wide, not scoped) with the open and overdue tasks
    the user may see."""
    today = clock.today()
    visible = tasks_for(user=user, status=TaskStatus.OPEN).order_by()
    open_counts = dict(visible.values_list("department_id").annotate(n=Count("id")))
    overdue = dict(
        visible.filter(due_provisional=False, due_on__lt=today).values_list("department_id").annotate(n=Count("id"))
    )
    return [
        DepartmentRow(d, open_counts.get(d.pk, 0), overdue.get(d.pk, 0))
        for d in Department.objects.prefetch_related("duties").order_by("pk")
    ]


def department_get(*, pk: Any) -> Department:
    try:
        return Department.objects.prefetch_related(
            Prefetch("duties", queryset=DepartmentDuty.objects.order_by("order", "id"))
        ).get(pk=int(pk))
    except (Department.DoesNotExist, ValueError, TypeError):
        raise Http404("部门不存在") from None


# --------------------------------------------------------------------------- meetings


def meetings_for(*, user: User, kind: str = "") -> QuerySet[JointMeeting]:
    """A district user sees the district's meetings; a township user those with a decision on
    a project they see, or held on an incident of their township."""
    qs = JointMeeting.objects.filter(scope_q(user, "district__path"))
    if not _is_district_user(user):
        on_visible = Decision.objects.filter(meeting_id=OuterRef("pk"), project__in=_visible_projects(user))
        qs = JointMeeting.objects.filter(Exists(on_visible) | scope_q(user, "incident__jurisdiction_path"))
    qs = qs.annotate(decision_count=Count("decisions"))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-held_on", "-id")


def meeting_get(*, user: User, pk: Any) -> JointMeeting:
    try:
        return (
            meetings_for(user=user)
            .select_related("incident", "created_by")
            .prefetch_related(
                "departments",
                Prefetch(
                    "decisions",
                    queryset=Decision.objects.select_related("project").prefetch_related(
                        Prefetch("tasks", queryset=Task.objects.select_related("department", "township"))
                    ),
                ),
            )
            .get(pk=int(pk))
        )
    except (JointMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("会议不存在") from None


def open_decisions(*, user: User, before: JointMeeting | None = None) -> list[Decision]:
    """Decisions with any open task, oldest first: the next meeting's agenda starts with them
    (yongzhou-linkage 四(一)(四))."""
    open_task = Task.objects.filter(decision_id=OuterRef("pk"), status=TaskStatus.OPEN)
    qs = Decision.objects.filter(scope_q(user, "meeting__district__path")).filter(Exists(open_task))
    if before is not None:
        qs = qs.filter(
            Q(meeting__held_on__lt=before.held_on) | Q(meeting__held_on=before.held_on, meeting_id__lt=before.pk)
        )
    return list(qs.select_related("meeting", "project").order_by("meeting__held_on", "meeting_id", "number"))


# --------------------------------------------------------------------------- incidents


def incidents_for(*, user: User, status: str = "", severity: str = "") -> QuerySet[Incident]:
    qs = Incident.objects.filter(scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user))
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    return qs.select_related("project", "township").order_by("-reported_at", "-id")


def incident_get(*, user: User, pk: Any) -> Incident:
    try:
        return (
            incidents_for(user=user)
            .prefetch_related("households", "actions__actor", "meetings", "tasks__department")
            .get(pk=int(pk))
        )
    except (Incident.DoesNotExist, ValueError, TypeError):
        raise Http404("事件不存在") from None


def incident_escalation(incident: Incident) -> rules.Escalation:
    return rules.escalation(
        incident.severity,
        reported_at=incident.reported_at,
        now=clock.now(),
        arrived_at=incident.arrived_at,
        joint_meeting_held=incident.meetings.exists(),
    )


# --------------------------------------------------------------------------- petitions


def petitions_for(*, user: User, status: str = "", overdue_only: bool = False) -> QuerySet[Petition]:
    qs = Petition.objects.filter(scope_q(user, "jurisdiction_path"), project__in=_visible_projects(user))
    if user.role == "department_officer":
        qs = qs.filter(department_id=user.department_id)
    if status:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.exclude(status=PetitionStatus.ANSWERED).filter(due_on__lt=clock.today())
    return qs.select_related("project", "household", "township", "department").order_by("due_on", "id")


def petition_get(*, user: User, pk: Any) -> Petition:
    try:
        return petitions_for(user=user).get(pk=int(pk))
    except (Petition.DoesNotExist, ValueError, TypeError):
        raise Http404("信访件不存在") from None


def support_cases_for(*, user: User) -> QuerySet[SupportCase]:
    return (
        SupportCase.objects.filter(
            scope_q(user, "household__village__path"), household__project__in=_visible_projects(user)
        )
        .select_related("household", "task__department")
        .order_by("-created_at", "-id")
    )
