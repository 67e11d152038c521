"""Benchmark: due dates for 1,000,000 (start, rule) pairs on the 2014–2026 official calendar.

A nightly deadline scan recomputes every open deadline of every household; the budget is
≤ 5 s for a million on a slow 2-core machine. The baseline is the cheapest possible date
arithmetic (``start + timedelta(days=n)``) over the same pairs, so ``ratio`` says how much
the statutory rules (art. 201–203 moves, working days, month clamping) cost on top of it.

Usage: python bench/deadline_scan.py   → one line:
RESULT deadline_scan <seconds> s baseline=<seconds> ratio=<x>
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import chinese_calendar

from zhengqian.domain.calendar import OfficialDay, PeriodRule, PeriodUnit, WorkCalendar

PAIRS = 1_000_000
YEARS = range(2014, 2027)


def build_calendar() -> WorkCalendar:
    """The calendar the seed migration loads: days that differ from a plain Mon–Fri week."""
    days = []
    day = date(YEARS.start, 1, 1)
    while day.year < YEARS.stop:
        weekday = day.weekday() < 5
        name = chinese_calendar.get_holiday_detail(day)[1] or ""
        if weekday and chinese_calendar.is_holiday(day):
            days.append(OfficialDay(day, "holiday", name))
        elif not weekday and chinese_calendar.is_workday(day):
            days.append(OfficialDay(day, "workday", name))
        day += timedelta(days=1)
    return WorkCalendar(days=days, loaded_years=YEARS)


def make_pairs() -> list[tuple[date, PeriodRule]]:
    rng = random.Random(42)
    first, last = date(2015, 1, 1).toordinal(), date(2026, 12, 31).toordinal()
    # Rules are few and immutable, as in policy packs: build each once.
    rules = {unit: [PeriodRule(unit, n) for n in range(13 if unit is PeriodUnit.MONTHS else 91)] for unit in PeriodUnit}
    units = list(PeriodUnit)
    pairs = []
    for _ in range(PAIRS):
        unit = rng.choice(units)
        options = rules[unit]
        pairs.append((date.fromordinal(rng.randint(first, last)), options[rng.randrange(len(options))]))
    return pairs


def main() -> None:
    calendar = build_calendar()
    pairs = make_pairs()

    due = calendar.due
    started = time.perf_counter()
    results = [due(start, rule) for start, rule in pairs]
    seconds = time.perf_counter() - started

    started = time.perf_counter()
    plain = [start + timedelta(days=rule.count) for start, rule in pairs]
    baseline = time.perf_counter() - started

    assert len(results) == len(plain) == PAIRS
    print(f"RESULT deadline_scan {seconds:.3f} s baseline={baseline:.3f} ratio={seconds / baseline:.2f}")


if __name__ == "__main__":
    main()
