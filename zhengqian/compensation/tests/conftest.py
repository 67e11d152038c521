"""Fixtures of the compensation tests: the leadership office, a frozen clock, re-pricing run
in the request (no background thread)."""

from __future__ import annotations

import pytest

from zhengqian.core import clock


@pytest.fixture(autouse=True)
def _reprice_inline(settings):
    settings.COMPENSATION_REPRICE_IN_BACKGROUND = False


@pytest.fixture
def leader(make_user, district):
    return make_user("leader", "leadership_office", district)


@pytest.fixture
def today():
    with clock.frozen("2026-03-02T10:00:00") as instant:
        yield instant
