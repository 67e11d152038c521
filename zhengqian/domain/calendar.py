"""Statutory periods on the Chinese official calendar (design.md §3, "Calendar").

Civil Code arts. 200–204 govern how a period runs:

- art. 201: the day on which the period starts is not counted;
- art. 202: a period in months ends on the corresponding day of the last month, or on that
  month's last day when it has no such day;
- art. 203: when the last day is a rest day (法定休假日 — weekends and official holidays not
  worked) the period ends on the first day after it; a make-up workday (调休上班) counts as
  a working day.

Periods counted in working days (e.g. Administrative Licensing Law art. 82, "以工作日计算，
不含法定节假日") end on the Nth working day after the start.

The official days come from the State Council's notice for each year and are supplied as data;
a year whose notice is not loaded is computed with weekends as the only rest days and every
result that touches it is *provisional* (暂定). Holidays are never guessed.

Every calendar precomputes, over the whole supported range 1900–2200, a flag per day, a prefix
count of working days and the list of working days, so each computation is a handful of array
look-ups (bench/deadline_scan.py: one million periods in a few seconds).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import accumulate, compress
from typing import Literal

from zhengqian.domain.errors import CalendarError

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "DueDate",
    "OfficialDay",
    "PeriodRule",
    "PeriodUnit",
    "WorkCalendar",
    "ensure_supported",
]

MIN_YEAR = 1900
MAX_YEAR = 2200

_CLAUSE_PERIOD = "民法典第二百条"
_CLAUSE_OFFICIAL_DAYS = "全国年节及纪念日放假办法"

_BASE = date(MIN_YEAR, 1, 1).toordinal()
_SPAN = date(MAX_YEAR, 12, 31).toordinal() - _BASE + 1


def _weekend_only_flags() -> bytes:
    # One byte per day, 1 = working day, for a calendar with no official days at all; every
    # WorkCalendar starts from a copy of it, so building one costs a memcpy, not a loop.
    first_weekday = date.fromordinal(_BASE).weekday()
    week = bytes(1 if (first_weekday + i) % 7 < 5 else 0 for i in range(7))
    return (week * (_SPAN // 7 + 1))[:_SPAN]


def _month_starts() -> array[int]:
    # Offset of the first day of every month from Jan 1900 to Jan 2201, indexed by
    # (year - 1900) * 12 + (month - 1); the extra entry gives December 2200 its length.
    starts = array("i")
    for year in range(MIN_YEAR, MAX_YEAR + 2):
        for month in range(1, 13):
            starts.append(date(year, month, 1).toordinal() - _BASE)
            if year > MAX_YEAR:
                return starts
    return starts


_WEEKEND_ONLY = _weekend_only_flags()
_MONTH_STARTS = _month_starts()


def ensure_supported(day: date) -> None:
    """Reject a date outside 1900–2200, the range every calendar table covers."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _out_of_range(day)


def _out_of_range(day: date | str) -> CalendarError:
    return CalendarError(f"日期超出系统支持的范围（{MIN_YEAR}—{MAX_YEAR}年）：{day}")


class PeriodUnit(StrEnum):
    """How a period is counted (Civil Code art. 200; working days per the governing law)."""

    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


_DAYS = PeriodUnit.DAYS
_WORKING_DAYS = PeriodUnit.WORKING_DAYS
_MONTHS = PeriodUnit.MONTHS

# Spellings met in policy packs and in the source documents ("5个工作日", "15日", "3个月").
_UNIT_ALIASES: dict[str, PeriodUnit] = {
    "days": _DAYS,
    "day": _DAYS,
    "calendar_days": _DAYS,
    "日": _DAYS,
    "天": _DAYS,
    "自然日": _DAYS,
    "working_days": _WORKING_DAYS,
    "working_day": _WORKING_DAYS,
    "workdays": _WORKING_DAYS,
    "workday": _WORKING_DAYS,
    "工作日": _WORKING_DAYS,
    "months": _MONTHS,
    "month": _MONTHS,
    "月": _MONTHS,
}

_UNIT_LABELS = {_DAYS: "日", _WORKING_DAYS: "个工作日", _MONTHS: "个月"}

_RULE_TEXT = re.compile(r"^\s*(\d+)\s*(.*?)\s*$")


def _unit_from_text(text: str) -> PeriodUnit:
    key = re.sub(r"[\s\-]+", "_", text.strip().lower()).removeprefix("个")
    try:
        return _UNIT_ALIASES[key]
    except KeyError:
        raise CalendarError(
            f"无法识别的期限单位：{text!r}（应为 days、working_days 或 months）",
            clause=_CLAUSE_PERIOD,
            field="unit",
        ) from None


