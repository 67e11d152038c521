"""Deadlines: a period rule applied to a start date, carrying the clause that sets it.

A deadline on a provisional date (a year whose holiday notice is not loaded) is shown as 暂定,
and a household's rights window is never closed on it (design.md §3, "Calendar").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhengqian.domain.calendar import PeriodRule, WorkCalendar, ensure_supported

__all__ = ["Deadline", "compute_deadline", "days_left"]


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day of a statutory or policy period and the clause that imposes it."""

    start: date
    rule: PeriodRule
    due: date
    provisional: bool
    clause: str

    @property
    def label(self) -> str:
        """The due date as shown: 2026-02-24, or 2026-02-24（暂定） while provisional."""
        text = self.due.isoformat()
        return f"{text}（暂定）" if self.provisional else text


def compute_deadline(calendar: WorkCalendar, *, start: date, rule: PeriodRule, clause: str) -> Deadline:
    """Apply ``rule`` from ``start`` (Civil Code arts. 200–203: start day not counted, a last
    day falling on a rest day moves to the next working day)."""
    result = calendar.due(start, rule)
    return Deadline(start=start, rule=rule, due=result.due, provisional=result.provisional, clause=clause)


def days_left(calendar: WorkCalendar, *, due: date, today: date) -> int:
    """Calendar days from ``today`` to ``due``: 0 on the last day, negative once overdue.

    The period runs to the end of its last day (Civil Code art. 203), so a deadline due today
    is still open. ``calendar`` is taken so callers stay unchanged if a policy ever counts the
    remainder in working days (then ``calendar.days_between_working``).
    """
    ensure_supported(due)
    ensure_supported(today)
    return (due - today).days
