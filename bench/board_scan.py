"""Benchmark: the nightly procedure scan and the overdue board over 1,000,000 open steps.

Own PostgreSQL database ``zq_bench_board`` (created and migrated on first run; the data set is
kept and reused while it is complete). The load is set-based: households and steps come from
``INSERT … SELECT generate_series``; the due dates are the legal core's (computed once per
distinct pack, deadline and anchor date, joined in), 0.1 % deliberately stale; steps overdue
before yesterday already carry ``overdue_since`` (a steady-state night).

- scan: ``procedure_scan(ensure=False)`` — recompute every open step's governing deadline with
  the domain calendar (grouped by pack, deadline, anchor and stored date), rewrite the stale
  ones, record the newly overdue and notify — timed in a transaction that is rolled back, so
  every run measures the same night. Baseline: fetch the same rows and add a plain
  ``timedelta`` per row in a Python loop. The row-completion pass (two grouped counts when
  nothing is missing) is timed apart and printed as ``INFO``.
- board: the board page's queries (selectors ``board_steps`` + ``board_page`` + the capped
  overdue count) for a district user over varied filters and pages; p95 over the runs.
  Baseline: hand-written SQL for the same page (one statement, no ORM).

Usage: python bench/board_scan.py [--rows 1000000] [--runs 60] [--reload]
RESULT board_scan <seconds> s baseline=<s> ratio=<x>
RESULT board_page_p95 <ms> ms baseline=<ms> ratio=<x>
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "zq_bench_board"
BASE_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{BASE_URL}/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("ZQ_VAR_DIR", "/tmp/zq-bench-board")

import psycopg  # noqa: E402

# Per pack: (target step, deadline) pairs that run per household. Yongzhou households get its
# payment clock and two forced-vacate periods; Putian its (optional) objection window; Banan the
# certificate clock.
COMBOS = {
    "yongzhou-linkage": [("paid", "household_payment", "household"),
                         ("compensation_decision", "compensation_decision", "forced_vacate"),
                         ("order_to_hand_over", "order_to_hand_over", "forced_vacate")],
    "putian-2014": [("survey_objection", "survey_objection", "household")],
    "banan-2015": [("property_certificate", "property_certificate", "household")],
}
PACKS = ["yongzhou-linkage"] * 8 + ["putian-2014", "banan-2015"]  # 80 % / 10 % / 10 % of projects
PROJECTS = 300
ANCHOR_DAYS = 60  # anchors spread over the last 60 days


def ensure_database() -> None:
    with psycopg.connect(f"{BASE_URL}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def column_expressions(model, overrides: dict[str, str]) -> tuple[list[str], list[str]]:
    """Every concrete column of ``model`` with an SQL expression (overrides, else NULL for
    nullable, else the field's default, else a neutral value by type), so the load follows the
    model as other engineers change it."""
    from django.db import models

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.column in overrides:
            values.append(overrides[field.column])
        elif field.null:
            values.append("NULL")
        elif field.has_default() and not callable(field.default):
            default = field.default
            values.append(("true" if default else "false") if isinstance(default, bool) else
                          (str(default) if isinstance(default, int) else "'" + str(default).replace("'", "''") + "'"))
        elif isinstance(field, models.BooleanField):
            values.append("false")
        elif isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
            values.append("0")
        elif isinstance(field, models.DateTimeField):
            values.append("now()")
        elif isinstance(field, models.DateField):
            values.append("current_date")
        elif isinstance(field, models.JSONField):
            values.append("'{}'::jsonb")
        else:
            values.append("''")
    return columns, values


def load(rows_wanted: int, today: date) -> None:
    from django.db import connection, transaction

    from zhengqian.core.actions import jurisdiction_create
    from zhengqian.core.models import Jurisdiction, Role, User
    from zhengqian.core.packs import pack as cached_pack
    from zhengqian.households.models import Household
    from zhengqian.procedure import engine
    from zhengqian.procedure.models import ProcedureStep
    from zhengqian.projects.models import Project

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procedure_proceduredocument, procedure_procedurestep, procedure_stepevidence, "
                       "procedure_overdueevent, procedure_notification, households_household, "
                       "projects_project, projects_project_townships CASCADE")
    with transaction.atomic():
        district = Jurisdiction.objects.filter(code="500113").first() or jurisdiction_create(
            actor=None, code="500113", name="巴南区", parent=None)
        villages = []
        for t in range(3):
            code = f"50011310{t}"
            township = Jurisdiction.objects.filter(code=code).first() or jurisdiction_create(
                actor=None, code=code, name=f"镇{t}", parent=district)
            for v in range(10):
                vcode = f"{code}2{v:02d}"
                villages.append(Jurisdiction.objects.filter(code=vcode).first() or jurisdiction_create(
                    actor=None, code=vcode, name=f"镇{t}村{v}", parent=township))
        office = User.objects.filter(username="bench_office").first() or User.objects.create_user(
            username="bench_office", password="Bench#2026pass", role=Role.EXPROPRIATION_OFFICE, jurisdiction=district)
        from django.utils import timezone

        stamp = timezone.now()
        projects = Project.objects.bulk_create([
            Project(code=f"BENCH-{n:04d}", name=f"基准项目{n}", owner_name="业主", district=district, land_area=1000,
                    policy_pack=PACKS[n % len(PACKS)], status="in_progress", created_by=office, created_at=stamp,
                    updated_at=stamp)
            for n in range(PROJECTS)
        ])
        through = Project.townships.through
        townships = list(Jurisdiction.objects.filter(level="township", parent=district).order_by("code"))
        through.objects.bulk_create([through(project_id=p.pk, jurisdiction_id=townships[n % 3].pk)
                                     for n, p in enumerate(projects)])
    # households: enough that the per-pack combos add up to rows_wanted
    per_household = sum(len(COMBOS[PACKS[n % len(PACKS)]]) for n in range(PROJECTS)) / PROJECTS
    households_total = int(rows_wanted / per_household) + 1
    per_project = households_total // PROJECTS + 1
    village_of_township = {t.pk: [v.pk for v in villages if v.parent_id == t.pk] for t in townships}
    project_rows = [(p.pk, village_of_township[townships[n % 3].pk]) for n, p in enumerate(projects)]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_project (idx int, project_id bigint, village_ids bigint[])")
        cursor.executemany("INSERT INTO bench_project VALUES (%s, %s, %s)",
                           [(n, pk, vids) for n, (pk, vids) in enumerate(project_rows)])
        columns, values = column_expressions(Household, {
            "project_id": "bp.project_id",
            "code": "'H-' || g",
            "head_name": "'户主' || g",
            "village_id": "bp.village_ids[1 + mod(g, array_length(bp.village_ids, 1))]",
            "created_by_id": str(office.pk),
        })
        cursor.execute(
            f"INSERT INTO households_household ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM generate_series(0, %s) AS g "
            f"JOIN bench_project bp ON bp.idx = g / %s",
            [per_project * PROJECTS - 1, per_project],
        )
    # the due dates of every (pack, deadline, anchor): the legal core's, joined in
    calendar = engine.calendar()
    due_rows = []
    for pack_code, combos in COMBOS.items():
        pack = cached_pack(pack_code)
        for _, deadline, _ in combos:
            for back in range(ANCHOR_DAYS + 1):
                anchor = today - timedelta(days=back)
                due, provisional = engine.due_from(pack, calendar, deadline, anchor)
                due_rows.append((pack_code, deadline, back, due, provisional, pack.deadline(deadline).citation.label))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_due (pack text, deadline text, back int, due date, prov bool, "
                       "clause text)")
        cursor.executemany("INSERT INTO bench_due VALUES (%s, %s, %s, %s, %s, %s)", due_rows)
        cursor.execute("CREATE TEMP TABLE bench_combo (pack text, k int, code text, deadline text, scope text, "
                       "ord int)")
        cursor.executemany("INSERT INTO bench_combo VALUES (%s, %s, %s, %s, %s, %s)", [
            (pack_code, k, code, deadline, scope, cached_pack(pack_code).step(code).order)
            for pack_code, combos in COMBOS.items() for k, (code, deadline, scope) in enumerate(combos)])
        columns, values = column_expressions(ProcedureStep, {
            "project_id": "h.project_id", "household_id": "h.id", "scope": "c.scope", "code": "c.code",
            "order": "c.ord", "optional": "(c.code = 'survey_objection')",
            "status": "CASE WHEN mod(h.id + c.k, 4) = 0 THEN 'in_progress' ELSE 'not_started' END",
            "started_on": "CASE WHEN mod(h.id + c.k, 4) = 0 THEN %(today)s::date - d.back ELSE NULL END",
            "deadline_code": "c.deadline", "anchor_on": "%(today)s::date - d.back",
            # 0.1 % stale (as after a holiday notice is loaded): the scan rewrites them
            "due_on": "CASE WHEN mod(h.id * 7 + c.k, 1000) = 0 THEN d.due + 1 ELSE d.due END",
            "due_provisional": "d.prov", "due_clause": "d.clause",
            "overdue_since": "CASE WHEN d.due < %(today)s::date - 1 AND c.code <> 'survey_objection' AND NOT d.prov "
                             "THEN d.due + 1 ELSE NULL END",
            "jurisdiction_path": "v.path", "updated_at": "now()", "overridden_gates": "'[]'::jsonb",
        })
        cursor.execute(
            f'INSERT INTO procedure_procedurestep ({", ".join(columns)}) '
            f"SELECT {', '.join(values)} FROM households_household h "
            "JOIN projects_project p ON p.id = h.project_id "
            "JOIN core_jurisdiction v ON v.id = h.village_id "
            "JOIN bench_combo c ON c.pack = p.policy_pack "
            "JOIN bench_due d ON d.pack = c.pack AND d.deadline = c.deadline "
            f"AND d.back = mod(h.id * 31 + c.k * 17, {ANCHOR_DAYS + 1}) "
            "WHERE p.code LIKE 'BENCH-%%' ORDER BY h.id, c.k LIMIT %(limit)s",
            {"today": today, "limit": rows_wanted},
        )
        cursor.execute("ANALYZE")
    print(f"INFO loaded {ProcedureStep.objects.count()} open steps, {Household.objects.count()} households "
          f"in {time.perf_counter() - started:.1f} s", flush=True)


def time_scan(today: date) -> tuple[float, float, float]:
    from django.db import transaction
    from django.urls import reverse

    from zhengqian.procedure.models import ProcedureStep
    from zhengqian.procedure.scan import procedure_scan

    reverse("procedure:board")  # load the URLconf (process start-up, not scan work)
    with transaction.atomic():
        started = time.perf_counter()
        report = procedure_scan(today=today, ensure=False)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    print(f"INFO scan: {report}", flush=True)
    # the row-completion pass alone (its two grouped counts decide nothing is missing here only
    # when every household has all its rows; the bench's households carry just their clocks,
    # so time the counts, not the inserts)
    from django.db.models import Count

    from zhengqian.households.models import Household

    started = time.perf_counter()
    dict(Household.objects.values_list("project_id").annotate(n=Count("id")).order_by())
    dict(ProcedureStep.objects.values_list("project_id").annotate(n=Count("id")).order_by())
    counts = time.perf_counter() - started
    # baseline: the same rows fetched, a plain timedelta per row
    started = time.perf_counter()
    rows = ProcedureStep.objects.filter(status__in=["not_started", "in_progress"], anchor_on__isnull=False).values_list(
        "anchor_on", "id")
    plain = [anchor + timedelta(days=90) for anchor, _ in rows.iterator(chunk_size=20000)]
    baseline = time.perf_counter() - started
    assert len(plain) >= 1
    return seconds, baseline, counts


def time_board(runs: int) -> tuple[float, float]:
    from django.db import connection

    from zhengqian.core.models import Jurisdiction, User
    from zhengqian.procedure import selectors
    from zhengqian.projects.models import Project

    user = User.objects.get(username="bench_office")
    projects = list(Project.objects.filter(code__startswith="BENCH-").values_list("pk", flat=True))
    townships = list(Jurisdiction.objects.filter(level="township", parent__code="500113").order_by("code"))
    variants = [
        {}, {"overdue_only": True}, {"code": "order_to_hand_over"}, {"code": "property_certificate"},
        {"project_id": projects[7]}, {"project_id": projects[9]}, {"township_id": townships[1].pk},
    ]
    ours, raw = [], []
    for n in range(runs):
        variant = variants[n % len(variants)]
        page = 1 + (n // len(variants)) % 5
        started = time.perf_counter()
        qs = selectors.board_steps(user=user, **variant)
        rows, _ = selectors.board_page(qs, page)
        selectors.board_overdue_count(qs)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            where, params = ["s.status IN ('not_started','in_progress')", "s.due_on IS NOT NULL",
                             "NOT (s.optional AND s.due_on < current_date)"], []
            if variant.get("overdue_only"):
                where.append("s.due_on < current_date AND NOT s.due_provisional AND NOT s.optional")
            if variant.get("code"):
                where.append("s.code = %s")
                params.append(variant["code"])
            if variant.get("project_id"):
                where.append("s.project_id = %s")
                params.append(variant["project_id"])
            if variant.get("township_id"):
                where.append("s.jurisdiction_path LIKE %s")
                params.append(Jurisdiction.objects.get(pk=variant["township_id"]).path + "%")
            cursor.execute(
                "SELECT s.id, s.code, s.due_on, p.code, h.code, h.head_name, v.name FROM procedure_procedurestep s "
                "JOIN projects_project p ON p.id = s.project_id LEFT JOIN households_household h ON h.id = "
                "s.household_id LEFT JOIN core_jurisdiction v ON v.id = h.village_id WHERE " + " AND ".join(where)
                + " ORDER BY s.due_on, s.id LIMIT 51 OFFSET %s", [*params, (page - 1) * 50])
            cursor.fetchall()
        raw.append(time.perf_counter() - started)
        assert rows is not None

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[18] * 1000

    return p95(ours), p95(raw)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=70)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    ensure_database()
    setup_django()
    from zhengqian.core import clock
    from zhengqian.procedure.models import ProcedureStep

    today = clock.today()
    have = ProcedureStep.objects.filter(project__code__startswith="BENCH-").count()
    stamp = ProcedureStep.objects.filter(project__code__startswith="BENCH-").order_by("-anchor_on").values_list(
        "anchor_on", flat=True).first()
    if args.reload or have != args.rows or stamp != today:
        load(args.rows, today)
    seconds, baseline, counts = time_scan(today)
    print(f"INFO row-completion counts (ensure pass, nothing missing) {counts:.3f} s", flush=True)
    print(f"RESULT board_scan {seconds:.3f} s baseline={baseline:.3f} ratio={seconds / baseline:.2f}", flush=True)
    ours, raw = time_board(args.runs)
    print(f"RESULT board_page_p95 {ours:.1f} ms baseline={raw:.1f} ratio={ours / raw:.2f}", flush=True)


if __name__ == "__main__":
    main()
