"""Coordination and supervision rules (no Django): task due dates, the incident escalation
clock, petition answer deadlines, salvage disposal and assessment scores.

Sources:
- yongzhou-linkage 四(一): the joint meeting, monthly; its decisions are carried out by the
  departments of 三(一)–(十五).
- yongzhou-linkage 五(三): an incident is reported first by the township to the project
  command; a larger one brings the district's principal leaders on site within 2 hours; a
  major one is resolved by a joint meeting of the leadership group.
- yongzhou-linkage 四(三)(四), banan-2015 (七)(八): tasks and targets enter the yearly
  performance assessment of townships and departments.
- banan-2015 (六): salvage goes to the owner unit that paid ("谁出资，谁受益，谁负责").
- 《信访工作条例》(2022) 第三十二条: a petition is dealt with within 60 days of its acceptance,
  extendable once by at most 30 days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from zhengqian.domain.calendar import PeriodRule, WorkCalendar
from zhengqian.domain.deadlines import Deadline, compute_deadline
from zhengqian.domain.errors import GateClosed, InvalidInput

__all__ = [
    "CLAUSE_ASSESSMENT",
    "CLAUSE_INCIDENT",
    "CLAUSE_JOINT_MEETING",
    "CLAUSE_PETITION",
    "CLAUSE_RISK",
    "CLAUSE_SALVAGE",
    "DEFAULT_TASK_PERIOD",
    "ON_SITE_HOURS",
    "PETITION_DAYS",
    "PETITION_EXTENSION_DAYS",
    "Escalation",
    "IndicatorResult",
    "OwnerType",
    "RiskLevel",
    "SalvageRule",
    "Severity",
    "assessment_score",
    "ensure_can_close_incident",
    "ensure_can_conclude",
    "escalation",
    "indicator",
    "overall_risk",
    "petition_due",
    "salvage_rule",
    "task_due",
    "task_on_time",
]

CLAUSE_JOINT_MEETING = "yongzhou-linkage 四(一)"
CLAUSE_INCIDENT = "yongzhou-linkage 五(三)"
CLAUSE_ASSESSMENT = "yongzhou-linkage 四(三)"
CLAUSE_SALVAGE = "banan-2015 (六)"
CLAUSE_PETITION = "信访工作条例 第三十二条"

#: A decision's task, when the meeting gives no period: 10 working days (local practice,
#: not set by the policy documents; the meeting may give any period).
DEFAULT_TASK_PERIOD = PeriodRule.of("working_days", 10)
ON_SITE_HOURS = 2
PETITION_DAYS = 60
PETITION_EXTENSION_DAYS = 30


# --------------------------------------------------------------------------- tasks


def task_due(calendar: WorkCalendar, *, start: date, rule: PeriodRule, clause: str = CLAUSE_JOINT_MEETING) -> Deadline:
    """The last day of a task given on ``start`` for ``rule`` (Civil Code arts. 200–203 via
    the official work calendar; start day not counted)."""
    if rule.count < 1:
        raise InvalidInput("任务期限至少为 1。", field="period_count")
    return compute_deadline(calendar, start=start, rule=rule, clause=clause)


def task_on_time(*, due: date, completed_on: date | None, today: date) -> bool | None:
    """True when done by its due date, False when done late or still open past it, None while
    open and not yet due (not countable yet)."""
    if completed_on is not None:
        return completed_on <= due
    if today > due:
        return False
    return None


# --------------------------------------------------------------------------- incidents


class Severity(StrEnum):
    """yongzhou-linkage 五(三): 一般性事件 / 较大事件 / 重大事件."""

    GENERAL = "general"
    LARGER = "larger"
    MAJOR = "major"

    @property
    def label(self) -> str:
        return {"general": "一般性事件", "larger": "较大事件", "major": "重大事件"}[self.value]


@dataclass(frozen=True, slots=True)
class Escalation:
    """Where an incident stands against yongzhou-linkage 五(三)."""

    severity: Severity
    handled_by: str
    on_site_due: datetime | None
    on_site_late: bool
    minutes_left: int | None
    needs_joint_meeting: bool
    clause: str = CLAUSE_INCIDENT

    @property
    def escalated(self) -> bool:
        return self.severity is not Severity.GENERAL


def escalation(
    severity: Severity | str,
    *,
    reported_at: datetime,
    now: datetime,
    arrived_at: datetime | None = None,
    joint_meeting_held: bool = False,
) -> Escalation:
    """The clock of an incident: a larger one must have the district's principal leaders on
    site within ``ON_SITE_HOURS`` of the report; a major one needs a joint meeting (and, being
    above a larger one, the leaders on site as well)."""
    level = Severity(severity)
    if level is Severity.GENERAL:
        return Escalation(level, "项目指挥部协调解决", None, False, None, False)
    due = reported_at + timedelta(hours=ON_SITE_HOURS)
    if arrived_at is not None:
        late = arrived_at > due
        left = None
    else:
        late = now > due
        left = int((due - now).total_seconds() // 60)
    handled = "区政府主要负责人2小时内赶赴现场" if level is Severity.LARGER else "领导小组召开联席会议研究解决"
    return Escalation(level, handled, due, late, left, level is Severity.MAJOR and not joint_meeting_held)


def ensure_can_close_incident(
    severity: Severity | str, *, arrived_at: datetime | None, joint_meeting_held: bool
) -> None:
    """A larger incident closes only after the leaders' arrival is recorded; a major one also
    needs its joint meeting (yongzhou-linkage 五(三))."""
    level = Severity(severity)
    if level is not Severity.GENERAL and arrived_at is None:
        raise GateClosed("尚未记录负责人到达现场时间，不能结案", clause=CLAUSE_INCIDENT, field="arrived_at")
    if level is Severity.MAJOR and not joint_meeting_held:
        raise GateClosed("重大事件须由领导小组召开联席会议研究解决后方可结案", clause=CLAUSE_INCIDENT)


# --------------------------------------------------------------------------- petitions


def petition_due(received_on: date, *, extended: bool = False) -> date:
    """The last day to deal with a petition: 60 days from its acceptance, plus at most 30 days
    when extended (calendar days; 信访工作条例 第三十二条)."""
    return received_on + timedelta(days=PETITION_DAYS + (PETITION_EXTENSION_DAYS if extended else 0))


# --------------------------------------------------------------------------- salvage


class OwnerType(StrEnum):
    """banan-2015 (六): who paid for the expropriation decides how salvage is disposed of."""

    STATE = "state"
    PRIVATE = "private"
    LUMP_SUM = "lump_sum"

    @property
    def label(self) -> str:
        return {"state": "国有业主单位", "private": "私营业主单位", "lump_sum": "包干征地项目"}[self.value]


@dataclass(frozen=True, slots=True)
class SalvageRule:
    disposer: str
    method: str
    needs_filing: bool
    clause: str = CLAUSE_SALVAGE


def salvage_rule(owner_type: OwnerType | str) -> SalvageRule:
    """谁出资，谁受益，谁负责 (banan-2015 (六))."""
    kind = OwnerType(owner_type)
    if kind is OwnerType.STATE:
        return SalvageRule("业主单位", "按国有资产处置办法处置", False)
    if kind is OwnerType.PRIVATE:
        return SalvageRule("业主单位", "按私营公司规定办理", False)
    return SalvageRule("相关镇街（受区征地办委托）", "区征地办报区国资办备案后委托镇街按规定处置", True)


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator of a subject for a period: ``good`` of ``total`` counted items."""

    code: str
    label: str
    good: int
    total: int
    weight: int

    @property
    def rate(self) -> Decimal | None:
        if self.total == 0:
            return None
        return (Decimal(self.good) / Decimal(self.total) * 100).quantize(Decimal("0.1"))


