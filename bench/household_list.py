"""Benchmark: the household list page's query at 1,000,000 households (PostgreSQL).

The bench creates its own database (`zq_bench_list`), migrates it, bulk-loads 1,000,000
households over 5 projects and 20 villages with 3 members each (generate_series), ANALYZEs,
and then serves ~50 list requests of a township clerk: the queryset of
`households.views.household_list` (`selectors.households_for(...)` with the member count
annotation, filtered by project, survey state or village) through the same paginator
(`core.http.paginate`: count + one page of 20, pages 1–50), timing each request.

Baseline, in the same run: the equivalent hand-written SQL (same scope, filters, order and
page; member count as a correlated subquery) through the raw driver.

Usage: python bench/household_list.py [--households N] [--requests 50] [--sqlite] [--reuse]
RESULT household_list <p95 ms> ms baseline=<p95 ms> ratio=<x>
(--sqlite: the same on a SQLite file, default 100,000 households.)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "zq_bench_list"
STATES = ["not_surveyed", "awaiting_signature", "window_open", "objected", "confirmed"]


def _pg_create(reuse: bool) -> bool:
    """Create the bench database; True when an existing one is reused."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and reuse:
            return True
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return False


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _places():
    from zhengqian.core.actions import jurisdiction_create
    from zhengqian.core.models import Jurisdiction, User
    from zhengqian.projects.actions import project_create
    from zhengqian.projects.models import Project

    def node(code: str, name: str, parent):
        return Jurisdiction.objects.filter(code=code).first() or jurisdiction_create(
            actor=None, code=code, name=name, parent=parent
        )

    district = node("500113", "巴南区", None)
    townships, villages, groups = [], [], []
    for code, name in (("500113110", "界石镇"), ("500113005", "南泉街道")):
        township = node(code, name, district)
        townships.append(township)
        for v in range(10):
            village = node(f"{code}2{v:02d}", f"{name}{v + 1}村", township)
            villages.append(village)
            groups.append(node(f"{village.code}001", "1组", village))
    office = User.objects.filter(username="bench_office").first() or User.objects.create_user(
        username="bench_office", password="x", role="expropriation_office", jurisdiction=district
    )
    clerk = User.objects.filter(username="bench_clerk").first() or User.objects.create_user(
        username="bench_clerk", password="x", role="township_clerk", jurisdiction=townships[0]
    )
    projects = list(Project.objects.filter(code__startswith="LIST-").order_by("code"))
    for index in range(len(projects), 5):
        projects.append(
            project_create(actor=office, code=f"LIST-{index}", name=f"列表基准{index}", owner_name="x",
                           district=district, townships=townships, land_area="1", policy_pack="putian-2014")
        )
    return office, clerk, projects, villages, groups


