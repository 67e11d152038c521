"""Petitions (信访, yongzhou-linkage 三(二)(三)(十四)) and support cases for affected people
(banan-2015 (二)), and the daily scan of this app."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse

from zhengqian.core import audit, clock
from zhengqian.core.models import Department, Jurisdiction, JurisdictionLevel, User
from zhengqian.core.permissions import require
from zhengqian.domain import coordination as rules
from zhengqian.domain.calendar import PeriodRule
from zhengqian.domain.errors import InvalidInput
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from . import notify
from .actions import Owner, _new_task
from .models import SUPPORT_DEPARTMENT, Petition, PetitionStatus, SupportCase, SupportKind, Task, TaskSource, TaskStatus

FIELDS = ["status", "department", "due_on", "extended", "answered_on", "answer"]


def petition_receive(
    *,
    actor: User,
    project: Project,
    township: Jurisdiction,
    petitioner: str,
    summary: str,
    received_on: date,
    channel: str = "来访",
    household: Household | None = None,
) -> Petition:
    """Accept a petition; its answer is due 60 days later (信访工作条例 第三十二条)."""
    require(actor, "petition.manage")
    if township.level != JurisdictionLevel.TOWNSHIP or not project.townships.filter(pk=township.pk).exists():
        raise InvalidInput("镇街不在项目范围内。", field="township")
    if actor.scope_path is None or not township.path.startswith(actor.scope_path):
        raise InvalidInput("只能受理本辖区的信访件。", field="township")
    if not petitioner.strip():
        raise InvalidInput("请填写信访人。", field="petitioner")
    if not summary.strip():
        raise InvalidInput("请填写诉求。", field="summary")
    if received_on > clock.today():
        raise InvalidInput("受理日期不能晚于今天。", field="received_on")
    if household is not None and (
        household.project_id != project.pk or not household.village.path.startswith(township.path)
    ):
        raise InvalidInput("该户不属于此项目和镇街。", field="household")
    with transaction.atomic():
        petition = Petition.objects.create(
            project=project,
            household=household,
            township=township,
            petitioner=petitioner.strip()[:60],
            channel=channel.strip()[:30] or "来访",
            summary=summary.strip(),
            received_on=received_on,
            due_on=rules.petition_due(received_on),
            created_by=actor,
            jurisdiction_path=township.path,
        )
        audit.record(
            actor=actor,
            action="petition.receive",
            obj=petition,
            after=audit.snapshot(petition, FIELDS),
            jurisdiction_path=petition.jurisdiction_path,
        )
    return petition


def _locked(petition: Petition) -> Petition:
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if locked.status == PetitionStatus.ANSWERED:
        raise InvalidInput("信访件已答复。", field="petition")
    return locked


def petition_assign(*, actor: User, petition: Petition, department: Department, extend: bool = False) -> Petition:
    """Hand a petition to the department that deals with it (and, with the head's approval,
    extend its deadline once by 30 days)."""
    require(actor, "petition.manage")
    with transaction.atomic():
        petition = _locked(petition)
        before = audit.snapshot(petition, FIELDS)
        petition.department = department
        petition.status = PetitionStatus.ASSIGNED
        if extend and not petition.extended:
            petition.extended = True
            petition.due_on = rules.petition_due(petition.received_on, extended=True)
        petition.save()
        notify.send(
            notify.department_users(department),
            key=f"petition:{petition.pk}:{department.pk}",
            title=f"交办信访件：{petition.petitioner}",
            body=f"{petition.summary[:80]}。答复期限 {petition.due_on}。",
            url=reverse("coordination:petition", kwargs={"pk": petition.pk}),
        )
        audit.record(
            actor=actor,
            action="petition.assign",
            obj=petition,
            before=before,
            after=audit.snapshot(petition, FIELDS),
            jurisdiction_path=petition.jurisdiction_path,
        )
    return petition


def petition_answer(*, actor: User, petition: Petition, answer: str, answered_on: date | None = None) -> Petition:
    """Record the written answer (its date is what the deadline is measured against)."""
    require(actor, "petition.answer")
    if not answer.strip():
        raise InvalidInput("请填写答复意见。", field="answer")
    day = answered_on or clock.today()
    if day > clock.today():
        raise InvalidInput("答复日期不能晚于今天。", field="answered_on")
    with transaction.atomic():
        petition = _locked(petition)
        if actor.role == "department_officer" and petition.department_id != actor.department_id:
            raise InvalidInput("只有承办部门可以答复。", field="answer")
        if day < petition.received_on:
            raise InvalidInput("答复日期不能早于受理日期。", field="answered_on")
        before = audit.snapshot(petition, FIELDS)
        petition.answer = answer.strip()
        petition.answered_on = day
        petition.status = PetitionStatus.ANSWERED
        petition.save()
        audit.record(
            actor=actor,
            action="petition.answer",
            obj=petition,
            before=before,
            after=audit.snapshot(petition, FIELDS),
            jurisdiction_path=petition.jurisdiction_path,
        )
    return petition


# --------------------------------------------------------------------------- support cases

#: The period a department has to act on a support case (local practice: 15 working days).
SUPPORT_PERIOD = PeriodRule.of("working_days", 15)


def support_case_open(*, actor: User, household: Household, kind: str, need: str) -> SupportCase:
    """Hand an affected household's difficulty to the department that owns it, as its task
    (banan-2015 (二): 低保、子女入学、就业和产业扶持)."""
    require(actor, "support.manage")
    if kind not in SupportKind.values:
        raise InvalidInput("帮扶类型不正确。", field="kind")
    if not need.strip():
        raise InvalidInput("请填写困难情况。", field="need")
    if actor.scope_path is None or not household.village.path.startswith(actor.scope_path):
        raise InvalidInput("该户不在本辖区。", field="household")
    department = Department.objects.filter(code=SUPPORT_DEPARTMENT[SupportKind(kind)]).first()
    if department is None:
        raise InvalidInput("尚未设置负责此类帮扶的部门。", field="kind")
    with transaction.atomic():
        task = _new_task(
            actor=actor,
            project=household.project,
            owner=Owner(department=department),
            title=f"{SupportKind(kind).label}：{household.code} {household.head_name}",
            detail=need.strip(),
            given_on=clock.today(),
            period=SUPPORT_PERIOD,
            clause="banan-2015 (二)",
            source=TaskSource.SUPPORT,
            household=household,
        )
        case = SupportCase.objects.create(
            household=household, kind=kind, need=need.strip(), task=task, created_at=clock.now()
        )
        audit.record(
            actor=actor,
            action="support.open",
            obj=case,
            after={"kind": kind, "department": department.code, "task": task.pk},
            jurisdiction_path=household.village.path,
        )
    return case


# --------------------------------------------------------------------------- the daily scan


def tasks_notify_overdue(today: date | None = None) -> int:
    """Notify the owners (department users or township clerks) and the district office once
    for each task that became overdue; returns how many tasks were newly overdue."""
    today = today or clock.today()
    newly = list(
        Task.objects.filter(
            status=TaskStatus.OPEN, due_provisional=False, due_on__lt=today, overdue_notified_on__isnull=True
        ).select_related("project__district", "department", "township")
    )
    url = reverse("coordination:tasks") + "?overdue=1"
    for task in newly:
        users = notify.department_users(task.department) + notify.office_users(task.project.district.path)
        if task.township is not None:
            users += notify.township_clerks(task.township.path)
        notify.send(
            users,
            key=f"task-overdue:{task.pk}",
            title=f"任务逾期：{task.title[:60]}",
            body=f"{task.owner_label} 的任务已于 {task.due_on} 届满（{task.due_clause}）。",
            url=url,
        )
    Task.objects.filter(pk__in=[t.pk for t in newly]).update(overdue_notified_on=today)
    return len(newly)


def coordination_scan(*, today: date | None = None) -> tuple[int, int]:
    """Daily (with ``procedure_scan``): newly overdue tasks and late incidents, notified once."""
    from .actions_incidents import incidents_check_clock

    with transaction.atomic():
        tasks = tasks_notify_overdue(today)
    return tasks, incidents_check_clock()
