"""Schedule preview on the real 2024 official calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from zhengqian.domain.calendar import OfficialDay, WorkCalendar
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.policy import load_pack
from zhengqian.domain.schedule import ScheduledDate, schedule


def _span(first: date, last: date, name: str) -> list[OfficialDay]:
    days = (last - first).days + 1
    return [OfficialDay(first + timedelta(n), "holiday", name) for n in range(days)]


# 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）
OFFICIAL_2024 = [
    *_span(date(2024, 1, 1), date(2024, 1, 1), "元旦"),
    *_span(date(2024, 2, 10), date(2024, 2, 17), "春节"),
    OfficialDay(date(2024, 2, 4), "workday", "春节调休"),
    OfficialDay(date(2024, 2, 18), "workday", "春节调休"),
    *_span(date(2024, 4, 4), date(2024, 4, 6), "清明节"),
    OfficialDay(date(2024, 4, 7), "workday", "清明节调休"),
    *_span(date(2024, 5, 1), date(2024, 5, 5), "劳动节"),
    OfficialDay(date(2024, 4, 28), "workday", "劳动节调休"),
    OfficialDay(date(2024, 5, 11), "workday", "劳动节调休"),
    *_span(date(2024, 6, 10), date(2024, 6, 10), "端午节"),
    *_span(date(2024, 9, 15), date(2024, 9, 17), "中秋节"),
    OfficialDay(date(2024, 9, 14), "workday", "中秋节调休"),
    *_span(date(2024, 10, 1), date(2024, 10, 7), "国庆节"),
    OfficialDay(date(2024, 9, 29), "workday", "国庆节调休"),
    OfficialDay(date(2024, 10, 12), "workday", "国庆节调休"),
]


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar(days=OFFICIAL_2024, loaded_years=[2024])


def by_code(items: tuple[ScheduledDate, ...]) -> dict[str, ScheduledDate]:
    return {item.deadline_code: item for item in items}


def test_the_2024_days_agree_with_chinese_calendar(calendar: WorkCalendar) -> None:
    chinese_calendar = pytest.importorskip("chinese_calendar")
    day = date(2024, 1, 1)
    while day.year == 2024:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(1)


def test_putian_announcement_due_ten_working_days_after_approval(calendar: WorkCalendar) -> None:
    # Approval on Thursday 26 September 2024; National Day week off, Sunday 29 Sep and
    # Saturday 12 Oct worked: 27, 29, 30 Sep, 8, 9, 10, 11, 12, 14, 15 Oct.
    pack = load_pack("putian-2014")
    items = by_code(schedule(pack, calendar, {"approval": date(2024, 9, 26)}))
    announcement = items["expropriation_announcement"]
    assert announcement.due == date(2024, 10, 15)
    assert not announcement.provisional
    assert (announcement.anchor, announcement.anchor_date) == ("approval", date(2024, 9, 26))
    assert (announcement.target, announcement.kind) == ("expropriation_announcement", "within")
    assert announcement.citation.label == "putian-2014 (四)"
    assert announcement.label == "2024-10-15"
    assert set(items) == {"expropriation_announcement"}


def test_national_announcement_due_fifteen_working_days_after_approval(
    calendar: WorkCalendar,
) -> None:
    pack = load_pack("national-2019")
    (announcement,) = schedule(pack, calendar, {"approval": date(2024, 9, 26)})
    assert announcement.due == date(2024, 10, 22)
    assert announcement.citation.label == "实施条例 第三十一条"


def test_putian_dates_follow_each_other_sorted_by_due(calendar: WorkCalendar) -> None:
    pack = load_pack("putian-2014")
    known = {
        "notification": date(2024, 9, 20),
        "registration_review": date(2024, 11, 30),
        "payment_in_full": date(2025, 2, 20),
    }
    items = schedule(pack, calendar, known)
    dues = {item.deadline_code: (item.due, item.provisional) for item in items}
    assert dues == {
        # 5 working days after Friday 20 Sep: 23, 24, 25, 26, 27 Sep.
        "hearing_request": (date(2024, 9, 27), False),
        # 3 months after 30 Nov: February has no 30th, so its last day, Friday 28 Feb 2025;
        # provisional because 2025 is not loaded.
        "payment_in_full": (date(2025, 2, 28), True),
        # 5 days after Thursday 20 Feb 2025 is Tuesday 25 Feb.
        "land_handover": (date(2025, 2, 25), True),
    }
    assert [item.due for item in items] == sorted(item.due for item in items)
    assert items[0].citation.clause == "(三)"


def test_yongzhou_forced_vacate_chain(calendar: WorkCalendar) -> None:
    pack = load_pack("yongzhou-linkage")
    known = {
        "compensation_notice": date(2024, 9, 20),
        "vacate_notice": date(2024, 10, 11),
        "order_to_hand_over": date(2024, 10, 31),
    }
    items = by_code(schedule(pack, calendar, known))
    # 补偿告知书 served Fri 20 Sep: 7 working days = 23–27, Sun 29, Mon 30 Sep.
    assert items["compensation_notice_period"].due == date(2024, 9, 30)
    assert items["compensation_notice_period"].kind == "after"
    # 补偿决定书 within 10 days of the end of the notice period: Thu 10 Oct.
    decision = items["compensation_decision"]
    assert (decision.anchor_date, decision.due) == (date(2024, 9, 30), date(2024, 10, 10))
    assert decision.starts_after == "compensation_notice_period"
    # 限期腾地通知书 served Fri 11 Oct: Sat 12 (make-up), 14–18, Mon 21 Oct.
    assert items["vacate_notice_period"].due == date(2024, 10, 21)
    # 限期腾地决定书 within 10 days of that: Thu 31 Oct.
    assert items["order_to_hand_over"].due == date(2024, 10, 31)
    # 催告书 only after 6 months: 30 Apr 2025, provisional while 2025 is not loaded.
    demand = items["demand_to_comply"]
    assert (demand.due, demand.provisional, demand.kind) == (date(2025, 4, 30), True, "after")
    assert demand.label == "2025-04-30（暂定）"
    for item in items.values():
        assert item.citation.label == "yongzhou-linkage 五(一)5"


def test_yongzhou_decision_period_waits_for_its_notice_period(calendar: WorkCalendar) -> None:
    pack = load_pack("yongzhou-linkage")
    items = by_code(schedule(pack, calendar, {"vacate_notice": date(2024, 10, 11)}))
    assert set(items) == {"vacate_notice_period", "order_to_hand_over"}


def test_yongzhou_payment_three_months_after_agreement(calendar: WorkCalendar) -> None:
    pack = load_pack("yongzhou-linkage")
    items = by_code(schedule(pack, calendar, {"agreement": date(2024, 8, 31), "agreement_signed": date(2024, 8, 31)}))
    # 30 Nov 2024 is a Saturday: moved to Monday 2 Dec.
    assert items["payment_in_full"].due == date(2024, 12, 2)
    assert items["household_payment"].due == date(2024, 12, 2)
    assert items["household_payment"].target == "paid"


def test_banan_property_certificate_three_and_six_months(calendar: WorkCalendar) -> None:
    pack = load_pack("banan-2015")
    items = by_code(schedule(pack, calendar, {"housing_allocated": date(2024, 1, 31)}))
    assert items["property_certificate"].due == date(2024, 4, 30)
    assert items["property_certificate_latest"].due == date(2024, 7, 31)


def test_national_minimum_periods(calendar: WorkCalendar) -> None:
    pack = load_pack("national-2019")
    items = by_code(
        schedule(
            pack,
            calendar,
            {"pre_announcement": date(2024, 9, 20), "compensation_plan": date(2024, 9, 20)},
        )
    )
    pre = items["pre_announcement_period"]
    # 10 working days: 23–27, 29, 30 Sep, 8, 9, 10 Oct.
    assert (pre.due, pre.kind) == (date(2024, 10, 10), "at_least")
    assert not pre.allows(date(2024, 10, 10))
    assert pre.allows(date(2024, 10, 11))
    plan = items["compensation_plan_period"]
    assert plan.due == date(2024, 10, 21)  # 20 Oct is a Sunday
    assert plan.target == "approval_request"


def test_within_allows_up_to_the_due_date(calendar: WorkCalendar) -> None:
    pack = load_pack("putian-2014")
    (announcement,) = schedule(pack, calendar, {"approval": date(2024, 9, 26)})
    assert announcement.allows(date(2024, 10, 15))
    assert not announcement.allows(date(2024, 10, 16))


def test_nothing_known_nothing_scheduled(calendar: WorkCalendar) -> None:
    assert schedule(load_pack("putian-2014"), calendar, {}) == ()


def test_unknown_step_is_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(InvalidInput, match="approvall") as caught:
        schedule(load_pack("putian-2014"), calendar, {"approvall": date(2024, 9, 26)})
    assert caught.value.field == "approvall"
