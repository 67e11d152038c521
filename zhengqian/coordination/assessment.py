"""Assessment of townships and departments (考核; yongzhou-linkage 四(三)(四), banan-2015
(七)(八)): indicators counted from the real records of a year, scored by the legal core, and
frozen as period scores with reward/penalty records.

Indicators (an item counts in the year its due date falls in, once it is decided: done, or
still open past its due date; provisional dates and optional rights windows are left out):
- ``steps``: statutory procedure steps of the township's households done on time;
- ``payments``: compensation paid in full within 3 months of the agreement (step ``paid``,
  yongzhou-linkage 五(一)4, putian-2014 (七));
- ``tasks``: tasks of the township or department done on time;
- ``petitions``: petitions answered within their deadline;
- incidents of the township (larger and major ones are deducted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from zhengqian.core import audit, clock
from zhengqian.core.models import Department, Jurisdiction, User
from zhengqian.core.permissions import require
from zhengqian.core.selectors import townships_for
from zhengqian.domain import coordination as rules
from zhengqian.domain.errors import InvalidInput
from zhengqian.procedure.models import ProcedureStep, StepStatus

from .models import AssessmentScore, Incident, Petition, PetitionStatus, RewardPenalty, SubjectKind, Task, TaskStatus

WEIGHTS = {"steps": 30, "payments": 30, "tasks": 25, "petitions": 15}
LABELS = {
    "steps": "程序步骤按期完成",
    "payments": "3个月内足额支付",
    "tasks": "督办任务按期办结",
    "petitions": "信访按期答复",
}


@dataclass
class SubjectFigures:
    kind: str
    label: str
    township: Jurisdiction | None
    department: Department | None
    indicators: list[rules.IndicatorResult] = field(default_factory=list)
    incidents: dict[str, int] = field(default_factory=dict)
    overdue_petitions: int = 0

    @property
    def score(self) -> Decimal:
        severities = [s for s, n in self.incidents.items() for _ in range(n)]
        return rules.assessment_score(self.indicators, incidents=severities, overdue_petitions=self.overdue_petitions)

    def as_json(self) -> dict[str, Any]:
        return {
            "indicators": {i.code: {"good": i.good, "total": i.total, "weight": i.weight} for i in self.indicators},
            "incidents": self.incidents,
            "overdue_petitions": self.overdue_petitions,
        }


def _year(period: str) -> tuple[date, date]:
    if not (len(period) == 4 and period.isdigit() and 2014 <= int(period) <= 2100):
        raise InvalidInput("考核期应为年份，如 2026。", field="period")
    return date(int(period), 1, 1), date(int(period), 12, 31)


def _count_steps(qs: QuerySet[ProcedureStep], start: date, end: date, today: date) -> tuple[int, int]:
    decided = qs.filter(due_on__range=(start, end), due_provisional=False, optional=False).filter(
        Q(status=StepStatus.DONE) | Q(status__in=[StepStatus.NOT_STARTED, StepStatus.IN_PROGRESS], due_on__lt=today)
    )
    good = 0
    total = 0
    for status, done_on, due_on in decided.values_list("status", "done_on", "due_on"):
        verdict = rules.task_on_time(
            due=due_on, completed_on=done_on if status == StepStatus.DONE else None, today=today
        )
        if verdict is None:
            continue
        total += 1
        good += int(verdict)
    return good, total


def _count_tasks(qs: QuerySet[Task], start: date, end: date, today: date) -> tuple[int, int]:
    good = total = 0
    rows = qs.filter(due_on__range=(start, end), due_provisional=False).exclude(status=TaskStatus.CANCELLED)
    for completed_on, due_on in rows.values_list("completed_on", "due_on"):
        verdict = rules.task_on_time(due=due_on, completed_on=completed_on, today=today)
        if verdict is None:
            continue
        total += 1
        good += int(verdict)
    return good, total


def _count_petitions(qs: QuerySet[Petition], start: date, end: date, today: date) -> tuple[int, int, int]:
    """(answered on time, decided, overdue and still unanswered)."""
    good = total = overdue = 0
    for status, answered_on, due_on in qs.filter(due_on__range=(start, end)).values_list(
        "status", "answered_on", "due_on"
    ):
        verdict = rules.task_on_time(
            due=due_on, completed_on=answered_on if status == PetitionStatus.ANSWERED else None, today=today
        )
        if verdict is None:
            continue
        total += 1
        good += int(verdict)
        overdue += int(status != PetitionStatus.ANSWERED)
    return good, total, overdue


def _indicator(code: str, good: int, total: int) -> rules.IndicatorResult:
    return rules.indicator(code, LABELS[code], good=good, total=total, weight=WEIGHTS[code])


def township_figures(township: Jurisdiction, period: str, today: date | None = None) -> SubjectFigures:
    start, end = _year(period)
    today = today or clock.today()
    steps = ProcedureStep.objects.filter(jurisdiction_path__startswith=township.path, household__isnull=False)
    figures = SubjectFigures(SubjectKind.TOWNSHIP, township.name, township, None)
    figures.indicators.append(_indicator("steps", *_count_steps(steps.exclude(code="paid"), start, end, today)))
    figures.indicators.append(_indicator("payments", *_count_steps(steps.filter(code="paid"), start, end, today)))
    figures.indicators.append(
        _indicator("tasks", *_count_tasks(Task.objects.filter(township=township), start, end, today))
    )
    good, total, overdue = _count_petitions(Petition.objects.filter(township=township), start, end, today)
    figures.indicators.append(_indicator("petitions", good, total))
    figures.overdue_petitions = overdue
    incidents = Incident.objects.filter(township=township, occurred_at__date__range=(start, end))
    for severity in incidents.values_list("severity", flat=True):
        figures.incidents[severity] = figures.incidents.get(severity, 0) + 1
    return figures


def department_figures(department: Department, period: str, today: date | None = None) -> SubjectFigures:
    start, end = _year(period)
    today = today or clock.today()
    figures = SubjectFigures(SubjectKind.DEPARTMENT, department.name, None, department)
    figures.indicators.append(
        _indicator("tasks", *_count_tasks(Task.objects.filter(department=department), start, end, today))
    )
    good, total, overdue = _count_petitions(Petition.objects.filter(department=department), start, end, today)
    figures.indicators.append(_indicator("petitions", good, total))
    figures.overdue_petitions = overdue
    return figures


def dashboard(*, user: User, period: str) -> list[SubjectFigures]:
    """Figures of the user's townships and of every department with any work in the year."""
    start, end = _year(period)
    rows = [township_figures(t, period) for t in townships_for(user=user)]
    busy = set(Task.objects.filter(due_on__range=(start, end)).values_list("department_id", flat=True))
    busy |= set(Petition.objects.filter(due_on__range=(start, end)).values_list("department_id", flat=True))
    rows += [department_figures(d, period) for d in Department.objects.filter(pk__in=busy).order_by("pk")]
    return rows


