"""Periods on the official calendar (Civil Code arts. 201–203) around the 2024–2026 holidays.

The calendar is built from the ``chinese_calendar`` package; the arrangements the scenarios
rely on are first checked against the State Council notices, so a wrong data file fails
loudly here rather than silently moving a deadline.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengqian.domain.calendar import (
    DueDate,
    OfficialDay,
    PeriodRule,
    PeriodUnit,
    WorkCalendar,
    ensure_supported,
)
from zhengqian.domain.deadlines import Deadline, compute_deadline, days_left
from zhengqian.domain.errors import CalendarError, DomainError

LOADED = range(2024, 2027)


def official_days(years: range) -> list[OfficialDay]:
    """The days that differ from a plain Mon–Fri week, as an administrator would enter them."""
    days = []
    day = date(years.start, 1, 1)
    while day.year < years.stop:
        weekday = day.weekday() < 5
        _, name = chinese_calendar.get_holiday_detail(day)
        if weekday and chinese_calendar.is_holiday(day):
            days.append(OfficialDay(day, "holiday", name or ""))
        elif not weekday and chinese_calendar.is_workday(day):
            days.append(OfficialDay(day, "workday", name or ""))
        day += timedelta(days=1)
    return days


CAL = WorkCalendar(days=official_days(LOADED), loaded_years=LOADED)


def d(text: str) -> date:
    return date.fromisoformat(text)


def span(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# --- the data matches the State Council notices -------------------------------------------

NOTICES = [
    # (days off, make-up workdays)
    (span("2024-02-10", "2024-02-17"), ["2024-02-04", "2024-02-18"]),  # 2024 Spring Festival
    (span("2024-10-01", "2024-10-07"), ["2024-09-29", "2024-10-12"]),  # 2024 National Day
    (span("2025-01-28", "2025-02-04"), ["2025-01-26", "2025-02-08"]),  # 2025 Spring Festival
    (span("2025-10-01", "2025-10-08"), ["2025-09-28", "2025-10-11"]),  # 2025 National Day
    (span("2026-02-15", "2026-02-23"), ["2026-02-14", "2026-02-28"]),  # 2026 Spring Festival
    (span("2026-10-01", "2026-10-07"), ["2026-09-20", "2026-10-10"]),  # 2026 National Day
    (span("2026-09-25", "2026-09-27"), []),  # 2026 Mid-Autumn, just before National Day
]


@pytest.mark.parametrize(("off", "worked"), NOTICES)
def test_chinese_calendar_data_matches_notices(off: list[date], worked: list[str]) -> None:
    for day in off:
        assert chinese_calendar.is_holiday(day), day
        assert not CAL.is_workday(day), day
    for text in worked:
        day = d(text)
        assert day.weekday() >= 5, "a make-up workday falls on a weekend"
        assert chinese_calendar.is_workday(day), day
        assert CAL.is_workday(day), day


def test_plain_week() -> None:
    assert CAL.is_workday(d("2025-03-14"))  # Friday
    assert not CAL.is_workday(d("2025-03-15"))  # Saturday
    assert not CAL.is_workday(d("2025-03-16"))  # Sunday


# --- hand-computed periods ---------------------------------------------------------------

WORKING_DAYS = [
    # 2024 Spring Festival: Feb 9 (1), Feb 10–17 off, Sun Feb 18 make-up (2), 19, 20, 21 (5)
    ("2024-02-08", 5, "2024-02-21"),
    ("2024-02-03", 1, "2024-02-04"),  # Sat → the make-up Sunday
    # 2024 National Day: Sun Sep 29 make-up (1), Sep 30 (2), Oct 1–7 off, Oct 8 (3)
    ("2024-09-27", 2, "2024-09-30"),
    ("2024-09-27", 3, "2024-10-08"),
    # 2025 Spring Festival: Sun Jan 26 (1), Jan 27 (2), Jan 28–Feb 4 off, Feb 5 (3)
    ("2025-01-24", 3, "2025-02-05"),
    ("2025-02-05", 3, "2025-02-08"),  # Feb 6, 7, Sat Feb 8 make-up
    # 2025 National Day: Sun Sep 28 (1), 29, 30 (3), Oct 1–8 off, Oct 9 (4), Oct 10 (5)
    ("2025-09-26", 5, "2025-10-10"),
    ("2025-09-26", 6, "2025-10-11"),  # Sat Oct 11 make-up
    # 2026 Spring Festival: Sat Feb 14 make-up (1), Feb 15–23 off, Feb 24 (2)
    ("2026-02-13", 1, "2026-02-14"),
    ("2026-02-13", 2, "2026-02-24"),
    ("2026-02-13", 7, "2026-03-02"),  # 24, 25, 26, 27, Sat 28 make-up (6), Sun off, Mar 2
    # 2026 Mid-Autumn + National Day: Sun Sep 20 (1), 21–24 (5), Sep 25–27 off, 28 (6), 29,
    # 30 (8), Oct 1–7 off, Oct 8 (9), Oct 9 (10), Sat Oct 10 make-up (11)
    ("2026-09-18", 5, "2026-09-24"),
    ("2026-09-18", 6, "2026-09-28"),
    ("2026-09-18", 9, "2026-10-08"),
    ("2026-09-18", 11, "2026-10-10"),
    ("2026-02-16", 0, "2026-02-16"),  # zero working days: the start day itself, unmoved
]


@pytest.mark.parametrize(("start", "n", "due"), WORKING_DAYS)
def test_add_working_days(start: str, n: int, due: str) -> None:
    assert CAL.add_working_days(d(start), n) == DueDate(d(due), provisional=False)


CALENDAR_DAYS = [
    ("2024-02-08", 3, "2024-02-18"),  # Sun Feb 11 in the holiday → the make-up Sunday
    ("2024-10-07", 5, "2024-10-12"),  # Sat Oct 12 is a make-up workday: no move
    ("2025-01-27", 7, "2025-02-05"),  # Feb 3 in the holiday → Feb 5
    ("2025-01-27", 10, "2025-02-06"),  # an ordinary Thursday
    ("2025-02-04", 4, "2025-02-08"),  # make-up Saturday
    ("2025-09-30", 3, "2025-10-09"),  # Oct 3 → after the 8-day holiday
    ("2025-09-30", 15, "2025-10-15"),
    ("2026-02-10", 5, "2026-02-24"),  # Feb 15 → after the 9-day holiday
    ("2026-03-13", 1, "2026-03-16"),  # Saturday → Monday
    ("2026-09-20", 5, "2026-09-28"),  # Mid-Autumn Fri Sep 25 → Mon Sep 28
    ("2026-02-15", 0, "2026-02-24"),  # zero days: the start day, moved like any last day
    ("2026-02-24", 0, "2026-02-24"),
]


@pytest.mark.parametrize(("start", "n", "due"), CALENDAR_DAYS)
def test_add_days(start: str, n: int, due: str) -> None:
    assert CAL.add_days(d(start), n) == DueDate(d(due), provisional=False)


MONTHS = [
    ("2025-01-31", 1, "2025-02-28"),  # no Feb 31 → the month's last day (art. 202)
    ("2024-01-31", 1, "2024-02-29"),  # leap year
    ("2024-02-29", 12, "2025-02-28"),  # leap day + a year → Feb 28
    ("2026-01-31", 1, "2026-02-28"),  # clamped to Sat Feb 28, itself a make-up workday
    ("2026-01-15", 1, "2026-02-24"),  # Feb 15 in the Spring Festival → Feb 24
    ("2026-09-01", 1, "2026-10-08"),  # Oct 1 → after National Day
    ("2026-09-30", 1, "2026-10-30"),
    ("2024-03-31", 6, "2024-09-30"),  # Sep has 30 days; Mon Sep 30 is a workday
    ("2025-12-31", 2, "2026-02-28"),  # across the year, clamped, make-up Saturday
    ("2026-02-15", 0, "2026-02-24"),
]


@pytest.mark.parametrize(("start", "n", "due"), MONTHS)
def test_add_months(start: str, n: int, due: str) -> None:
    assert CAL.add_months(d(start), n) == DueDate(d(due), provisional=False)


def test_due_dispatches_on_unit() -> None:
    start = d("2026-02-13")
    assert CAL.due(start, PeriodRule(PeriodUnit.WORKING_DAYS, 2)).due == d("2026-02-24")
    assert CAL.due(start, PeriodRule(PeriodUnit.DAYS, 2)).due == d("2026-02-24")
    assert CAL.due(start, PeriodRule(PeriodUnit.MONTHS, 1)).due == d("2026-03-13")


def test_next_workday_on_or_after() -> None:
    assert CAL.next_workday_on_or_after(d("2025-10-01")) == d("2025-10-09")
    assert CAL.next_workday_on_or_after(d("2025-10-09")) == d("2025-10-09")
    assert CAL.next_workday_on_or_after(d("2024-02-17")) == d("2024-02-18")


def test_days_between_working() -> None:
    assert CAL.days_between_working(d("2026-02-13"), d("2026-02-24")) == 2  # Feb 14, Feb 24
    assert CAL.days_between_working(d("2026-02-24"), d("2026-02-13")) == -2
    assert CAL.days_between_working(d("2026-02-16"), d("2026-02-16")) == 0
    assert CAL.days_between_working(d("2026-02-14"), d("2026-02-23")) == 0


# --- provisional results -----------------------------------------------------------------


def test_unloaded_year_is_provisional_and_weekends_only() -> None:
    # Dec 28–31 are 1–4; Jan 1 2027 is a Friday and nothing is known about 2027, so it
    # counts as a working day. New Year's Day is never guessed.
    assert CAL.add_working_days(d("2026-12-25"), 5) == DueDate(d("2027-01-01"), True)
    assert CAL.add_days(d("2026-12-30"), 2) == DueDate(d("2027-01-01"), True)
    assert CAL.add_days(d("2027-01-29"), 1) == DueDate(d("2027-02-01"), True)  # Sat → Mon
    assert CAL.add_months(d("2024-02-29"), 48) == DueDate(d("2028-02-29"), True)


def test_start_in_unloaded_year_is_provisional() -> None:
    # 2023 is not loaded; Jan 1 2024 is a loaded holiday, so the due date is Jan 2.
    assert CAL.add_working_days(d("2023-12-29"), 1) == DueDate(d("2024-01-02"), True)


def test_within_loaded_years_is_not_provisional() -> None:
    assert not CAL.add_days(d("2026-12-01"), 10).provisional
    assert not CAL.add_working_days(d("2024-01-02"), 600).provisional


def test_moving_into_unloaded_year_is_provisional() -> None:
    # Thu Dec 31 2026 + 2 days is Sat Jan 2 2027: moved inside an unloaded year.
    assert CAL.add_days(d("2026-12-31"), 2) == DueDate(d("2027-01-04"), True)


def test_is_loaded() -> None:
    assert CAL.is_loaded(2025)
    assert not CAL.is_loaded(2027)
    assert CAL.loaded_years == frozenset({2024, 2025, 2026})


def test_official_days_of_unloaded_years_are_ignored() -> None:
    calendar = WorkCalendar(days=[OfficialDay(d("2027-01-01"), "holiday", "元旦")], loaded_years=[2026])
    assert calendar.is_workday(d("2027-01-01"))
    loaded = WorkCalendar(days=[OfficialDay(d("2027-01-01"), "holiday", "元旦")], loaded_years=[2026, 2027])
    assert loaded.add_days(d("2026-12-31"), 1) == DueDate(d("2027-01-04"), False)


def test_empty_calendar_counts_weekends_only() -> None:
    calendar = WorkCalendar()
    assert calendar.add_working_days(d("2025-10-01"), 1) == DueDate(d("2025-10-02"), True)


# --- invalid input -----------------------------------------------------------------------


def test_negative_period_is_refused() -> None:
    for add in (CAL.add_days, CAL.add_working_days, CAL.add_months):
        with pytest.raises(CalendarError):
            add(d("2025-01-01"), -1)
    with pytest.raises(CalendarError) as caught:
        PeriodRule(PeriodUnit.DAYS, -1)
    assert caught.value.field == "count"
    assert "民法典" in str(caught.value)
    with pytest.raises(CalendarError):
        PeriodRule.of("working_days", -5)


def test_non_integer_period_is_refused() -> None:
    with pytest.raises(CalendarError):
        CAL.add_days(d("2025-01-01"), 1.0)  # type: ignore[arg-type]
    with pytest.raises(CalendarError):
        PeriodRule(PeriodUnit.DAYS, True)


@pytest.mark.parametrize("day", [date(1899, 12, 31), date(2201, 1, 1), date(1, 1, 1)])
def test_dates_outside_supported_range(day: date) -> None:
    with pytest.raises(CalendarError):
        CAL.is_workday(day)
    with pytest.raises(CalendarError):
        CAL.add_days(day, 1)
    with pytest.raises(CalendarError):
        ensure_supported(day)


def test_results_beyond_supported_range() -> None:
    with pytest.raises(CalendarError):
        CAL.add_days(d("2200-12-31"), 1)
    with pytest.raises(CalendarError):
        CAL.add_working_days(d("2200-12-30"), 5)
    with pytest.raises(CalendarError):
        CAL.add_months(d("2200-12-01"), 1)
    assert CAL.add_days(d("2200-12-31"), 0).due == d("2200-12-31")  # the last day, a Wednesday
    assert CAL.add_days(d("2200-12-27"), 0).due == d("2200-12-29")  # Sat → Mon
    assert CAL.add_months(d("1900-01-31"), 1).due == d("1900-02-28")  # 1900 is not leap


def test_conflicting_official_days_are_refused() -> None:
    day = d("2026-02-14")
    with pytest.raises(CalendarError):
        WorkCalendar(
            days=[OfficialDay(day, "workday", "春节"), OfficialDay(day, "holiday", "春节")],
            loaded_years=[2026],
        )
    # the same entry twice is harmless
    WorkCalendar(days=[OfficialDay(day, "workday", "春节")] * 2, loaded_years=[2026])


def test_bad_official_day_and_years() -> None:
    with pytest.raises(CalendarError):
        OfficialDay(d("2026-02-14"), "weekend", "")  # type: ignore[arg-type]
    with pytest.raises(CalendarError):
        OfficialDay(date(1800, 1, 1), "holiday", "")
    with pytest.raises(CalendarError):
        WorkCalendar(loaded_years=[3000])


# --- period rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("days", PeriodUnit.DAYS),
        ("working-days", PeriodUnit.WORKING_DAYS),
        ("working_days", PeriodUnit.WORKING_DAYS),
        ("Working Days", PeriodUnit.WORKING_DAYS),
        ("工作日", PeriodUnit.WORKING_DAYS),
        ("months", PeriodUnit.MONTHS),
        ("个月", PeriodUnit.MONTHS),
    ],
)
def test_period_rule_of(unit: str, expected: PeriodUnit) -> None:
    assert PeriodRule.of(unit, 5) == PeriodRule(expected, 5)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("5 working-days", PeriodRule(PeriodUnit.WORKING_DAYS, 5)),
        ("15 days", PeriodRule(PeriodUnit.DAYS, 15)),
        ("3 months", PeriodRule(PeriodUnit.MONTHS, 3)),
        ("5个工作日", PeriodRule(PeriodUnit.WORKING_DAYS, 5)),
        ("30日", PeriodRule(PeriodUnit.DAYS, 30)),
        ("6个月", PeriodRule(PeriodUnit.MONTHS, 6)),
    ],
)
def test_period_rule_parse(text: str, rule: PeriodRule) -> None:
    assert PeriodRule.parse(text) == rule


@pytest.mark.parametrize("text", ["", "days", "5", "5 weeks", "-5 days", "five days"])
def test_period_rule_parse_rejects(text: str) -> None:
    with pytest.raises(CalendarError):
        PeriodRule.parse(text)


def test_period_rule_accepts_unit_string_and_prints_chinese() -> None:
    rule = PeriodRule("working_days", 5)  # type: ignore[arg-type]
    assert rule.unit is PeriodUnit.WORKING_DAYS
    assert str(rule) == "5个工作日"
    assert str(PeriodRule(PeriodUnit.MONTHS, 3)) == "3个月"
    assert str(PeriodRule(PeriodUnit.DAYS, 15)) == "15日"


# --- deadlines ---------------------------------------------------------------------------


def test_compute_deadline_and_label() -> None:
    rule = PeriodRule(PeriodUnit.WORKING_DAYS, 2)
    deadline = compute_deadline(CAL, start=d("2026-02-13"), rule=rule, clause="莆田 (四)")
    assert deadline == Deadline(d("2026-02-13"), rule, d("2026-02-24"), False, "莆田 (四)")
    assert deadline.label == "2026-02-24"
    late = compute_deadline(CAL, start=d("2026-12-25"), rule=PeriodRule.of("days", 30), clause="")
    assert late.provisional
    assert late.label == "2027-01-25（暂定）"


def test_days_left() -> None:
    due = d("2026-02-24")
    assert days_left(CAL, due=due, today=d("2026-02-13")) == 11
    assert days_left(CAL, due=due, today=due) == 0
    assert days_left(CAL, due=due, today=d("2026-02-26")) == -2
    with pytest.raises(DomainError):
        days_left(CAL, due=date(2300, 1, 1), today=due)


# --- properties against an independent oracle --------------------------------------------


def oracle_workday(day: date) -> bool:
    """Straight from the data package for loaded years, plain Mon–Fri elsewhere."""
    if day.year in LOADED:
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def oracle_between(start: date, end: date) -> int:
    return sum(oracle_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


starts = st.dates(min_value=date(2022, 6, 1), max_value=date(2027, 12, 31))
counts = st.integers(min_value=0, max_value=400)
months = st.integers(min_value=0, max_value=36)
rules = st.one_of(
    st.builds(PeriodRule, st.just(PeriodUnit.DAYS), counts),
    st.builds(PeriodRule, st.just(PeriodUnit.WORKING_DAYS), counts),
    st.builds(PeriodRule, st.just(PeriodUnit.MONTHS), months),
)


@given(starts, st.integers(min_value=1, max_value=400))
def test_working_days_end_on_nth_workday(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n).due
    assert due > start
    assert oracle_workday(due)
    assert oracle_between(start, due) == n
    assert CAL.days_between_working(start, due) == n


@given(starts, counts)
def test_days_end_on_first_workday_on_or_after(start: date, n: int) -> None:
    plain = start + timedelta(days=n)
    due = CAL.add_days(start, n).due
    assert due >= plain
    assert oracle_workday(due)
    assert not any(oracle_workday(plain + timedelta(days=i)) for i in range((due - plain).days))


@given(starts, months)
def test_months_land_on_same_or_last_day_then_move(start: date, n: int) -> None:
    due = CAL.add_months(start, n).due
    year, month = divmod(start.year * 12 + start.month - 1 + n, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    plain = date(year, month, min(start.day, last))
    assert due == CAL.next_workday_on_or_after(plain)
    assert oracle_workday(due)


@given(starts, rules, st.integers(min_value=0, max_value=30))
def test_monotonic_in_count(start: date, rule: PeriodRule, extra: int) -> None:
    longer = PeriodRule(rule.unit, rule.count + extra)
    assert CAL.due(start, rule).due <= CAL.due(start, longer).due


@given(starts, rules)
def test_provisional_iff_an_unloaded_year_is_touched(start: date, rule: PeriodRule) -> None:
    result = CAL.due(start, rule)
    touched = range(start.year, result.due.year + 1)
    assert result.provisional == any(year not in LOADED for year in touched)


@given(starts, starts)
def test_days_between_working_matches_oracle(a: date, b: date) -> None:
    expected = oracle_between(a, b) if a <= b else -oracle_between(b, a)
    assert CAL.days_between_working(a, b) == expected


@given(st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31)))
def test_is_workday_matches_oracle(day: date) -> None:
    assert CAL.is_workday(day) == oracle_workday(day)
