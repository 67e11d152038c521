"""The project map's data: parcels as GeoJSON by viewport, simplified by zoom, and the boundary.

A project may have 50,000 parcels; the map asks only for its viewport (`bbox`, matched with
the indexed bounding-box columns of Parcel) and gets at most `limit` features, the largest
first, each simplified with a tolerance of half a screen pixel at the requested zoom
(Web Mercator: 360° / (256 · 2^zoom) per pixel). Shapes are parsed, simplified and written
back with shapely's vectorised functions, so the cost is per request, not per feature in Python.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy
import shapely
from django.apps import apps
from django.core.cache import cache
from django.db.models import Case, CharField, Count, Exists, F, Max, OuterRef, QuerySet, TextField, Value, When
from django.db.models.functions import Cast

from zhengqian.core.models import User
from zhengqian.projects.models import Project

from .models import Parcel, SurveyState
from .selectors import parcels_for

DEFAULT_LIMIT = 2000
MAX_LIMIT = 5000
MIN_ZOOM, MAX_ZOOM = 0, 22
UNSURVEYED_COLLECTIVE = "collective"
AGREEMENT_DRAFT = "agreement_draft"
AGREEMENT_SIGNED = "agreement_signed"


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """"west,south,east,north" in degrees; ValueError with a Chinese message otherwise."""
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise ValueError("bbox 应为“西,南,东,北”四个经纬度数字。") from None
        if not all(numpy.isfinite([west, south, east, north])):
            raise ValueError("bbox 应为有限的数字。")
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValueError("bbox 范围无效：应满足 -180 ≤ 西 ≤ 东 ≤ 180，-90 ≤ 南 ≤ 北 ≤ 90。")
        return cls(west, south, east, north)


def tolerance_for(zoom: int) -> float:
    """Half a pixel in degrees at `zoom`; 0 at street level, where shapes are shown as drawn."""
    if zoom >= 19:
        return 0.0
    return 360.0 / (256 * 2**zoom) / 2


def _simplified(texts: Sequence[str], tolerance: float) -> list[str]:
    geometries = shapely.from_geojson(numpy.asarray(texts, dtype=object), on_invalid="ignore")
    if tolerance > 0:
        geometries = shapely.simplify(geometries, tolerance, preserve_topology=True)
    return list(shapely.to_geojson(geometries))


def parcels_geojson(
    *, user: User, project: Project, bbox: BBox | None, zoom: int, limit: int = DEFAULT_LIMIT
) -> str:
    """GeoJSON text of a FeatureCollection of the visible parcels in `bbox`, at most `limit`,
    largest first.

    `properties`: id, code, land class, area, household id/code/head and `state` (see
    `_with_state`). The answer also says how many matched (`total`) and whether the list was
    cut (`truncated`)."""
    zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
    limit = max(1, min(MAX_LIMIT, limit))
    qs = parcels_for(user=user, project_id=project.pk).filter(bbox_west__isnull=False)
    if bbox is not None:
        qs = qs.filter(
            bbox_west__lte=bbox.east, bbox_east__gte=bbox.west, bbox_south__lte=bbox.north, bbox_north__gte=bbox.south
        )
    # First the keys, from the covering index only; then the shapes of just those parcels.
    keys = list(qs.order_by("-area", "pk").values_list("pk", flat=True)[: limit + 1])
    truncated = len(keys) > limit
    keys = keys[:limit]
    total = qs.order_by().count() if truncated else len(keys)
    position = {key: index for index, key in enumerate(keys)}
    rows = sorted(
        _with_state(Parcel.objects.filter(pk__in=keys).order_by())
        .annotate(shape=Cast("geometry", TextField()))
        .values_list("pk", "code", "land_class", "area", "household_id", "household__code", "household__head_name",
                     "state", "shape"),
        key=lambda row: position[row[0]],
    )
    shapes = _simplified([row[8] for row in rows], tolerance_for(zoom))
    features = []
    for row, shape in zip(rows, shapes, strict=True):
        if shape is None:
            continue
        properties = {
            "id": row[0],
            "code": row[1],
            "land_class": row[2],
            "area": str(row[3]),
            "household_id": row[4],
            "household_code": row[5] or "",
            "head_name": row[6] or "",
            "state": row[7] or UNSURVEYED_COLLECTIVE,
        }
        encoded = json.dumps(properties, ensure_ascii=False)
        features.append(f'{{"type":"Feature","geometry":{shape},"properties":{encoded}}}')
    meta = {"total": total, "returned": len(features), "truncated": truncated, "zoom": zoom,
            "tolerance": tolerance_for(zoom)}
    # Written as text: parsing thousands of shapes only to serialise them again costs more
    # than the query.
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]," + json.dumps(meta)[1:]


def project_boundary(*, project: Project) -> dict[str, Any]:
    """The project's boundary: the convex hull of all its parcels (no boundary is stored yet).

    Cached until a parcel is added, removed or edited."""
    parcels = Parcel.objects.filter(project=project, bbox_west__isnull=False)
    stamp = parcels.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    key = f"project-boundary:{project.pk}:{stamp['n']}:{stamp['top']}:{last}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    texts = list(parcels.annotate(shape=Cast("geometry", TextField())).values_list("shape", flat=True))
    feature: dict[str, Any] = {"type": "Feature", "geometry": None,
                               "properties": {"project": project.pk, "parcels": len(texts), "kind": "convex_hull"}}
    if texts:
        geometries = shapely.from_geojson(numpy.asarray(texts, dtype=object), on_invalid="ignore")
        hull = shapely.convex_hull(shapely.geometrycollections(geometries[~shapely.is_missing(geometries)]))
        feature["geometry"] = json.loads(shapely.to_geojson(hull))
        feature["properties"]["bbox"] = list(hull.bounds)
    cache.set(key, feature, timeout=3600)
    return feature


def _with_state(qs: QuerySet[Parcel]) -> QuerySet[Parcel]:
    """Annotate `state`, the colour of a parcel: its household's compensation agreement when
    there is one ("agreement_signed" / "agreement_draft"), else the household's survey state,
    or "collective" for a parcel without a contracting household."""
    cases = []
    if apps.is_installed("zhengqian.compensation"):
        agreements = apps.get_model("compensation", "Agreement").objects.filter(
            household_id=OuterRef("household_id"), kind="original"
        )
        cases = [
            When(Exists(agreements.filter(status="signed")), then=Value(AGREEMENT_SIGNED)),
            When(Exists(agreements), then=Value(AGREEMENT_DRAFT)),
        ]
    return qs.annotate(
        state=Case(
            When(household_id__isnull=True, then=Value(UNSURVEYED_COLLECTIVE)),
            *cases,
            default=F("household__survey_state"),
            output_field=CharField(),
        )
    )


def legend() -> list[tuple[str, str]]:
    return [
        *SurveyState.choices,
        (AGREEMENT_DRAFT, "协议待签"),
        (AGREEMENT_SIGNED, "协议已签"),
        (UNSURVEYED_COLLECTIVE, "集体地块（无承包户）"),
    ]


def state_counts(*, user: User, project: Project) -> dict[str, int]:
    """Parcels per colour of the legend."""
    counts = {state: 0 for state, _ in legend()}
    rows = _with_state(parcels_for(user=user, project_id=project.pk).order_by()).values("state").annotate(n=Count("pk"))
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + row["n"]
    return counts