def _load_pg(households: int, office, projects, villages, groups) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO households_household (project_id, code, head_name, village_id, group_id, address, phone,
                contract_certificate_no, homestead_certificate_no, bank_name, bank_account_no, status,
                survey_state, note, created_by_id, created_at, updated_at)
            SELECT (%(projects)s::bigint[])[1 + i %% 5], 'H' || lpad(i::text, 7, '0'), '户主' || i,
                   (%(villages)s::bigint[])[1 + (i / 5) %% 20], (%(groups)s::bigint[])[1 + (i / 5) %% 20],
                   '', '', 'CB' || i, '', '', '', 'registered',
                   (%(states)s::text[])[1 + (i::bigint * 2654435761 %% 4294967296) %% 5], '',
                   %(office)s, now(), now()
            FROM generate_series(1, %(n)s) AS i
            """,
            {"projects": [p.pk for p in projects], "villages": [v.pk for v in villages],
             "groups": [g.pk for g in groups], "states": STATES, "office": office.pk, "n": households},
        )
        cursor.execute(
            """
            INSERT INTO households_householdmember (household_id, project_id, name, id_type, id_number_encrypted,
                id_number_hash, id_number_masked, sex, birth_date, relation, hukou_type, is_resettlement_person,
                note, created_at, updated_at)
            SELECT h.id, h.project_id, '成员' || k, 'resident_id', '', '', '', 'male', NULL,
                   CASE WHEN k = 0 THEN 'head' ELSE 'child' END, 'agricultural', true, '', now(), now()
            FROM households_household h CROSS JOIN generate_series(0, 2) AS k
            """
        )
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        # What autovacuum does in production: statistics, and the visibility map that lets the
        # count be an index-only scan.
        cursor.execute("VACUUM ANALYZE")


def _load_sqlite(households: int, office, projects, villages, groups) -> None:
    from django.db import connection, transaction

    now = "2026-03-02 01:30:00"
    with transaction.atomic(), connection.cursor() as cursor:
        rows = (
            (projects[i % 5].pk, f"H{i:07d}", f"户主{i}", villages[(i // 5) % 20].pk, groups[(i // 5) % 20].pk,
             f"CB{i}", STATES[(i * 2654435761 % 4294967296) % 5], office.pk, now, now)
            for i in range(1, households + 1)
        )
        cursor.executemany(
            """INSERT INTO households_household (project_id, code, head_name, village_id, group_id, address, phone,
                contract_certificate_no, homestead_certificate_no, bank_name, bank_account_no, status, survey_state,
                note, created_by_id, created_at, updated_at)
               VALUES (%s, %s, %s, %s, %s, '', '', %s, '', '', '', 'registered', %s, '', %s, %s, %s)""",
            list(rows),
        )
        cursor.execute(
            """INSERT INTO households_householdmember (household_id, project_id, name, id_type, id_number_encrypted,
                id_number_hash, id_number_masked, sex, birth_date, relation, hukou_type, is_resettlement_person,
                note, created_at, updated_at)
               SELECT h.id, h.project_id, '成员' || k.k, 'resident_id', '', '', '', 'male', NULL,
                      CASE WHEN k.k = 0 THEN 'head' ELSE 'child' END, 'agricultural', 1, '', h.created_at, h.created_at
               FROM households_household h CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) k"""
        )
        cursor.execute("ANALYZE")


def _scenarios(projects, villages, count: int) -> list[dict[str, object]]:
    rng = random.Random(7)
    township_a_villages = villages[:10]
    shapes = [
        lambda: {"project": rng.choice(projects).pk},
        lambda: {"project": rng.choice(projects).pk, "survey_state": rng.choice(STATES)},
        lambda: {"project": rng.choice(projects).pk, "village": rng.choice(township_a_villages).pk},
        lambda: {"survey_state": rng.choice(STATES)},
    ]
    return [{**shapes[i % len(shapes)](), "page": rng.randint(1, 50)} for i in range(count)]


def _django_page(clerk, params: dict[str, object]) -> int:
    """What households.views.household_list runs (keep in step with it): the selector, the
    member-count annotation, the paginator of core.http.paginate."""
    from django.core.paginator import Paginator

    from zhengqian.core.http import PAGE_SIZE
    from zhengqian.households import selectors

    households = selectors.with_member_count(selectors.households_for(
        user=clerk, project_id=params.get("project"), village_id=params.get("village"),
        survey_state=params.get("survey_state", ""),
    ))
    page = Paginator(households, PAGE_SIZE).get_page(params["page"])
    rows = [(h.code, h.head_name, h.project.code, h.village.name, h.group.name if h.group else "", h.member_count)
            for h in page.object_list]
    return len(rows)


RAW_WHERE = """
    FROM households_household h
    JOIN core_jurisdiction v ON v.id = h.village_id
    WHERE v.path LIKE %(scope)s
      AND EXISTS (SELECT 1 FROM projects_project_townships t JOIN core_jurisdiction tj ON tj.id = t.jurisdiction_id
                  WHERE t.project_id = h.project_id AND tj.path LIKE %(scope)s)
      AND (%(project)s::bigint IS NULL OR h.project_id = %(project)s)
      AND (%(village)s::bigint IS NULL OR h.village_id = %(village)s)
      AND (%(state)s::text IS NULL OR h.survey_state = %(state)s)
