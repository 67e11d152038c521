"""Benchmark: the project map's parcel endpoint with 50,000 parcels in one project.

The bench migrates its own database (SQLite file, or --database-url), loads 50,000 parcels of
24 vertices each on a grid, then asks `geo.parcels_geojson` (what GET
/api/v1/projects/{id}/parcels.geojson runs) for ~40 viewports: the whole project at zoom 12
(truncated to the 2,000 largest), a quarter at zoom 14, a street block at zoom 17, and times
each. Baseline: the same rows (same bbox filter, order and limit) fetched with raw SQL as
GeoJSON text, without scope checks, colours, simplification or assembly.

Usage: python bench/parcel_map.py [--parcels N] [--database-url URL]
RESULT parcel_map <p95 ms> ms baseline=<p95 ms> ratio=<x>
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = 250  # parcels per grid row
STEP = 0.0005  # degrees between parcel origins
RADIUS = 0.0002


def _setup(workdir: Path, database_url: str | None) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'map.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _shape(index: int) -> dict[str, object]:
    """A 24-gon around the index-th grid point near (106.4, 29.3)."""
    x = 106.4 + (index % COLUMNS) * STEP
    y = 29.3 + (index // COLUMNS) * STEP
    angles = [2 * math.pi * k / 24 for k in range(24)]
    ring = [[round(x + RADIUS * math.cos(a), 7), round(y + RADIUS * math.sin(a), 7)] for a in angles]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _load(parcels: int):
    from django.db import transaction

    from zhengqian.core import clock
    from zhengqian.core.actions import jurisdiction_create
    from zhengqian.core.models import User
    from zhengqian.households.excel import bulk
    from zhengqian.households.models import Parcel, geometry_extent
    from zhengqian.projects.actions import project_create

    district = jurisdiction_create(actor=None, code="500113", name="巴南区", parent=None)
    township = jurisdiction_create(actor=None, code="500113110", name="界石镇", parent=district)
    village = jurisdiction_create(actor=None, code="500113110201", name="一村", parent=township)
    office = User.objects.create_user(username="map_office", password="x", role="expropriation_office",
                                      jurisdiction=district)
    project = project_create(actor=office, code="MAP-1", name="地图基准", owner_name="x", district=district,
                             townships=[township], land_area="1", policy_pack="putian-2014")
    now = clock.now()
    rows = []
    for index in range(parcels):
        shape = _shape(index)
        west, south, east, north = geometry_extent(shape)
        rows.append({
            "project_id": project.pk, "code": f"DK{index:06d}", "village_id": village.pk, "household_id": None,
            "ownership": "collective", "land_class": "0101", "area": 400 + index % 300,
            "geometry": json.dumps(shape), "bbox_west": west, "bbox_south": south, "bbox_east": east,
            "bbox_north": north, "created_at": now, "updated_at": now,
        })
    with transaction.atomic():
        bulk.insert(Parcel, rows)
    return office, project


def _viewports(parcels: int, count: int) -> list[tuple[tuple[float, float, float, float], int]]:
    rng = random.Random(3)
    rows = math.ceil(parcels / COLUMNS)
    width, height = COLUMNS * STEP, rows * STEP
    views = []
    for index in range(count):
        zoom, share = ((12, 1.0), (14, 0.25), (17, 0.02))[index % 3]
        w, h = width * share, height * share
        x = 106.4 + rng.uniform(0, max(width - w, 0))
        y = 29.3 + rng.uniform(0, max(height - h, 0))
        views.append(((x, y, x + w, y + h), zoom))
    return views


def _raw(cursor, project_id: int, bbox: tuple[float, float, float, float], limit: int) -> int:
    """The same rows with plain SQL: the keys from the bounding-box index, then their shapes."""
    cursor.execute(
        "SELECT id FROM households_parcel WHERE project_id = %s AND bbox_west IS NOT NULL AND bbox_west <= %s "
        "AND bbox_east >= %s AND bbox_south <= %s AND bbox_north >= %s ORDER BY area DESC, id LIMIT %s",
        [project_id, bbox[2], bbox[0], bbox[3], bbox[1], limit],
    )
    keys = [row[0] for row in cursor.fetchall()]
    if not keys:
        return 0
    marks = ", ".join("%s" for _ in keys)
    cursor.execute(
        f"SELECT id, code, land_class, area, household_id, geometry FROM households_parcel WHERE id IN ({marks})",
        keys,
    )
    return len(cursor.fetchall())


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=42)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zq-bench-map-") as directory:
        _setup(Path(directory), args.database_url)
        from django.db import connection

        from zhengqian.households import geo

        office, project = _load(args.parcels)
        views = _viewports(args.parcels, args.requests)
        ours, base, sizes = [], [], []
        with connection.cursor() as cursor:
            for bbox, zoom in views[:3]:
                geo.parcels_geojson(user=office, project=project, bbox=geo.BBox(*bbox), zoom=zoom)
                _raw(cursor, project.pk, bbox, geo.DEFAULT_LIMIT + 1)
            for bbox, zoom in views:
                began = time.perf_counter()
                text = geo.parcels_geojson(user=office, project=project, bbox=geo.BBox(*bbox), zoom=zoom)
                ours.append(time.perf_counter() - began)
                sizes.append(len(text))
                began = time.perf_counter()
                _raw(cursor, project.pk, bbox, geo.DEFAULT_LIMIT + 1)
                base.append(time.perf_counter() - began)
        print(f"# {connection.vendor}: {args.parcels} parcels, {len(views)} viewports (zoom 12/14/17), "
              f"≤{geo.DEFAULT_LIMIT} features each; median {statistics.median(ours) * 1000:.0f} ms, "
              f"largest answer {max(sizes) / 1024:.0f} KiB", file=sys.stderr)
        print(f"RESULT parcel_map {_p95(ours):.1f} ms baseline={_p95(base):.1f} ratio={_p95(ours) / _p95(base):.2f}")


if __name__ == "__main__":
    main()
