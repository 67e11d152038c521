"""The seeded calendar and the per-process WorkCalendar built from the database, checked against
hand-computed dates (Civil Code arts. 200–204, the State Council notices)."""

from __future__ import annotations

from datetime import date

import pytest

from zhengqian.core.models import AuditEvent
from zhengqian.domain.calendar import PeriodRule
from zhengqian.legal import selectors
from zhengqian.legal.models import CalendarYear, OfficialDay

from .conftest import HOLIDAYS_2027, NOTICE_2027

pytestmark = pytest.mark.django_db


def test_migration_seeds_2014_to_2026():
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2014, 2027))
    spring = OfficialDay.objects.get(day=date(2026, 2, 16))
    assert (spring.kind, spring.name, spring.year.year) == ("holiday", "春节", 2026)
    makeup = OfficialDay.objects.get(day=date(2026, 2, 14))  # a Saturday
    assert (makeup.kind, makeup.name) == ("workday", "春节")
    assert OfficialDay.objects.get(day=date(2015, 9, 3)).name == "抗战胜利纪念日"
    assert OfficialDay.objects.get(day=date(2020, 1, 31)).name == "春节"  # the 2020 extension
    assert "国办发明电〔2025〕7号" in CalendarYear.objects.get(year=2026).source_notice
    # Every seeded make-up workday is a weekend day; no year outside 2014–2026 is guessed.
    assert all(d.weekday() >= 5 for d in OfficialDay.objects.filter(kind="workday").values_list("day", flat=True))
    assert not OfficialDay.objects.filter(day__year__in=[2013, 2027]).exists()


def test_seeded_2026_matches_the_notice():
    holidays, workdays = selectors.notice_ranges(selectors.official_days_of(2026))
    assert [(s.isoformat(), e.isoformat(), n) for s, e, n in holidays] == [
        ("2026-01-01", "2026-01-03", "元旦"),
        ("2026-02-15", "2026-02-23", "春节"),
        ("2026-04-04", "2026-04-06", "清明节"),
        ("2026-05-01", "2026-05-05", "劳动节"),
        ("2026-06-19", "2026-06-21", "端午节"),
        ("2026-09-25", "2026-09-27", "中秋节"),
        ("2026-10-01", "2026-10-07", "国庆节"),
    ]
    assert [d.isoformat() for d, _ in workdays] == [
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]


@pytest.mark.parametrize(
    ("start", "rule", "due", "provisional"),
    [
        # Feb 11–13, Sat 14 (make-up), then 15–23 off: the 5th working day is Tue 24.
        ("2026-02-10", "5 working_days", "2026-02-24", False),
        # One month from Jan 31 is Feb 28 (art. 202), a Saturday but a make-up workday.
        ("2026-01-31", "1 months", "2026-02-28", False),
        # Oct 1 2025 is National Day; Oct 1–8 off, so the period ends Thu Oct 9 (art. 203).
        ("2025-09-30", "1 days", "2025-10-09", False),
        # Sun Sep 20 2026 is a make-up workday: a period ending on it stays there.
        ("2026-09-18", "2 days", "2026-09-20", False),
        # New Year 2025 is a Wednesday holiday: the first working day after Dec 31 is Jan 2.
        ("2024-12-31", "1 working_days", "2025-01-02", False),
        # The Putian announcement: 10 working days from approval on Tue 2026-09-22 — Sep 23, 24,
        # (25–27 中秋节 off) 28, 29, 30, (Oct 1–7 国庆节 off) Oct 8, 9, Sat 10 (make-up), 12, 13.
        ("2026-09-22", "10 working_days", "2026-10-13", False),
        # Into 2027, whose notice is not loaded: weekends only, and provisional.
        ("2026-12-25", "10 days", "2027-01-04", True),
        ("2026-12-31", "1 days", "2027-01-01", True),
        ("2026-12-30", "1 working_days", "2026-12-31", False),
        # 2013 is not loaded either; the period ends on 元旦 2014 (loaded), so moves to Jan 2.
        ("2013-12-30", "2 days", "2014-01-02", True),
    ],
)
def test_hand_computed_due_dates(start, rule, due, provisional):
    result = selectors.work_calendar().due(date.fromisoformat(start), PeriodRule.parse(rule))
    assert (result.due.isoformat(), result.provisional) == (due, provisional)


def test_loading_a_year_is_seen_by_the_cached_calendar(load_2027):
    before = selectors.work_calendar()
    assert selectors.work_calendar() is before  # cached per process
    assert before.due(date(2026, 12, 31), PeriodRule.parse("1 days")).provisional
    load_2027()
    after = selectors.work_calendar()
    assert after is not before
    result = after.due(date(2026, 12, 31), PeriodRule.parse("1 days"))
    assert (result.due, result.provisional) == (date(2027, 1, 4), False)  # Jan 1–3 off


