"""Resettlement rules with hand-computed households (banan-2015 (二)(四), putian-2014 (十二)(十三)(十六))."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengqian.domain import resettlement as r
from zhengqian.domain.calendar import WorkCalendar
from zhengqian.domain.errors import InvalidInput

from .test_calendar import official_days

CALENDAR = WorkCalendar(days=official_days(range(2024, 2027)), loaded_years=range(2024, 2027))
ON = date(2026, 3, 2)


def person(**extra: object) -> r.Person:
    data: dict[str, object] = {
        "name": "张三",
        "hukou_type": "agricultural",
        "birth_date": date(1980, 5, 17),
        "sex": "male",
        "household_has_contract": True,
    }
    data.update(extra)
    return r.Person(**data)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- persons


def test_a_household_of_four_hand_computed() -> None:
    """Head (agricultural, 45), wife (agricultural, 43), son (urban hukou since university),
    granddaughter (agricultural, 3): three count, the son does not, each with reason and clause."""
    rules = r.PersonRules()
    head = r.decide_person(person(), rules, ON)
    wife = r.decide_person(person(name="李四", sex="female", birth_date=date(1982, 8, 1)), rules, ON)
    son = r.decide_person(person(name="张小", hukou_type="non_agricultural", birth_date=date(2004, 1, 1)), rules, ON)
    baby = r.decide_person(person(name="张宝", birth_date=date(2023, 1, 9)), rules, ON)
    assert [head.counts, wife.counts, son.counts, baby.counts] == [True, True, False, True]
    assert "非农业户口" in son.reason and son.clause == "banan-2015 (二)"
    assert head.band == r.AgeBand.WORKING and baby.band == r.AgeBand.MINOR


def test_no_land_contract_no_resettlement_person() -> None:
    decision = r.decide_person(person(household_has_contract=False), r.PersonRules(), ON)
    assert not decision.counts
    assert decision.clause == "putian-2014 (十二)"
    assert "承包经营" in decision.reason


def test_minimum_age_and_unknown_birth_date() -> None:
    rules = r.PersonRules(minimum_age=18)
    assert not r.decide_person(person(birth_date=date(2010, 1, 1)), rules, ON).counts
    assert "16周岁" in r.decide_person(person(birth_date=date(2010, 1, 1)), rules, ON).reason
    assert not r.decide_person(person(birth_date=None), rules, ON).counts
    assert r.decide_person(person(birth_date=date(2008, 3, 2)), rules, ON).counts  # 18 today


def test_pension_age_differs_for_women() -> None:
    rules = r.PersonRules()
    assert r.age_band(person(sex="female", birth_date=date(1970, 1, 1)), rules, ON) == r.AgeBand.ELDERLY  # 56
    assert r.age_band(person(sex="male", birth_date=date(1970, 1, 1)), rules, ON) == r.AgeBand.WORKING


def test_leap_day_birthday() -> None:
    assert r.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert r.age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


# --------------------------------------------------------------------------- forms


def test_forms_a_household_may_choose() -> None:
    ok, _, _ = r.form_allowed(r.Form.HOUSING, persons=3, has_house=True, has_contract=True)
    assert ok
    ok, reason, _ = r.form_allowed(r.Form.HOUSING, persons=0, has_house=True, has_contract=True)
    assert not ok and "没有安置人口" in reason
    ok, _, clause = r.form_allowed(r.Form.RESERVED_LAND, persons=3, has_house=True, has_contract=True)
    assert not ok and clause == "putian-2014 (十三)"
    ok, _, clause = r.form_allowed(r.Form.FARMLAND, persons=3, has_house=True, has_contract=False)
    assert not ok and clause == "putian-2014 (十二)"
    assert r.form_allowed(r.Form.CASH, persons=0, has_house=False, has_contract=False)[0]


# --------------------------------------------------------------------------- area and price


SCHEME = r.AreaRules(
    per_person_m2=Decimal("30"),
    max_over_m2=Decimal("10"),
    price_within=Decimal("800"),
    price_above=Decimal("4500"),
    refund_unused=Decimal("2000"),
)


def test_entitlement_and_price_difference_hand_computed() -> None:
    """3 persons × 30 m² = 90 m²; a 95.50 m² flat: 90 × 800 = 72 000 plus 5.50 × 4 500 = 24 750."""
    entitled = r.entitled_area(3, SCHEME)
    assert entitled == Decimal("90.00")
    settlement = r.settle_unit(Decimal("95.50"), entitled, SCHEME)
    assert [line.amount for line in settlement.lines] == [Decimal("72000.00"), Decimal("24750.00")]
    assert settlement.balance == Decimal("96750.00")


def test_smaller_flat_refunds_the_unused_area() -> None:
    """A 85.25 m² flat on 90 m²: 85.25 × 800 = 68 200, 4.75 m² refunded at 2 000 = −9 500."""
    settlement = r.settle_unit(Decimal("85.25"), Decimal("90.00"), SCHEME)
    assert settlement.balance == Decimal("58700.00")


def test_unit_fits_up_to_the_allowance() -> None:
    assert r.unit_fits(Decimal("100.00"), Decimal("90.00"), SCHEME)[0]
    fits, why = r.unit_fits(Decimal("100.01"), Decimal("90.00"), SCHEME)
    assert not fits and "超过" in why
    assert not r.unit_fits(Decimal("50"), Decimal("0"), SCHEME)[0]


@given(st.integers(0, 12), st.decimals(min_value=Decimal("10"), max_value=Decimal("300"), places=2))
def test_settlement_area_adds_up(persons: int, unit_area: Decimal) -> None:
    entitled = r.entitled_area(persons, SCHEME)
    settlement = r.settle_unit(unit_area, entitled, SCHEME)
    paid_area = sum((line.area for line in settlement.lines if line.amount >= 0), Decimal(0))
    assert paid_area == unit_area
    assert settlement.balance <= round(unit_area * SCHEME.price_above, 2)


# --------------------------------------------------------------------------- order of choosing


def test_lottery_is_reproducible_from_its_seed() -> None:
    codes = [f"H-{n:03d}" for n in range(1, 21)]
    first = r.lottery_order(codes, "2026-03-02 公证处 7391")
    assert first == r.lottery_order(list(reversed(codes)), "2026-03-02 公证处 7391")
    assert sorted(first) == sorted(codes)
    assert first != r.lottery_order(codes, "another seed")


def test_lottery_needs_a_seed() -> None:
    with pytest.raises(InvalidInput):
        r.lottery_order(["H-1"], " ")


@given(
    st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=30, unique=True), st.text(min_size=1), st.randoms()
)
def test_lottery_is_a_permutation_independent_of_input_order(codes: list[str], seed: str, rnd: object) -> None:
    if not seed.strip():
        return
    shuffled = list(codes)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    order = r.lottery_order(codes, seed)
    assert order == r.lottery_order(shuffled, seed)
    assert sorted(order) == sorted(codes)


def test_priority_groups_first_then_position() -> None:
    assert r.priority_order([("A", 9, 1), ("B", 1, 2), ("C", 1, 1), ("D", 2, 0)]) == ["C", "B", "D", "A"]


# --------------------------------------------------------------------------- certificate clock


def test_certificate_clock_on_the_real_calendar() -> None:
    """Allocated 2026-07-02: three months end on 2026-10-02, inside the National Day holiday
    (1–7 October 2026), so the due date moves to Thursday 2026-10-08; six months end on
    2027-01-02, in a year not loaded, so the latest date is provisional."""
    clock = r.certificate_clock(CALENDAR, date(2026, 7, 2), date(2026, 7, 3))
    assert clock.due == date(2026, 10, 8)
    assert clock.provisional
    assert clock.state == r.ClockState.OPEN and clock.days_left == (date(2026, 10, 8) - date(2026, 7, 3)).days
    late = r.certificate_clock(CALENDAR, date(2026, 7, 2), date(2027, 3, 1))
    assert late.state == r.ClockState.LATE  # never overdue on a provisional date


def test_certificate_clock_states() -> None:
    allocated = date(2026, 4, 30)
    open_ = r.certificate_clock(CALENDAR, allocated, date(2026, 7, 30))
    assert (open_.due, open_.latest, open_.provisional) == (date(2026, 7, 30), date(2026, 10, 30), False)
    assert open_.state == r.ClockState.OPEN
    assert r.certificate_clock(CALENDAR, allocated, date(2026, 7, 31)).state == r.ClockState.LATE
    overdue = r.certificate_clock(CALENDAR, allocated, date(2026, 11, 2))
    assert overdue.overdue and overdue.days_left < 0
    assert r.certificate_clock(CALENDAR, allocated, date(2026, 11, 2), date(2026, 7, 30)).state == r.ClockState.DONE
    assert r.certificate_clock(CALENDAR, allocated, date(2026, 11, 2), date(2026, 9, 1)).state == r.ClockState.DONE_LATE
    with pytest.raises(InvalidInput):
        r.certificate_clock(CALENDAR, allocated, date(2026, 11, 2), date(2026, 4, 1))


# --------------------------------------------------------------------------- transition


def test_transition_months_hand_computed() -> None:
    assert r.transition_months(date(2026, 1, 15), date(2026, 7, 15)) == 6
    assert r.transition_months(date(2026, 1, 15), date(2026, 7, 16)) == 7  # a started month counts
    assert r.transition_months(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert r.transition_months(date(2026, 3, 1), date(2026, 3, 1)) == 1
    with pytest.raises(InvalidInput):
        r.transition_months(date(2026, 3, 2), date(2026, 3, 1))


@given(st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 2000), st.integers(1, 40))
def test_transition_months_grow_with_time(start: date, days: int, more: int) -> None:
    end = start + timedelta(days=days)
    assert r.transition_months(start, end) <= r.transition_months(start, end + timedelta(days=more))
    assert r.transition_months(start, end) >= 1


# --------------------------------------------------------------------------- social security


def test_contribution_split_hand_computed() -> None:
    split = r.contribution_split(Decimal("10000.01"), r.Shares(Decimal(60), Decimal(30), Decimal(10)))
    assert (split.government, split.collective, split.person) == (
        Decimal("6000.01"),
        Decimal("3000.00"),
        Decimal("1000.00"),
    )


def test_shares_must_sum_to_100() -> None:
    with pytest.raises(InvalidInput):
        r.Shares(Decimal(60), Decimal(30), Decimal(5))


@given(st.decimals(min_value=0, max_value=Decimal("1e7"), places=2), st.integers(0, 100), st.integers(0, 100))
def test_split_always_adds_up(total: Decimal, government: int, collective: int) -> None:
    if government + collective > 100:
        return
    shares = r.Shares(Decimal(government), Decimal(collective), Decimal(100 - government - collective))
    split = r.contribution_split(total, shares)
    assert split.total == total
    assert min(split.government, split.collective, split.person) >= 0
