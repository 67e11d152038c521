"""Reads of the official calendar, the policy packs and a project's statutory schedule.

``work_calendar()`` is what every other app calls to compute a period::

    from zhengqian.legal.selectors import work_calendar
    work_calendar().due(start, PeriodRule.of("working_days", 10))
"""

from __future__ import annotations

import calendar as month_calendar
import html
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from zhengqian.core import clock
from zhengqian.core.packs import pack as cached_pack
from zhengqian.domain import calendar as domain
from zhengqian.domain.errors import InvalidInput, PolicyError
from zhengqian.domain.policy import PACKS_DIRECTORY, PolicyPack, available_packs
from zhengqian.domain.schedule import ScheduledDate, schedule

from .models import CalendarYear, OfficialDay

# --------------------------------------------------------------------------- the calendar

_cache_lock = threading.Lock()
_cached: tuple[tuple[tuple[int, str], ...], domain.WorkCalendar] | None = None


def _loaded_key() -> tuple[tuple[int, str], ...]:
    return tuple(CalendarYear.objects.order_by("year").values_list("year", "revision"))


def work_calendar() -> domain.WorkCalendar:
    """The official working-day calendar of the loaded years, built once per process and
    rebuilt when any year is loaded or replaced.

    Each call costs one small query (the loaded years and their revisions): a load by another
    worker, or a rolled-back one, is noticed without any signal between processes.
    """
    global _cached
    key = _loaded_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    rows = OfficialDay.objects.values_list("day", "kind", "name", "year__year", "year__revision")
    days, seen = [], set()
    for day, kind, name, year, revision in rows:
        days.append(domain.OfficialDay(day=day, kind=kind, name=name))
        seen.add((year, revision))
    # Years and days are read by two statements; cache only when both saw the same state.
    built = domain.WorkCalendar(days=days, loaded_years=[year for year, _ in key])
    if seen <= set(key) and _loaded_key() == key:
        with _cache_lock:
            _cached = (key, built)
    return built


def clear_calendar_cache() -> None:
    global _cached
    with _cache_lock:
        _cached = None


def calendar_years() -> QuerySet[CalendarYear]:
    """Loaded years with their day counts, oldest first."""
    return CalendarYear.objects.select_related("loaded_by").annotate(
        holiday_count=Count("days", filter=Q(days__kind="holiday")),
        workday_count=Count("days", filter=Q(days__kind="workday")),
    ).order_by("year")


def calendar_year_get(year: int) -> CalendarYear | None:
    return CalendarYear.objects.select_related("loaded_by").filter(year=year).first()


def official_days_of(year: int) -> list[OfficialDay]:
    return list(OfficialDay.objects.filter(year__year=year).order_by("day"))


def unloaded_years(today: date | None = None) -> list[int]:
    """This year and next, where their notice is not loaded: the dashboard asks for them."""
    today = today or clock.today()
    wanted = (today.year, today.year + 1)
    loaded = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in loaded]


def year_record(row: CalendarYear) -> dict[str, Any]:
    """A loaded year as its notice reads: holiday ranges and make-up workdays (audit, API)."""
    holidays, workdays = notice_ranges(row.days.order_by("day"))
    return {
        "year": row.year,
        "source_notice": row.source_notice,
        "holidays": [[start.isoformat(), end.isoformat(), name] for start, end, name in holidays],
        "workdays": [[day.isoformat(), name] for day, name in workdays],
    }


def notice_ranges(days: Iterable[OfficialDay]) -> tuple[list[tuple[date, date, str]], list[tuple[date, str]]]:
    """Consecutive holiday days of one name collapsed into ranges; workdays listed."""
    holidays: list[tuple[date, date, str]] = []
    workdays: list[tuple[date, str]] = []
    for entry in sorted(days, key=lambda item: item.day):
        if entry.kind == "workday":
            workdays.append((entry.day, entry.name))
        elif holidays and holidays[-1][2] == entry.name and holidays[-1][1] + timedelta(days=1) == entry.day:
            holidays[-1] = (holidays[-1][0], entry.day, entry.name)
        else:
            holidays.append((entry.day, entry.day, entry.name))
    return holidays, workdays