def assessment_compute(*, actor: User, period: str) -> list[AssessmentScore]:
    """Freeze the period scores of the actor's townships and the departments (re-running
    replaces the earlier figures of the same period)."""
    require(actor, "assessment.manage")
    rows = dashboard(user=actor, period=period)
    now = clock.now()
    saved = []
    with transaction.atomic():
        for row in rows:
            lookup = {"township": row.township} if row.township is not None else {"department": row.department}
            score, _ = AssessmentScore.objects.update_or_create(
                period=period,
                **lookup,
                defaults={
                    "subject_kind": row.kind,
                    "score": row.score,
                    "figures": row.as_json(),
                    "computed_at": now,
                    "computed_by": actor,
                },
            )
            saved.append(score)
        audit.record(
            actor=actor,
            action="assessment.compute",
            after={"period": period, "scores": {r.label: str(r.score) for r in rows}},
            object_label=f"考核 {period}",
            jurisdiction_path=actor.scope_path or "",
        )
    return saved


def reward_penalty_record(
    *,
    actor: User,
    period: str,
    kind: str,
    reason: str,
    township: Jurisdiction | None = None,
    department: Department | None = None,
) -> RewardPenalty:
    """Record a reward or a penalty (扣减工作经费和奖金、追责; yongzhou-linkage 四(三))."""
    require(actor, "assessment.manage")
    _year(period)
    if kind not in ("reward", "penalty"):
        raise InvalidInput("类型不正确。", field="kind")
    if (township is None) == (department is None):
        raise InvalidInput("请选择一个镇街或一个部门。", field="subject")
    if not reason.strip():
        raise InvalidInput("请填写事由。", field="reason")
    if township is not None and (actor.scope_path is None or not township.path.startswith(actor.scope_path)):
        raise InvalidInput("镇街不在本辖区。", field="subject")
    with transaction.atomic():
        record = RewardPenalty.objects.create(
            period=period,
            kind=kind,
            reason=reason.strip(),
            township=township,
            department=department,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="assessment.reward_penalty",
            obj=record,
            after={"period": period, "kind": kind, "subject": str(township or department), "reason": record.reason},
            jurisdiction_path=township.path if township is not None else (actor.scope_path or ""),
        )
    return record


def dashboard_chart(rows: list[SubjectFigures]) -> dict[str, Any]:
    """The dashboard's bar chart: each subject's score and its on-time rate per indicator
    (an indicator with nothing to count is left out of the bar, not drawn as 0)."""
    labels: dict[str, str] = {}
    for row in rows:
        for item in row.indicators:
            labels.setdefault(item.code, item.label)
    series = [{"name": "得分", "type": "bar", "data": [str(row.score) for row in rows]}]
    for code, label in labels.items():
        data = []
        for row in rows:
            rate = next((item.rate for item in row.indicators if item.code == code), None)
            data.append(None if rate is None else str(rate))
        series.append({"name": f"{label}（%）", "type": "bar", "data": data})
    return {"subjects": [row.label for row in rows], "series": series}
