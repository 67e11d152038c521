"""Fixtures of the legal app: an administrator, a synthetic 2027 notice, the seeded calendar."""

from __future__ import annotations

from datetime import date

import pytest

# A made-up 2027 arrangement for tests only (it is not the State Council's notice).
NOTICE_2027 = "测试用：国务院办公厅关于2027年部分节假日安排的通知（测试数据）"
HOLIDAYS_2027 = [
    (date(2027, 1, 1), date(2027, 1, 3), "元旦"),
    (date(2027, 2, 5), date(2027, 2, 13), "春节"),
    (date(2027, 10, 1), date(2027, 10, 7), "国庆节"),
]
WORKDAYS_2027 = [(date(2027, 2, 14), "春节"), (date(2027, 10, 9), "国庆节")]

TOML_2027 = """
year = 2027
source_notice = "测试用：国务院办公厅关于2027年部分节假日安排的通知（测试数据）"

[[holidays]]
name = "元旦"
start = 2027-01-01
end = 2027-01-03

[[holidays]]
name = "春节"
start = "2027-02-05"
end = "2027-02-13"

[[holidays]]
name = "国庆节"
start = 2027-10-01
end = 2027-10-07

[[workdays]]
name = "春节"
date = 2027-02-14

[[workdays]]
name = "国庆节"
date = 2027-10-09
"""


@pytest.fixture
def admin_user(make_user, district):
    return make_user("root", "system_admin", district)


@pytest.fixture
def load_2027(admin_user):
    from zhengqian.legal.actions import calendar_year_load

    def load(**overrides):
        data = dict(
            actor=admin_user, year=2027, source_notice=NOTICE_2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
        )
        data.update(overrides)
        return calendar_year_load(**data)

    return load


@pytest.fixture
def seeded_calendar(db):
    """The 2014–2026 seed (the root conftest puts it back after transactional flushes)."""
    from zhengqian.legal.models import CalendarYear

    return CalendarYear.objects.get(year=2026)