# --------------------------------------------------------------------------- month grids


@dataclass(frozen=True)
class DayCell:
    day: date
    kind: str  # "workday" | "weekend" | "holiday" | "makeup"
    name: str
    is_today: bool

    @property
    def title(self) -> str:
        labels = {"workday": "工作日", "weekend": "休息日（周末）", "holiday": "放假", "makeup": "调休上班"}
        text = f"{self.day.isoformat()} {labels[self.kind]}"
        return f"{text}（{self.name}）" if self.name else text


@dataclass(frozen=True)
class MonthGrid:
    month: int
    weeks: list[list[DayCell | None]]


@dataclass(frozen=True)
class YearGrid:
    year: int
    months: list[MonthGrid]
    workdays: int
    holidays: int
    makeups: int
    entries: dict[date, tuple[str, str]] = field(default_factory=dict)


def year_grid(year: int, entries: Mapping[date, tuple[str, str]], today: date | None = None) -> YearGrid:
    """Twelve Monday-first month grids of ``year`` from official ``entries`` {day: (kind, name)};
    days without an entry are workdays on Monday–Friday and rest days on weekends."""
    today = today or clock.today()
    months, counts = [], {"workday": 0, "holiday": 0, "makeup": 0}
    for month in range(1, 13):
        weeks: list[list[DayCell | None]] = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                kind, name = entries.get(day, ("", ""))
                if kind == "holiday":
                    cell_kind = "holiday"
                elif kind == "workday":
                    cell_kind = "makeup"
                else:
                    cell_kind = "weekend" if day.weekday() >= 5 else "workday"
                counts["workday"] += cell_kind in ("workday", "makeup")
                counts["holiday"] += cell_kind == "holiday"
                counts["makeup"] += cell_kind == "makeup"
                row.append(DayCell(day=day, kind=cell_kind, name=name, is_today=day == today))
            weeks.append(row)
        months.append(MonthGrid(month=month, weeks=weeks))
    return YearGrid(
        year=year, months=months, workdays=counts["workday"], holidays=counts["holiday"],
        makeups=counts["makeup"], entries=dict(entries),
    )


def loaded_year_grid(year: int, today: date | None = None) -> YearGrid:
    entries = {entry.day: (entry.kind, entry.name) for entry in official_days_of(year)}
    return year_grid(year, entries, today)


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class DueResult:
    start: date
    rule: domain.PeriodRule
    due: date
    provisional: bool
    unloaded_years: list[int]


def unloaded_between(calendar: domain.WorkCalendar, start: date, end: date) -> list[int]:
    """Years in start..end whose notice is not loaded (why a date is 暂定)."""
    low, high = min(start, end), max(start, end)
    return [year for year in range(low.year, high.year + 1) if not calendar.is_loaded(year)]


def due_date(*, start: date, unit: str, count: int) -> DueResult:
    """The last day of ``count`` ``unit`` from ``start`` (Civil Code arts. 200–203)."""
    rule = domain.PeriodRule.of(unit, count)
    calendar = work_calendar()
    result = calendar.due(start, rule)
    return DueResult(
        start=start, rule=rule, due=result.due, provisional=result.provisional,
        unloaded_years=unloaded_between(calendar, start, result.due) if result.provisional else [],
    )


# --------------------------------------------------------------------------- policy packs


def policy_packs() -> list[tuple[str, PolicyPack | None, str]]:
    """(code, pack or None, error) for every shipped pack; a broken pack is listed with its
    error instead of hiding the others."""
    result: list[tuple[str, PolicyPack | None, str]] = []
    for code in available_packs():
        try:
            result.append((code, cached_pack(code), ""))
        except PolicyError as error:
            result.append((code, None, str(error)))
    return result


