"""Schedule preview: every statutory date that follows from the dates a project has.

Given a project's policy pack, the official working-day calendar and the dates on which steps
were done (``{"approval": date(2024, 9, 26), ...}``), :func:`schedule` applies each deadline
of the pack whose anchor step has a date and returns the due dates, earliest first, each with
the clause that sets it. Nothing here reads a clock: "today" is the caller's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from zhengqian.domain.calendar import PeriodRule, WorkCalendar
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.policy import Citation, DeadlineRule, PolicyPack

__all__ = ["ScheduledDate", "schedule"]


@dataclass(frozen=True, slots=True)
class ScheduledDate:
    """One deadline applied: the period started on ``anchor_date`` and ends on ``due``.

    ``anchor_date`` is the day the period starts running: the anchor step's date, or for a
    deadline with ``starts_after`` the due date of that earlier period. ``provisional`` is
    true when a year the period touches has no loaded holiday notice (shown as 暂定).
    """

    deadline_code: str
    name: str
    anchor: str
    anchor_date: date
    target: str
    due: date
    provisional: bool
    kind: str
    citation: Citation
    rule: PeriodRule
    starts_after: str | None = None

    def allows(self, done: date) -> bool:
        """Whether doing ``target`` on ``done`` respects this period: on or before ``due`` for
        ``within``; after ``due`` (the period has fully run) for ``at_least`` and ``after``."""
        if self.kind == "within":
            return done <= self.due
        return done > self.due

    @property
    def label(self) -> str:
        """``"2024-10-15"``, or ``"2024-10-15（暂定）"`` on a provisional date."""
        text = self.due.isoformat()
        return f"{text}（暂定）" if self.provisional else text


def schedule(pack: PolicyPack, calendar: WorkCalendar, known: Mapping[str, date]) -> tuple[ScheduledDate, ...]:
    """Every deadline of ``pack`` whose anchor step has a date in ``known``, sorted by due date
    (then by the target step's order and the deadline code).

    ``known`` maps step codes to the dates they were done; a code that is not a step of the
    pack is refused (:class:`InvalidInput`), so a typo cannot silently drop a deadline. A
    deadline that ``starts_after`` another is computed once that one is.
    """
    for code, value in known.items():
        if not pack.has_step(code):
            raise InvalidInput(f"策略包 {pack.code} 中没有步骤：{code}", field=code)
        if not isinstance(value, date):
            raise InvalidInput(f"步骤 {code} 的日期无效：{value!r}", field=code)
    results: dict[str, ScheduledDate] = {}
    for deadline in _dependency_order(pack.deadlines):
        scheduled = _apply(deadline, calendar, known, results)
        if scheduled is not None:
            results[deadline.code] = scheduled
    return tuple(
        sorted(
            results.values(),
            key=lambda item: (item.due, pack.step(item.target).order, item.deadline_code),
        )
    )


def _apply(
    deadline: DeadlineRule,
    calendar: WorkCalendar,
    known: Mapping[str, date],
    earlier: Mapping[str, ScheduledDate],
) -> ScheduledDate | None:
    if deadline.anchor not in known:
        return None
    start = known[deadline.anchor]
    provisional = False
    if deadline.starts_after is not None:
        previous = earlier.get(deadline.starts_after)
        if previous is None:
            return None
        start, provisional = previous.due, previous.provisional
    result = calendar.due(start, deadline.rule)
    return ScheduledDate(
        deadline_code=deadline.code,
        name=deadline.name,
        anchor=deadline.anchor,
        anchor_date=start,
        target=deadline.target,
        due=result.due,
        provisional=provisional or result.provisional,
        kind=deadline.kind,
        citation=deadline.citation,
        rule=deadline.rule,
        starts_after=deadline.starts_after,
    )


def _dependency_order(deadlines: tuple[DeadlineRule, ...]) -> list[DeadlineRule]:
    """Deadlines with every ``starts_after`` predecessor before its successors (the loader has
    already refused cycles and unknown codes)."""
    by_code = {item.code: item for item in deadlines}
    ordered: list[DeadlineRule] = []
    placed: set[str] = set()

    def place(item: DeadlineRule) -> None:
        if item.code in placed:
            return
        if item.starts_after is not None and item.starts_after in by_code:
            place(by_code[item.starts_after])
        placed.add(item.code)
        ordered.append(item)

    for item in deadlines:
        place(item)
    return ordered