def indicator(code: str, label: str, *, good: int, total: int, weight: int) -> IndicatorResult:
    if good < 0 or total < 0 or good > total:
        raise InvalidInput(f"指标 {label} 的计数不正确：{good}/{total}", field=code)
    return IndicatorResult(code, label, good, total, weight)


#: Deductions per event (local assessment practice; yongzhou-linkage 四(三) sets the principle,
#: not the figures).
INCIDENT_DEDUCTION = {Severity.GENERAL: Decimal(0), Severity.LARGER: Decimal(5), Severity.MAJOR: Decimal(10)}
OVERDUE_PETITION_DEDUCTION = Decimal(2)


def assessment_score(
    indicators: Iterable[IndicatorResult],
    *,
    incidents: Iterable[Severity | str] = (),
    overdue_petitions: int = 0,
) -> Decimal:
    """A period score out of 100: the weighted mean rate of the indicators that have anything
    to count (an indicator with nothing due is left out, not scored as 0 or 100), less
    deductions for larger/major incidents and overdue petitions; never below 0."""
    weighted = Decimal(0)
    weights = 0
    for item in indicators:
        rate = item.rate
        if rate is None:
            continue
        weighted += rate * item.weight
        weights += item.weight
    base = (weighted / weights) if weights else Decimal(100)
    deduction = sum((INCIDENT_DEDUCTION[Severity(s)] for s in incidents), Decimal(0))
    deduction += OVERDUE_PETITION_DEDUCTION * overdue_petitions
    return max(Decimal(0), base - deduction).quantize(Decimal("0.1"))


# --------------------------------------------------------------------------- social stability risk

CLAUSE_RISK = "实施条例 第二十六条; putian-2014 (八)"


class RiskLevel(StrEnum):
    """Social stability risk levels (低 / 中 / 高)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return {"low": "低风险", "medium": "中风险", "high": "高风险"}[self.value]


_RISK_ORDER = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)


def overall_risk(levels: Iterable[RiskLevel | str]) -> RiskLevel:
    """The assessment's level is that of its worst item; an assessment needs at least one."""
    found = [RiskLevel(level) for level in levels]
    if not found:
        raise InvalidInput("请至少登记一项风险。", field="items")
    return max(found, key=_RISK_ORDER.index)


def ensure_can_conclude(levels: Iterable[RiskLevel | str], mitigations: Iterable[str]) -> RiskLevel:
    """A conclusion lets the procedure go on only when every medium or high item has its
    mitigation and what remains is not high risk: a high-risk project is mitigated and assessed
    again before the compensation plan (实施条例 第二十六条; putian-2014 (八) 制定维稳方案)."""
    pairs = list(zip([RiskLevel(level) for level in levels], list(mitigations), strict=True))
    level = overall_risk(level for level, _ in pairs)
    for item_level, mitigation in pairs:
        if item_level is not RiskLevel.LOW and not mitigation.strip():
            raise InvalidInput("中、高风险项须有化解措施。", field="mitigation")
    if level is RiskLevel.HIGH:
        raise GateClosed("评估结论为高风险，须化解风险后重新评估，不能进入后续程序", clause=CLAUSE_RISK)
    return level
