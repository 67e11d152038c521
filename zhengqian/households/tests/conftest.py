"""Fixtures of the households app."""

from __future__ import annotations

from importlib import import_module

import pytest


@pytest.fixture
def official_calendar(db):
    """The official days of 2014–2026 that the legal app seeds by migration. A transactional
    test's flush removes them, so put them back with the migration's own function."""
    from django.apps import apps

    from zhengqian.legal.models import CalendarYear

    if not CalendarYear.objects.filter(year=2026).exists():
        import_module("zhengqian.legal.migrations.0002_seed_official_days").seed(apps, None)
