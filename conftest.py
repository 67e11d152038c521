"""Fixtures shared by every app's tests: a small district, one user per role, a frozen clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import pytest
from hypothesis import HealthCheck, settings

from zhengqian.core import clock

# The machines are shared and noisy: a per-example time limit would fail at random.
settings.register_profile("zhengqian", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("zhengqian")


@pytest.fixture(autouse=True)
def _official_calendar(request):
    """Every test with a database sees the 2014–2026 official calendar that the data migration
    seeds: a transactional test's flush deletes it, so it is put back when missing."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from importlib import import_module

    from django.apps import apps

    from zhengqian.legal.models import CalendarYear

    if not CalendarYear.objects.filter(year=2026).exists():
        import_module("zhengqian.legal.migrations.0002_seed_official_days").seed(apps, None)


@pytest.fixture
def frozen_clock() -> Iterator[datetime]:
    with clock.frozen("2026-03-02T09:30:00") as instant:
        yield instant


@pytest.fixture
def district(db):
    from zhengqian.core.actions import jurisdiction_create

    root = jurisdiction_create(actor=None, code="500113", name="巴南区", parent=None)
    for code, name in (("500113110", "界石镇"), ("500113005", "南泉街道")):
        township = jurisdiction_create(actor=None, code=code, name=name, parent=root)
        village = jurisdiction_create(actor=None, code=f"{code}201", name=f"{name}一村", parent=township)
        jurisdiction_create(actor=None, code=f"{code}201001", name=f"{name}一村1组", parent=village)
    return root


@pytest.fixture
def township_a(district):
    from zhengqian.core.models import Jurisdiction

    return Jurisdiction.objects.get(code="500113110")


@pytest.fixture
def township_b(district):
    from zhengqian.core.models import Jurisdiction

    return Jurisdiction.objects.get(code="500113005")


@pytest.fixture
def make_user(db):
    from zhengqian.core.models import Department, Role, User

    def make(username: str, role: str, jurisdiction, **extra) -> User:
        if role == Role.DEPARTMENT_OFFICER and "department" not in extra:
            extra["department"], _ = Department.objects.get_or_create(
                code="public_security", defaults={"name": "公安分局"}
            )
        return User.objects.create_user(
            username=username, password="Passw0rd!2026", role=role, jurisdiction=jurisdiction, **extra
        )

    return make


@pytest.fixture
def office_user(make_user, district):
    return make_user("office", "expropriation_office", district)


@pytest.fixture
def clerk_a(make_user, township_a):
    return make_user("clerk_a", "township_clerk", township_a)


@pytest.fixture
def clerk_b(make_user, township_b):
    return make_user("clerk_b", "township_clerk", township_b)


@pytest.fixture
def project_a(office_user, district, township_a):
    from zhengqian.projects.actions import project_create

    return project_create(
        actor=office_user,
        code="P-A-1",
        name="界石道路",
        owner_name="建设公司",
        district=district,
        townships=[township_a],
        land_area="10000",
        policy_pack="putian-2014",
    )


@pytest.fixture
def project_b(office_user, district, township_b):
    from zhengqian.projects.actions import project_create

    return project_create(
        actor=office_user,
        code="P-B-1",
        name="南泉公园",
        owner_name="城管局",
        district=district,
        townships=[township_b],
        land_area="5000",
        policy_pack="banan-2015",
    )


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian chromium (no browser download needed)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def pytest_collection_modifyitems(config, items):
    if not config.pluginmanager.hasplugin("django"):
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