"""


def _raw_page(cursor, scope: str, params: dict[str, object], sqlite: bool) -> int:
    values = {"scope": scope + "%", "project": params.get("project"), "village": params.get("village"),
              "state": params.get("survey_state")}
    where = RAW_WHERE.replace("::bigint", "").replace("::text", "") if sqlite else RAW_WHERE
    if sqlite:
        where = where.replace("%(", ":").replace(")s", "")
    count_sql = "SELECT COUNT(*) " + where
    page_sql = (
        "SELECT h.id, h.code, h.head_name, p.code, v.name, g.name, "
        "(SELECT COUNT(*) FROM households_householdmember m WHERE m.household_id = h.id) "
        + where.replace("FROM households_household h", "FROM households_household h "
                        "JOIN projects_project p ON p.id = h.project_id "
                        "LEFT JOIN core_jurisdiction g ON g.id = h.group_id")
        + " ORDER BY h.project_id, h.code LIMIT 20 OFFSET " + str((int(params["page"]) - 1) * 20)
    )
    cursor.execute(count_sql, values)
    total = cursor.fetchone()[0]
    cursor.execute(page_sql, values)
    return len(cursor.fetchall()) if total else 0


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000 if len(samples) >= 20 else max(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=None)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="reuse the bench database if it exists")
    args = parser.parse_args()
    households = args.households or (100_000 if args.sqlite else 1_000_000)
    workdir = Path(tempfile.mkdtemp(prefix="zq-bench-list-"))
    if args.sqlite:
        database = workdir / "list.sqlite3"
        _setup(f"sqlite:///{database}")
        reused = False
    else:
        reused = _pg_create(args.reuse)
        _setup(f"{PG_SERVER}/{DATABASE}")
    from django.db import connection

    from zhengqian.households.models import Household

    office, clerk, projects, villages, groups = _places()
    loaded = Household.objects.count()
    started = time.perf_counter()
    if not (reused and loaded == households):
        if loaded:
            raise SystemExit(f"{DATABASE} holds {loaded} households; run without --reuse to rebuild it")
        (_load_sqlite if args.sqlite else _load_pg)(households, office, projects, villages, groups)
    load_seconds = time.perf_counter() - started

    scenarios = _scenarios(projects, villages, args.requests)
    for params in scenarios[:3]:  # warm the caches of both paths alike
        _django_page(clerk, params)
    django_times, raw_times = [], []
    with connection.cursor() as wrapper:
        raw = wrapper.cursor  # the driver's own cursor: no ORM, no wrapper
        for params in scenarios[:3]:
            _raw_page(raw, clerk.scope_path, params, args.sqlite)
        for params in scenarios:
            began = time.perf_counter()
            _django_page(clerk, params)
            django_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            _raw_page(raw, clerk.scope_path, params, args.sqlite)
            raw_times.append(time.perf_counter() - began)
    ours, base = _p95(django_times), _p95(raw_times)
    engine = "sqlite" if args.sqlite else "postgresql"
    print(f"# {engine}: {households} households ({'reused' if reused else f'loaded in {load_seconds:.0f} s'}), "
          f"{len(scenarios)} requests; "
          f"median {statistics.median(django_times) * 1000:.1f} ms vs "
          f"{statistics.median(raw_times) * 1000:.1f} ms", file=sys.stderr)
    name = "household_list_sqlite" if args.sqlite else "household_list"
    print(f"RESULT {name} {ours:.1f} ms baseline={base:.1f} ratio={ours / base:.2f}")


if __name__ == "__main__":
    main()
