"""The working-day calendar for survey windows, from the legal core.

One function to switch: `work_calendar()` uses `zhengqian.legal.selectors.work_calendar`
(the official days from the database). Until that app is installed the calendar has no year
loaded, so every window is provisional (暂定) and none closes automatically — holidays are
never guessed (design.md §3).
"""

from __future__ import annotations

from datetime import date

from zhengqian.domain.calendar import PeriodRule, WorkCalendar
from zhengqian.domain.deadlines import Deadline, compute_deadline

from .models import CLAUSE_SURVEY

OBJECTION_RULE = PeriodRule.of("working_days", 5)


def work_calendar() -> WorkCalendar:
    try:
        from zhengqian.legal.selectors import work_calendar as legal_work_calendar
    except ImportError:
        return WorkCalendar()
    return legal_work_calendar()


def objection_window(start: date, calendar: WorkCalendar | None = None) -> Deadline:
    """5 working days from the signed or served date (putian-2014 (二)), start not counted."""
    return compute_deadline(calendar or work_calendar(), start=start, rule=OBJECTION_RULE, clause=CLAUSE_SURVEY)


def working_days_left(due: date, today: date, calendar: WorkCalendar | None = None) -> int:
    """Working days from tomorrow to `due` inclusive; 0 on the last day, negative once past."""
    return (calendar or work_calendar()).days_between_working(today, due)
