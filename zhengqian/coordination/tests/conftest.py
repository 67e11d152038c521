"""Fixtures of the coordination tests: the seeded departments, a leadership-office user, a
department officer of 财政局, a household of project A."""

from __future__ import annotations

import pytest


@pytest.fixture
def departments(db):
    from zhengqian.coordination.departments import seed
    from zhengqian.coordination.models import DepartmentDuty
    from zhengqian.core.models import Department
    from zhengqian.legal.selectors import clear_calendar_cache

    seed(Department, DepartmentDuty)
    clear_calendar_cache()
    return {d.code: d for d in Department.objects.all()}


@pytest.fixture
def leader(make_user, district):
    return make_user("leader", "leadership_office", district)


@pytest.fixture
def finance_officer(make_user, district, departments):
    return make_user("fin_officer", "department_officer", district, department=departments["finance"])


@pytest.fixture
def household_a(office_user, project_a, township_a):
    from zhengqian.households.tests.factories import make_household

    return make_household(office_user, project_a, township_a, code="H-A-1")
