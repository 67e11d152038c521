"""Fixtures of the procedure tests: the official calendar, a leadership-office user, evidence
uploads (helpers.py)."""

from __future__ import annotations

from importlib import import_module

import pytest


@pytest.fixture
def official_calendar(db):
    """The official days of 2014–2026 the legal app seeds by migration (a transactional
    test's flush removes them: put them back with the migration's own function)."""
    from django.apps import apps

    from zhengqian.legal.models import CalendarYear
    from zhengqian.legal.selectors import clear_calendar_cache

    if not CalendarYear.objects.filter(year=2026).exists():
        import_module("zhengqian.legal.migrations.0002_seed_official_days").seed(apps, None)
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def leader(make_user, district):
    return make_user("leader", "leadership_office", district)


@pytest.fixture
def finance(make_user, district):
    return make_user("finance", "finance_officer", district)
