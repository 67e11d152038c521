"""The pure rules of coordination (zhengqian/domain/coordination.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhengqian.domain import coordination as rules
from zhengqian.domain.calendar import OfficialDay, PeriodRule, WorkCalendar
from zhengqian.domain.errors import GateClosed, InvalidInput

CST = ZoneInfo("Asia/Shanghai")
REPORTED = datetime(2026, 3, 2, 9, 30, tzinfo=CST)


def test_task_due_counts_working_days_on_the_official_calendar():
    calendar = WorkCalendar(days=[OfficialDay(date(2026, 3, 4), "holiday", "测试假日")], loaded_years=[2026])
    due = rules.task_due(calendar, start=date(2026, 3, 2), rule=PeriodRule.of("working_days", 3))
    # 3 (Tue), 5 (Thu), 6 (Fri): the 4th is a holiday and the start day is not counted
    assert due.due == date(2026, 3, 6)
    assert due.clause == rules.CLAUSE_JOINT_MEETING
    with pytest.raises(InvalidInput):
        rules.task_due(calendar, start=date(2026, 3, 2), rule=PeriodRule.of("days", 0))


def test_task_on_time():
    due = date(2026, 3, 10)
    assert rules.task_on_time(due=due, completed_on=date(2026, 3, 10), today=date(2026, 4, 1)) is True
    assert rules.task_on_time(due=due, completed_on=date(2026, 3, 11), today=date(2026, 4, 1)) is False
    assert rules.task_on_time(due=due, completed_on=None, today=date(2026, 3, 10)) is None
    assert rules.task_on_time(due=due, completed_on=None, today=date(2026, 3, 11)) is False


def test_general_incident_has_no_clock():
    state = rules.escalation("general", reported_at=REPORTED, now=REPORTED + timedelta(days=1))
    assert state.on_site_due is None and not state.on_site_late and not state.escalated
    assert not state.needs_joint_meeting


def test_larger_incident_two_hour_clock():
    due = REPORTED + timedelta(hours=2)
    before = rules.escalation("larger", reported_at=REPORTED, now=due - timedelta(minutes=1))
    assert before.on_site_due == due and not before.on_site_late and before.minutes_left == 1
    at_due = rules.escalation("larger", reported_at=REPORTED, now=due)
    assert not at_due.on_site_late
    after = rules.escalation("larger", reported_at=REPORTED, now=due + timedelta(minutes=1))
    assert after.on_site_late and after.minutes_left == -1
    assert not after.needs_joint_meeting
    arrived_late = rules.escalation(
        "larger", reported_at=REPORTED, now=due + timedelta(hours=5), arrived_at=due + timedelta(minutes=5)
    )
    assert arrived_late.on_site_late and arrived_late.minutes_left is None
    arrived = rules.escalation("larger", reported_at=REPORTED, now=due + timedelta(hours=5), arrived_at=due)
    assert not arrived.on_site_late


def test_major_incident_needs_joint_meeting():
    state = rules.escalation("major", reported_at=REPORTED, now=REPORTED)
    assert state.needs_joint_meeting and state.escalated
    assert not rules.escalation(
        "major", reported_at=REPORTED, now=REPORTED, joint_meeting_held=True
    ).needs_joint_meeting
    with pytest.raises(GateClosed) as error:
        rules.ensure_can_close_incident("major", arrived_at=REPORTED, joint_meeting_held=False)
    assert error.value.clause == "yongzhou-linkage 五(三)"
    with pytest.raises(GateClosed):
        rules.ensure_can_close_incident("larger", arrived_at=None, joint_meeting_held=True)
    rules.ensure_can_close_incident("general", arrived_at=None, joint_meeting_held=False)


def test_petition_due():
    assert rules.petition_due(date(2026, 1, 1)) == date(2026, 3, 2)
    assert rules.petition_due(date(2026, 1, 1), extended=True) == date(2026, 4, 1)


def test_salvage_rule_by_owner_type():
    assert rules.salvage_rule("state").method == "按国有资产处置办法处置"
    assert rules.salvage_rule("private").method == "按私营公司规定办理"
    lump = rules.salvage_rule("lump_sum")
    assert lump.needs_filing and lump.clause == "banan-2015 (六)"


def test_assessment_score():
    steps = rules.indicator("steps", "步骤", good=3, total=4, weight=30)
    tasks = rules.indicator("tasks", "任务", good=1, total=2, weight=25)
    empty = rules.indicator("petitions", "信访", good=0, total=0, weight=15)
    assert steps.rate == Decimal("75.0") and empty.rate is None
    # (75*30 + 50*25) / 55 = 63.63… ; the empty indicator is left out
    assert rules.assessment_score([steps, tasks, empty]) == Decimal("63.6")
    assert rules.assessment_score([steps, tasks], incidents=["larger", "major", "general"]) == Decimal("48.6")
    assert rules.assessment_score([steps], overdue_petitions=40) == Decimal("0.0")
    assert rules.assessment_score([]) == Decimal("100.0")
    with pytest.raises(InvalidInput):
        rules.indicator("x", "x", good=3, total=2, weight=1)
