"""Benchmark: import a register workbook of N households (default 50,000).

Each household has 3 members, 2 parcels (with shapes), 1 building and 2 attachments/crops,
so 50,000 households are 450,000 rows in five sheets. The bench generates the workbook,
migrates a fresh SQLite database of its own, then times `household_import` (safety checks,
python-calamine read, validation of every cell and reference, ID encryption, bulk insert in
one transaction, one audit event).

Baseline, in the same run: python-calamine reading the same workbook plus inserting the same
rows, as plain strings, into plain tables (sqlite3 module, CREATE TABLE without constraints,
executemany in one transaction) — the least any import of this file can cost.

Usage: python bench/import.py [--households N] [--database-url URL]   → one line:
RESULT import <seconds> s baseline=<seconds> ratio=<x>
"""

from __future__ import annotations

import argparse
import itertools
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(workdir: Path, database_url: str | None) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _fixtures():
    from zhengqian.core.actions import jurisdiction_create
    from zhengqian.core.models import Jurisdiction, User
    from zhengqian.projects.actions import project_create

    district = Jurisdiction.objects.filter(code="500113").first() or jurisdiction_create(
        actor=None, code="500113", name="巴南区", parent=None
    )
    places = []
    townships = []
    for t, (code, name) in enumerate((("500113110", "界石镇"), ("500113005", "南泉街道"))):
        township = Jurisdiction.objects.filter(code=code).first() or jurisdiction_create(
            actor=None, code=code, name=name, parent=district
        )
        townships.append(township)
        for v in range(5):
            village = Jurisdiction.objects.filter(code=f"{code}2{v:02d}").first() or jurisdiction_create(
                actor=None, code=f"{code}2{v:02d}", name=f"{name}{v + 1}村", parent=township
            )
            for g in range(3):
                group = Jurisdiction.objects.filter(code=f"{village.code}{g:03d}").first() or jurisdiction_create(
                    actor=None, code=f"{village.code}{g:03d}", name=f"{g + 1}组", parent=village
                )
                places.append((township.name, village.name, group.name))
        del t
    office = User.objects.filter(username="bench_office").first() or User.objects.create_user(
        username="bench_office", password="Passw0rd!2026", role="expropriation_office", jurisdiction=district
    )
    project = project_create(
        actor=office, code=f"BENCH-{time.time_ns()}", name="导入基准", owner_name="基准", district=district,
        townships=townships, land_area="1000000", policy_pack="putian-2014",
    )
    return office, project, places


def baseline(path: Path, workdir: Path) -> tuple[float, int]:
    """calamine read of every sheet + plain sqlite3 inserts of the same rows."""
    import python_calamine

    database = workdir / "baseline.sqlite3"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    connection = sqlite3.connect(database)
    rows_total = 0
    with connection:
        for index, name in enumerate(workbook.sheet_names):
            rows = workbook.get_sheet_by_name(name).to_python()
            header, data = rows[0], rows[1:]
            columns = ", ".join(f"c{i}" for i in range(len(header)))
            connection.execute(f"CREATE TABLE t{index} (id INTEGER PRIMARY KEY, {columns})")
            marks = ", ".join("?" for _ in header)
            connection.executemany(f"INSERT INTO t{index} ({columns}) VALUES ({marks})", data)
            rows_total += len(data)
    connection.close()
    workbook.close()
    return time.perf_counter() - started, rows_total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--profile", action="store_true", help="cProfile the import (slower)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zq-bench-import-") as directory:
        workdir = Path(directory)
        _setup(workdir, args.database_url)
        from zhengqian.households.excel.sample import sample_register, write_workbook
        from zhengqian.households.imports import household_import

        office, project, places = _fixtures()
        path = workdir / "register.xlsx"
        write_workbook(path, sample_register(args.households, places))
        size_mb = path.stat().st_size / 1024 / 1024

        # On a shared machine the load drifts: the baseline runs before and after the import and
        # the faster of the two counts, so a burst of load cannot flatter the ratio.
        base_seconds, rows = baseline(path, workdir)

        started = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        marks: list[tuple[str, float]] = []

        def progress(phase: str, done: int, total: int) -> None:
            if not marks or marks[-1][0] != phase:
                marks.append((phase, time.perf_counter()))

        outcome = household_import(actor=office, project=project, path=path, file_name=path.name, progress=progress)
        seconds = time.perf_counter() - started
        marks.append(("end", time.perf_counter()))
        phases = ", ".join(f"{name} {end - begin:.2f}" for (name, begin), (_, end) in itertools.pairwise(marks))
        print(f"# phases (s): {phases}", file=sys.stderr)
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        if not outcome.ok:
            raise SystemExit(f"import failed: {outcome.batch.message} {outcome.issues[:5]}")
        base_seconds = min(base_seconds, baseline(path, workdir)[0])
        print(
            f"# {args.households} households, {rows} rows, {size_mb:.1f} MB workbook; counts {outcome.batch.counts}",
            file=sys.stderr,
        )
        print(f"RESULT import {seconds:.2f} s baseline={base_seconds:.2f} ratio={seconds / base_seconds:.2f}")


if __name__ == "__main__":
    main()