@dataclass(frozen=True, slots=True)
class PeriodRule:
    """A period of ``count`` units (Civil Code art. 200); counts are never negative."""

    unit: PeriodUnit
    count: int

    def __post_init__(self) -> None:
        if not isinstance(self.unit, PeriodUnit):
            # Policy packs hand over plain strings; normalise once here so comparisons
            # elsewhere can rely on the enum member.
            object.__setattr__(self, "unit", _unit_from_text(str(self.unit)))
        if isinstance(self.count, bool) or not isinstance(self.count, int):
            raise CalendarError(f"期限必须是整数：{self.count!r}", clause=_CLAUSE_PERIOD, field="count")
        if self.count < 0:
            raise CalendarError(f"期限不能为负数：{self.count}", clause=_CLAUSE_PERIOD, field="count")

    @classmethod
    def of(cls, unit: str, count: int) -> PeriodRule:
        """Build from a unit spelling ("working-days", "working_days", "days", "months",
        "工作日", "日", "个月"…) and a count, as policy packs store them."""
        return cls(_unit_from_text(unit), count)

    @classmethod
    def parse(cls, text: str) -> PeriodRule:
        """Parse "5 working-days", "15 days", "3 months", "5个工作日", "15日", "3个月"."""
        match = _RULE_TEXT.match(text)
        if match is None or not match.group(2):
            raise CalendarError(
                f"无法识别的期限：{text!r}（例如 “5 working_days” 或 “15日”）",
                clause=_CLAUSE_PERIOD,
                field="rule",
            )
        return cls(_unit_from_text(match.group(2)), int(match.group(1)))

    def __str__(self) -> str:
        return f"{self.count}{_UNIT_LABELS[self.unit]}"


@dataclass(frozen=True, slots=True)
class DueDate:
    """The last day of a period; ``provisional`` when a year it touches is not loaded."""

    due: date
    provisional: bool


@dataclass(frozen=True, slots=True)
class OfficialDay:
    """One entry of a State Council holiday notice: a day off, or a make-up workday."""

    day: date
    kind: Literal["holiday", "workday"]
    name: str

    def __post_init__(self) -> None:
        if self.kind not in ("holiday", "workday"):
            raise CalendarError(
                f"官方日类型必须是 holiday 或 workday：{self.kind!r}（{self.day}）",
                clause=_CLAUSE_OFFICIAL_DAYS,
                field="kind",
            )
        ensure_supported(self.day)


