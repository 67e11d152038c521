"""Benchmark: re-price 10,000 households (about 11 lines each) after a standard change.

On PostgreSQL: the bench drops and creates its own database ``zq_bench_recompute``, migrates
it, bulk-creates one project of N confirmed households (3 members, a paddy parcel and a
homestead, one or two buildings, a well and fruit trees, rice), approves a first standard
(which prices everyone, untimed), then times the approval of a second version that raises one
house rate: ``standard_approve`` with its re-pricing job — every household's inputs loaded in
bulk, priced by the pure domain, diffed against its previous valuation, new Valuation and
ValuationLine rows bulk-created, the diff rows stored.

Baseline, in the same run: the pure domain pricing alone (``price()`` over the same inputs,
already in memory) — the least any re-pricing can cost.

Usage: python bench/recompute.py [--households N] [--server postgres://postgres@127.0.0.1:5432]
→ one line: RESULT recompute <seconds> s baseline=<seconds> ratio=<x>
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "zq_bench_recompute"


def _setup(server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = f"{server}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.COMPENSATION_REPRICE_IN_BACKGROUND = False
    call_command("migrate", verbosity=0, interactive=False)


def _data(households: int) -> tuple[Any, Any, Any]:
    from zhengqian.core import clock
    from zhengqian.core.actions import jurisdiction_create
    from zhengqian.core.models import User
    from zhengqian.households.models import Attachment, Building, Crop, Household, HouseholdMember, Parcel
    from zhengqian.projects.actions import project_create

    district = jurisdiction_create(actor=None, code="500113", name="巴南区", parent=None)
    township = jurisdiction_create(actor=None, code="500113110", name="界石镇", parent=district)
    villages = [jurisdiction_create(actor=None, code=f"500113110{200 + v}", name=f"{v + 1}村", parent=township)
                for v in range(10)]
    office = User.objects.create_user(username="bench_office", password="Passw0rd!2026", role="expropriation_office",
                                      jurisdiction=district)
    leader = User.objects.create_user(username="bench_leader", password="Passw0rd!2026", role="leadership_office",
                                      jurisdiction=district)
    project = project_create(actor=office, code="BENCH-RECOMPUTE", name="重新计价基准", owner_name="基准",
                             district=district, townships=[township], land_area="10000000", policy_pack="banan-2015")
    now = clock.now()
    stamp = {"created_at": now, "updated_at": now}
    rows = [
        Household(project=project, code=f"H{n:05d}", head_name=f"户主{n}", village=villages[n % 10],
                  survey_state="confirmed", created_by=office, **stamp)
        for n in range(households)
    ]
    created = Household.objects.bulk_create(rows, batch_size=5000)
    members, parcels, buildings, attachments, crops = [], [], [], [], []
    for n, household in enumerate(created):
        village = villages[n % 10]
        for m in range(3):
            members.append(HouseholdMember(household=household, project=project, name=f"成员{n}-{m}",
                                           relation="head" if m == 0 else "child", **stamp))
        parcels.append(Parcel(project=project, code=f"{household.code}-DK1", village=village, household=household,
                              land_class="0101", area=Decimal(1000 + n % 900), **stamp))
        parcels.append(Parcel(project=project, code=f"{household.code}-DK2", village=village, household=household,
                              land_class="0702", area=Decimal("180.50"), **stamp))
        buildings.append(Building(project=project, code=f"{household.code}-FW1", household=household,
                                  structure="brick_concrete", floor_area=Decimal(90 + n % 80), **stamp))
        if n % 2:
            buildings.append(Building(project=project, code=f"{household.code}-FW2", household=household,
                                      structure="simple", use="ancillary", floor_area=Decimal("18.50"), **stamp))
        attachments.append(Attachment(project=project, code=f"{household.code}-FZ1", household=household,
                                      kind="well", quantity=Decimal(1), unit="mouth", **stamp))
        attachments.append(Attachment(project=project, code=f"{household.code}-FZ2", household=household,
                                      kind="tree", quantity=Decimal(5 + n % 20), unit="plant", **stamp))
        crops.append(Crop(project=project, code=f"{household.code}-QM1", household=household, kind="水稻",
                          quantity=Decimal(600 + n % 300), unit="m2", **stamp))
    for model, items in ((HouseholdMember, members), (Parcel, parcels), (Building, buildings),
                         (Attachment, attachments), (Crop, crops)):
        model.objects.bulk_create(items, batch_size=5000)
    return office, leader, project


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


RATES = [
    ("land_compensation", "land_0101", "水田", "mu", "45000", "collective"),
    ("land_compensation", "land_0702", "宅基地", "m2", "60", "collective"),
    ("resettlement_subsidy", "resettlement_subsidy", "安置补助费", "person", "30000", "household"),
    ("house", "house_brick_concrete_residential", "砖混住宅", "m2", "1200", "owner"),
    ("house", "house_simple_ancillary", "简易附属房", "m2", "300", "owner"),
    ("attachment", "attachment_well", "水井", "item", "800", "owner"),
    ("attachment", "attachment_tree", "零星果树", "plant", "120", "owner"),
    ("standing_crop", "crop_水稻", "水稻", "m2", "2.5", "contractor"),
    ("relocation", "relocation", "搬迁费", "household", "2000", "household"),
    ("transition", "transition", "过渡费", "month", "800", "household"),
    ("social_security", "social_security", "社会保障费", "person", "10000", "household"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    _setup(args.server)

    from zhengqian.compensation import actions
    from zhengqian.compensation.actions.valuations import standard_for_pricing
    from zhengqian.compensation.inputs import Terms, household_inputs
    from zhengqian.compensation.models import RepricingJob, Valuation, ValuationLine
    from zhengqian.core import clock
    from zhengqian.core.packs import pack
    from zhengqian.domain.compensation import price
    from zhengqian.households.models import Household

    with clock.frozen(date(2026, 3, 2)):
        office, leader, project = _data(args.households)
        first = actions.standard_create(actor=office, project=project, reason="首版", transition_months_default=6)
        for category, item, name, unit, amount, payee in RATES:
            actions.rate_set(actor=office, standard=first, category=category, item=item, name=name, unit=unit,
                             amount_value=amount, payee=payee, clause="banan-2015 (五)")
        actions.standard_submit(actor=office, standard=first)
        actions.standard_approve(actor=leader, standard=first, approval_reference="基准 1")  # prices everyone
        second = actions.standard_create(actor=office, project=project, reason="砖混住宅单价上调")
        rate = second.rates.get(item="house_brick_concrete_residential")
        actions.rate_set(actor=office, standard=second, category=rate.category, item=rate.item, name=rate.name,
                         unit=rate.unit, amount_value="1300", payee=rate.payee, clause=rate.clause, rate=rate)
        actions.standard_submit(actor=office, standard=second)
        _analyze()  # as autovacuum would have done in the weeks between pricing and a new standard

        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        actions.standard_approve(actor=leader, standard=second, approval_reference="基准 2")
        elapsed = time.perf_counter() - started
        if os.environ.get("BENCH_PROFILE"):
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)

        job = RepricingJob.objects.get(standard=second)
        assert job.status == "done" and job.done == args.households, (job.status, job.done, job.message)
        assert job.changed == args.households and job.changes.count() == args.households
        lines = ValuationLine.objects.filter(valuation__job=job).count()

        households = dict(Household.objects.filter(project=project).values_list("id", "code"))
        inputs = household_inputs(list(households), households, {pk: Terms() for pk in households})
        standard = standard_for_pricing(second)
        policy = pack(project.policy_pack)
        started = time.perf_counter()
        for item in inputs.values():
            price(standard, item, pack=policy)
        baseline = time.perf_counter() - started
        valuations = Valuation.objects.filter(project=project).count()
    print(f"# {args.households} households, {lines} lines re-priced ({lines / args.households:.1f} per household), "
          f"{job.changed} changed in the diff, {valuations} valuations stored", file=sys.stderr)
    print(f"RESULT recompute {elapsed:.2f} s baseline={baseline:.2f} ratio={elapsed / baseline:.1f}")


if __name__ == "__main__":
    main()
