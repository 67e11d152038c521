"""State changes of tasks, joint meetings and their decisions (yongzhou-linkage 三, 四(一)(二)).

Every action: keyword-only, explicit actor, capability checked, one transaction, one audit
event. Task due dates come from the legal core on the official work calendar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from zhengqian.core import audit, clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import Department, Jurisdiction, JurisdictionLevel, Role, User
from zhengqian.core.permissions import require
from zhengqian.domain import coordination as rules
from zhengqian.domain.calendar import PeriodRule
from zhengqian.domain.errors import DomainError, InvalidInput
from zhengqian.households.models import Household
from zhengqian.legal.selectors import work_calendar
from zhengqian.projects.models import Project

from .models import Decision, Incident, JointMeeting, MeetingKind, Task, TaskSource, TaskStatus

TASK_FIELDS = [
    "title", "status", "due_on", "completed_on", "completion_note", "cancel_reason", "department", "township",
]


@dataclass(frozen=True)
class Upload:
    content: bytes
    name: str
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Owner:
    """Who carries out a task: a department or a township (exactly one)."""

    department: Department | None = None
    township: Jurisdiction | None = None

    @property
    def label(self) -> str:
        return str(self.department or self.township)


def _period(count: int | None, unit: str) -> PeriodRule:
    if count is None:
        return rules.DEFAULT_TASK_PERIOD
    try:
        return PeriodRule.of(unit or "working_days", int(count))
    except DomainError as error:
        raise InvalidInput(error.message, field="period_count") from None


def _check_owner(project: Project, owner: Owner) -> None:
    if (owner.department is None) == (owner.township is None):
        raise InvalidInput("任务须交给一个部门或一个镇街。", field="owners")
    if owner.township is not None:
        if owner.township.level != JurisdictionLevel.TOWNSHIP:
            raise InvalidInput("责任镇街必须是镇/街道。", field="owners")
        if not project.townships.filter(pk=owner.township.pk).exists():
            raise InvalidInput(f"{owner.township.name} 不在项目 {project.code} 的范围内。", field="owners")


def _task_path(project: Project, owner: Owner, household: Household | None) -> str:
    if household is not None:
        return household.village.path
    if owner.township is not None:
        return owner.township.path
    return project.district.path


def _new_task(
    *,
    actor: User,
    project: Project,
    owner: Owner,
    title: str,
    given_on: date,
    period: PeriodRule,
    clause: str,
    source: str,
    detail: str = "",
    household: Household | None = None,
    decision: Decision | None = None,
    incident: Incident | None = None,
) -> Task:
    """Create one task (inside the caller's transaction) and its audit event."""
    title = title.strip()
    if not title:
        raise InvalidInput("请填写任务内容。", field="title")
    _check_owner(project, owner)
    if household is not None and household.project_id != project.pk:
        raise InvalidInput("该户不属于此项目。", field="household")
    due = rules.task_due(work_calendar(), start=given_on, rule=period, clause=clause)
    task = Task.objects.create(
        title=title[:200],
        detail=detail,
        project=project,
        household=household,
        department=owner.department,
        township=owner.township,
        source=source,
        decision=decision,
        incident=incident,
        given_on=given_on,
        period=str(period),
        due_on=due.due,
        due_provisional=due.provisional,
        due_clause=clause,
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="task.create",
        obj=task,
        after=audit.snapshot(task, TASK_FIELDS),
        jurisdiction_path=_task_path(project, owner, household),
    )
    return task


def task_create(
    *,
    actor: User,
    project: Project,
    owner: Owner,
    title: str,
    period_count: int | None = None,
    period_unit: str = "working_days",
    detail: str = "",
    household: Household | None = None,
    given_on: date | None = None,
) -> Task:
    """Give a task to a department or township (yongzhou-linkage 三: each unit's duties)."""
    require(actor, "coordination.manage")
    period = _period(period_count, period_unit)
    with transaction.atomic():
        return _new_task(
            actor=actor,
            project=project,
            owner=owner,
            title=title,
            given_on=given_on or clock.today(),
            period=period,
            clause="yongzhou-linkage 三",
            source=TaskSource.MANUAL,
            detail=detail,
            household=household,
        )


def may_complete(actor: User, task: Task) -> bool:
    if actor.role in (Role.EXPROPRIATION_OFFICE, Role.LEADERSHIP_OFFICE):
        return True
    if actor.role == Role.DEPARTMENT_OFFICER:
        return task.department_id is not None and task.department_id == actor.department_id
    if actor.role == Role.TOWNSHIP_CLERK:
        return task.township_id is not None and task.township_id == actor.jurisdiction_id
    return False


def task_complete(*, actor: User, task: Task, note: str, evidence: Upload, completed_on: date | None = None) -> Task:
    """Close a task with what was done and a file proving it (putian-2014 (八): 全过程记录)."""
    require(actor, "task.complete")
    if not may_complete(actor, task):
        raise InvalidInput("只有责任部门或责任镇街可以办结此任务。", field="task")
    note = note.strip()
    if not note:
        raise InvalidInput("请填写办结情况。", field="note")
    day = completed_on or clock.today()
    if day > clock.today():
        raise InvalidInput("办结日期不能晚于今天。", field="completed_on")
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("project__district").get(pk=task.pk)
        if task.status != TaskStatus.OPEN:
            raise InvalidInput("任务已办结或已撤销。", field="task")
        if day < task.given_on:
            raise InvalidInput("办结日期不能早于交办日期。", field="completed_on")
        path = _task_path(task.project, Owner(task.department, task.township), task.household)
        stored = evidence_store(
            actor=actor,
            content=evidence.content,
            original_name=evidence.name,
            content_type=evidence.content_type,
            jurisdiction_path=path,
        )
        before = audit.snapshot(task, TASK_FIELDS)
        task.status = TaskStatus.DONE
        task.completed_on = day
        task.completed_by = actor
        task.completion_note = note
        task.evidence = stored
        task.save()
        audit.record(
            actor=actor,
            action="task.complete",
            obj=task,
            before=before,
            after=audit.snapshot(task, TASK_FIELDS),
            jurisdiction_path=path,
        )
    return task


def task_cancel(*, actor: User, task: Task, reason: str) -> Task:
    """Withdraw an open task that is no longer needed (the giver's decision, with its reason on
    the record: putian-2014 (八) 全过程记录). A done task stays done; a cancelled task is not overdue
    and no longer keeps its decision open."""
    require(actor, "coordination.manage")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写撤销理由。", field="reason")
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("project__district").get(pk=task.pk)
        if task.status != TaskStatus.OPEN:
            raise InvalidInput("任务已办结或已撤销，不能撤销。", field="task")
        before = audit.snapshot(task, TASK_FIELDS)
        task.status = TaskStatus.CANCELLED
        task.cancel_reason = reason
        task.save(update_fields=["status", "cancel_reason"])
        audit.record(
            actor=actor,
            action="task.cancel",
            obj=task,
            before=before,
            after=audit.snapshot(task, TASK_FIELDS),
            reason=reason,
            jurisdiction_path=_task_path(task.project, Owner(task.department, task.township), task.household),
        )
    return task


# --------------------------------------------------------------------------- joint meetings


def meeting_record(
    *,
    actor: User,
    kind: str = MeetingKind.JOINT_MEETING,
    title: str,
    held_on: date,
    place: str = "",
    chair: str = "",
    agenda: str = "",
    departments: Sequence[Department] = (),
    attendees: str = "",
    minutes: str = "",
    incident: Incident | None = None,
) -> JointMeeting:
    """Record a joint meeting (yongzhou-linkage 四(一)) or joint action (四(二)) of the actor's
    district."""
    require(actor, "coordination.manage")
    district = actor.jurisdiction
    if district is None or district.level != JurisdictionLevel.DISTRICT:
        raise InvalidInput("联席会议由区（县）领导小组召开，请用区级账号记录。", field="title")
    if kind not in MeetingKind.values:
        raise InvalidInput("会议类型不正确。", field="kind")
    if not title.strip():
        raise InvalidInput("请填写议题。", field="title")
    if held_on > clock.today():
        raise InvalidInput("会议日期不能晚于今天（先开会，后记录）。", field="held_on")
    if incident is not None and not incident.jurisdiction_path.startswith(district.path):
        raise InvalidInput("突发事件不在本区。", field="incident")
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            kind=kind,
            district=district,
            title=title.strip()[:200],
            held_on=held_on,
            place=place,
            chair=chair,
            agenda=agenda,
            attendees=attendees,
            minutes=minutes,
            incident=incident,
            created_by=actor,
            created_at=clock.now(),
        )
        meeting.departments.set(departments)
        if incident is not None:
            from .actions_incidents import timeline_add

            timeline_add(incident, actor, "joint_meeting", f"领导小组召开联席会议研究：{meeting.title}")
        audit.record(
            actor=actor,
            action="meeting.record",
            obj=meeting,
            after={
                "kind": kind,
                "title": meeting.title,
                "held_on": held_on,
                "departments": [d.code for d in departments],
            },
            jurisdiction_path=district.path,
        )
    return meeting