def policy_pack_get(code: str) -> PolicyPack:
    """A shipped pack; an unknown code is Http404 naming it, a malformed one PolicyError."""
    if code not in available_packs():
        raise Http404(f"未知的政策包：{code}（可用：{'、'.join(available_packs())}）")
    return cached_pack(code)


@dataclass(frozen=True)
class SourceText:
    name: str
    text: str
    marked: SafeString
    quotes_found: int


def policy_source(pack: PolicyPack) -> SourceText | None:
    """The local document a pack encodes (zhengqian/policies/sources/<document>.txt), with
    every quote of that document highlighted where it occurs verbatim."""
    if not pack.document:
        return None
    path = PACKS_DIRECTORY / "sources" / f"{pack.document}.txt"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    quotes = sorted(
        {item.citation.quote for item in _cited(pack) if item.citation.document == pack.document},
        key=len, reverse=True,
    )
    escaped = html.escape(text)
    found = 0
    for quote in quotes:
        needle = html.escape(quote)
        if needle and needle in escaped:
            found += 1
            escaped = escaped.replace(needle, f"\x00{needle}\x01", 1)
    marked = escaped.replace("\x00", "<mark>").replace("\x01", "</mark>")
    return SourceText(name=path.name, text=text, marked=mark_safe(marked), quotes_found=found)  # noqa: S308


def _cited(pack: PolicyPack) -> list[Any]:
    return [*pack.steps, *pack.deadlines, *pack.gates, *pack.thresholds, *pack.rules]


# --------------------------------------------------------------------------- a project's schedule


@dataclass(frozen=True)
class AnchorStep:
    code: str
    name: str
    scope: str
    order: int


@dataclass(frozen=True)
class ProjectSchedule:
    pack: PolicyPack
    anchors: list[AnchorStep]
    known: dict[str, date]
    items: tuple[ScheduledDate, ...]
    unloaded_years: list[int]

    @property
    def provisional_count(self) -> int:
        return sum(1 for item in self.items if item.provisional)


def anchor_steps(pack: PolicyPack) -> list[AnchorStep]:
    """The steps whose dates start a period of the pack, in procedure order."""
    codes = {item.anchor for item in pack.deadlines}
    steps = sorted((pack.step(code) for code in codes), key=lambda step: (step.order, step.code))
    return [AnchorStep(code=step.code, name=step.name, scope=step.scope, order=step.order) for step in steps]


def parse_known_dates(pack: PolicyPack, params: Mapping[str, str]) -> dict[str, date]:
    """Step dates from query parameters {step code: "YYYY-MM-DD"}; blanks are skipped, a code
    that is not a step of the pack or an impossible date is refused naming it."""
    known: dict[str, date] = {}
    for code, raw in params.items():
        value = (raw or "").strip()
        if not value:
            continue
        if not pack.has_step(code):
            raise InvalidInput(f"政策包 {pack.code} 中没有步骤：{code}", field=code)
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"“{pack.step(code).name}”的日期无效：{value}（应为 YYYY-MM-DD）", field=code) from None
        domain.ensure_supported(day)
        known[code] = day
    return known


def project_schedule(*, pack_code: str, known: Mapping[str, date]) -> ProjectSchedule:
    """Every statutory date that follows from the ``known`` step dates under the pack
    (``project.policy_pack``), earliest first, each with its clause; provisional dates are
    those touching a year whose notice is not loaded."""
    pack = cached_pack(pack_code)
    calendar = work_calendar()
    items = schedule(pack, calendar, known)
    unloaded: set[int] = set()
    for item in items:
        if item.provisional:
            unloaded.update(unloaded_between(calendar, item.anchor_date, item.due))
    return ProjectSchedule(
        pack=pack, anchors=anchor_steps(pack), known=dict(known), items=items, unloaded_years=sorted(unloaded)
    )


def provisional_years(item: ScheduledDate, calendar: domain.WorkCalendar | None = None) -> list[int]:
    calendar = calendar or work_calendar()
    return unloaded_between(calendar, item.anchor_date, item.due)