def test_load_writes_days_and_audit_event(load_2027, admin_user):
    row = load_2027()
    assert row.loaded_by == admin_user
    assert row.days.filter(kind="holiday").count() == 3 + 9 + 7
    assert row.days.filter(kind="workday").count() == 2
    event = AuditEvent.objects.get(action="calendar.load")
    assert event.before is None
    assert event.after["holidays"][1] == ["2027-02-05", "2027-02-13", "春节"]
    assert event.object_id == str(row.pk)


def test_overlapping_year_is_refused_without_replace(load_2027):
    from zhengqian.domain.errors import InvalidInput

    load_2027()
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as error:
        load_2027(holidays=HOLIDAYS_2027[:1])
    assert error.value.field == "replace"
    assert "已载入" in str(error.value)
    assert OfficialDay.objects.filter(day__year=2027, kind="holiday").count() == 19
    assert AuditEvent.objects.count() == events


def test_replace_is_explicit_and_audited(load_2027):
    load_2027()
    revision = CalendarYear.objects.get(year=2027).revision
    row = load_2027(holidays=HOLIDAYS_2027[:1], workdays=[], replace=True, reason="通知更正")
    assert sorted(row.days.values_list("day", flat=True)) == [date(2027, 1, d) for d in (1, 2, 3)]
    assert row.revision != revision
    event = AuditEvent.objects.get(action="calendar.replace")
    assert len(event.before["holidays"]) == 3 and len(event.after["holidays"]) == 1
    assert event.before["workdays"] and not event.after["workdays"]
    assert event.reason == "通知更正"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"holidays": [(date(2027, 1, 3), date(2027, 1, 1), "元旦")]}, "holidays", "早于"),
        ({"holidays": [(date(2026, 12, 31), date(2027, 1, 1), "元旦")]}, "holidays", "不在 2027 年内"),
        ({"holidays": [*HOLIDAYS_2027, (date(2027, 1, 3), date(2027, 1, 4), "重复")]}, "holidays", "已在“元旦”"),
        ({"holidays": []}, "holidays", "至少"),
        ({"holidays": [(date(2027, 1, 1), date(2027, 1, 1), " ")]}, "holidays", "名称"),
        ({"workdays": [(date(2027, 2, 10), "春节")]}, "workdays", "周六或周日"),  # a Wednesday
        ({"workdays": [(date(2027, 2, 6), "春节")]}, "workdays", "放假期间"),  # a Saturday inside 春节
        ({"workdays": [(date(2028, 1, 8), "元旦")]}, "workdays", "不在 2027 年内"),
        ({"source_notice": "  "}, "source_notice", "通知"),
        ({"year": 1800}, "year", "范围"),
    ],
)
def test_bad_notice_names_the_problem_and_saves_nothing(load_2027, overrides, field, words):
    from zhengqian.domain.errors import InvalidInput

    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as error:
        load_2027(**overrides)
    assert error.value.field == field
    assert words in str(error.value)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert AuditEvent.objects.count() == events


def test_only_calendar_managers_may_load(clerk_a):
    from zhengqian.core.permissions import PermissionDeniedError
    from zhengqian.legal.actions import calendar_year_load

    with pytest.raises(PermissionDeniedError):
        calendar_year_load(actor=clerk_a, year=2027, source_notice=NOTICE_2027, holidays=HOLIDAYS_2027, workdays=[])
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_unloaded_years_names_this_and_next_year():
    assert selectors.unloaded_years(date(2026, 3, 2)) == [2027]
    assert selectors.unloaded_years(date(2027, 1, 5)) == [2027, 2028]
    assert selectors.unloaded_years(date(2020, 6, 1)) == []


def test_year_grid_marks_holidays_and_makeup_days():
    grid = selectors.loaded_year_grid(2026, today=date(2026, 3, 2))
    cells = {c.day: c for m in grid.months for w in m.weeks for c in w if c}
    assert cells[date(2026, 2, 16)].kind == "holiday"
    assert cells[date(2026, 2, 14)].kind == "makeup"
    assert cells[date(2026, 3, 7)].kind == "weekend"
    assert cells[date(2026, 3, 2)].is_today
    assert (grid.holidays, grid.makeups) == (33, 6)
    # 365 days − 104 weekend days − 33 holidays + weekend days inside holidays + 6 make-up days.
    weekend_holidays = sum(1 for d, c in cells.items() if c.kind == "holiday" and d.weekday() >= 5)
    assert grid.workdays == 365 - 104 - 33 + weekend_holidays + 6