class WorkCalendar:
    """Working days under the official calendar for the loaded years (Civil Code art. 203).

    Official days that fall in a year not listed in ``loaded_years`` are ignored: such a year
    is computed with weekends as its only rest days and its results are provisional, exactly
    as if nothing were known about it, so a half-entered notice cannot pass for a full one.
    """

    loaded_years: frozenset[int]

    def __init__(self, *, days: Iterable[OfficialDay] = (), loaded_years: Iterable[int] = ()) -> None:
        self.loaded_years = frozenset(_checked_years(loaded_years))
        flags = bytearray(_WEEKEND_ONLY)
        for entry in _consistent(days).values():
            if entry.day.year in self.loaded_years:
                flags[entry.day.toordinal() - _BASE] = 1 if entry.kind == "workday" else 0
        self._flags = bytes(flags)
        # _prefix[i] = working days among offsets [0, i); _positions[k] = offset of the k-th
        # working day. Together they turn "the Nth working day after" into two look-ups.
        self._prefix = array("i", accumulate(flags, initial=0))
        self._positions = array("i", compress(range(_SPAN), flags))
        unloaded = (year not in self.loaded_years for year in range(MIN_YEAR, MAX_YEAR + 1))
        # _unloaded_before[k] = unloaded years among 1900 .. 1900 + k - 1.
        self._unloaded_before = array("i", accumulate(unloaded, initial=0))

    def __repr__(self) -> str:
        years = sorted(self.loaded_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return f"<WorkCalendar loaded={span} ({len(years)} years)>"

    def is_loaded(self, year: int) -> bool:
        """Whether the State Council notice for ``year`` has been loaded."""
        return year in self.loaded_years

    def is_workday(self, day: date) -> bool:
        """A weekday that is not an official holiday, or a make-up workday (Civil Code art. 203)."""
        return self._flags[_offset(day)] == 1

    def next_workday_on_or_after(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it
        (Civil Code art. 203)."""
        return date.fromordinal(self._first_workday_from(_offset(day)) + _BASE)

    def add_days(self, start: date, n: int) -> DueDate:
        """N calendar days after ``start`` (start not counted, Civil Code art. 201), moved to the
        next working day if that is a rest day (art. 203). With n == 0 the start day itself,
        moved the same way."""
        begin = _start_offset(start, n)
        return self._result(start, self._first_workday_from(begin + n))

    def add_working_days(self, start: date, n: int) -> DueDate:
        """The Nth working day after ``start`` (start not counted, Civil Code art. 201;
        e.g. Administrative Licensing Law art. 82).

        With n == 0 no working day has to elapse, so the period ends on the start day itself,
        unmoved, even if that is a rest day: moving it would grant a day nobody counted.
        """
        begin = _start_offset(start, n)
        if n == 0:
            return self._result(start, begin)
        index = self._prefix[begin + 1] + n - 1
        if index >= len(self._positions):
            raise _out_of_range(f"{start} 之后第 {n} 个工作日")
        return self._result(start, self._positions[index])

    def add_months(self, start: date, n: int) -> DueDate:
        """The same day number N months after ``start``, or that month's last day if it has
        none (Civil Code art. 202: Jan 31 + 1 month = Feb 28/29), then moved to the next
        working day if it is a rest day (art. 203). n == 0 is the start day, moved likewise."""
        _start_offset(start, n)
        month_index = (start.year - MIN_YEAR) * 12 + start.month - 1 + n
        if month_index + 1 >= len(_MONTH_STARTS):
            raise _out_of_range(f"{start} 之后 {n} 个月")
        first = _MONTH_STARTS[month_index]
        length = _MONTH_STARTS[month_index + 1] - first
        target = first + min(start.day, length) - 1
        return self._result(start, self._first_workday_from(target))

    def due(self, start: date, rule: PeriodRule) -> DueDate:
        """The last day of ``rule`` running from ``start`` (Civil Code arts. 200–203)."""
        unit = rule.unit
        if unit is _WORKING_DAYS:
            return self.add_working_days(start, rule.count)
        if unit is _DAYS:
            return self.add_days(start, rule.count)
        return self.add_months(start, rule.count)

    def days_between_working(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative (the days in (end, start]) when end < start.
        Used for "working days left" on a deadline."""
        return self._prefix[_offset(end) + 1] - self._prefix[_offset(start) + 1]

    def _first_workday_from(self, offset: int) -> int:
        if offset >= _SPAN:
            raise _out_of_range(f"{MAX_YEAR}年之后")
        index = self._prefix[offset]
        if index >= len(self._positions):
            raise _out_of_range(date.fromordinal(_BASE + offset))
        return self._positions[index]

    def _result(self, start: date, due_offset: int) -> DueDate:
        due = date.fromordinal(due_offset + _BASE)
        # Days are only ever scanned forward, so the years touched are start.year..due.year.
        unloaded = self._unloaded_before
        provisional = unloaded[due.year - MIN_YEAR + 1] != unloaded[start.year - MIN_YEAR]
        return DueDate(due, provisional)


def _offset(day: date) -> int:
    offset = day.toordinal() - _BASE
    if not 0 <= offset < _SPAN:
        raise _out_of_range(day)
    return offset


def _start_offset(start: date, n: int) -> int:
    # One helper rather than two: it runs on every computation (bench/deadline_scan.py).
    # ``type(...) is int`` keeps bools and floats out at the cost of one comparison.
    if type(n) is not int:
        raise CalendarError(f"期限必须是整数：{n!r}", clause=_CLAUSE_PERIOD, field="count")
    if n < 0:
        raise CalendarError(f"期限不能为负数：{n}", clause=_CLAUSE_PERIOD, field="count")
    return _offset(start)


def _checked_years(years: Iterable[int]) -> Iterable[int]:
    for year in years:
        if isinstance(year, bool) or not isinstance(year, int):
            raise CalendarError(f"年份必须是整数：{year!r}", field="loaded_years")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise _out_of_range(f"{year}年")
        yield year


def _consistent(days: Iterable[OfficialDay]) -> dict[date, OfficialDay]:
    by_day: dict[date, OfficialDay] = {}
    for entry in days:
        earlier = by_day.setdefault(entry.day, entry)
        if earlier.kind != entry.kind:
            # A day cannot be both off and worked; refuse rather than let input order decide.
            raise CalendarError(
                f"同一日期登记了相互矛盾的官方日：{entry.day}（{earlier.name} / {entry.name}）",
                clause=_CLAUSE_OFFICIAL_DAYS,
                field="days",
            )
    return by_day
