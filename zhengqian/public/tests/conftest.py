"""Fixtures of the public tests: the official calendar, the leadership office, the story."""

from __future__ import annotations

from importlib import import_module

import pytest


@pytest.fixture
def official_calendar(db):
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


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.COMPENSATION_REPRICE_IN_BACKGROUND = False
    settings.DOCUMENTS_BATCH_IN_BACKGROUND = False


@pytest.fixture
def story(official_calendar, office_user, leader, project_a, township_a):
    from zhengqian.documents.tests.factories import published_story

    return published_story(office_user, leader, project_a, township_a)