def decision_record(
    *,
    actor: User,
    meeting: JointMeeting,
    text: str,
    project: Project,
    owners: Sequence[Owner],
    period_count: int | None = None,
    period_unit: str = "working_days",
) -> Decision:
    """Record a decision and turn it into one task per owner, each due ``period`` after the
    meeting on the work calendar (yongzhou-linkage 四(一)(四): 决议交办、督办)."""
    require(actor, "coordination.manage")
    text = text.strip()
    if not text:
        raise InvalidInput("请填写决议事项。", field="text")
    if not owners:
        raise InvalidInput("请至少选择一个责任部门或镇街。", field="owners")
    if project.district_id != meeting.district_id:
        raise InvalidInput("项目不在本次会议的区县。", field="project")
    period = _period(period_count, period_unit)
    with transaction.atomic():
        meeting = JointMeeting.objects.select_for_update().get(pk=meeting.pk)
        number = (meeting.decisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        decision = Decision.objects.create(
            meeting=meeting, number=number, text=text, project=project, created_at=clock.now()
        )
        clause = rules.CLAUSE_JOINT_MEETING
        for owner in owners:
            _new_task(
                actor=actor,
                project=project,
                owner=owner,
                title=f"{meeting.held_on:%Y-%m-%d}{meeting.get_kind_display()}决议{number}：{text}"[:200],
                given_on=meeting.held_on,
                period=period,
                clause=clause,
                source=TaskSource.DECISION,
                decision=decision,
                incident=meeting.incident,
            )
        audit.record(
            actor=actor,
            action="decision.record",
            obj=decision,
            after={"meeting": meeting.pk, "number": number, "text": text, "owners": [o.label for o in owners]},
            jurisdiction_path=meeting.district.path,
        )
    return decision
