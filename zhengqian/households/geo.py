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
    if not texts:
        return []
    geometries = shapely.from_geojson(numpy.asarray(texts, dtype=object), on_invalid="ignore")
    if tolerance > 0:
        # Plain Douglas–Peucker (a dozen times faster than the topology-preserving variant): the
        # result is only drawn, and a shape it collapses is drawn as it was.
        simplified = shapely.simplify(geometries, tolerance, preserve_topology=False)
        geometries = numpy.where(shapely.is_empty(simplified), geometries, simplified)
    return list(shapely.to_geojson(geometries))


def parcels_geojson(
    *, user: User, project: Project, bbox: BBox | None, zoom: int, limit: int = DEFAULT_LIMIT
) -> str:
    """GeoJSON text of a FeatureCollection of the visible parcels in `bbox`, at most `limit`,
    largest first.

    Shapes are simplified with half a pixel's tolerance; a parcel no wider than a few pixels
    at this zoom is drawn as its bounding box, read from the index, so its shape is not even
    loaded. `properties`: id, code, land class, area, household id/code/head and `state` (see
    `_with_state`). The answer says whether the list was cut (`truncated`) and, when it was
    not, how many matched (`total`; counting a cut list would cost a second pass)."""
    zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
    limit = max(1, min(MAX_LIMIT, limit))
    tolerance = tolerance_for(zoom)
    qs = parcels_for(user=user, project_id=project.pk).filter(bbox_west__isnull=False)
    if bbox is not None:
        qs = qs.filter(
            bbox_west__lte=bbox.east, bbox_east__gte=bbox.west, bbox_south__lte=bbox.north, bbox_north__gte=bbox.south
        )
    # The keys and extents come from the covering index alone, largest first.
    found = list(
        qs.order_by("-area", "pk").values_list("pk", "bbox_west", "bbox_south", "bbox_east", "bbox_north")[: limit + 1]
    )
    truncated = len(found) > limit
    chosen = found[:limit]
    small = 6 * tolerance  # three pixels
    boxes = {key: extent for key, *extent in chosen if max(extent[2] - extent[0], extent[3] - extent[1]) <= small}
    position = {row[0]: index for index, row in enumerate(chosen)}
    rows = sorted(
        _with_state(Parcel.objects.filter(pk__in=list(position)).order_by()).values_list(
            "pk", "code", "land_class", "area", "household_id", "household__code", "household__head_name", "state"
        ),
        key=lambda row: position[row[0]],
    )
    detailed = [key for key in position if key not in boxes]
    shapes = dict(
        zip(
            detailed,
            _simplified(
                _texts_in_order(detailed),
                tolerance,
            ),
            strict=True,
        )
    )
    features = []
    for row in rows:
        key = row[0]
        shape = _box(boxes[key]) if key in boxes else shapes.get(key)
        if shape is None:
            continue
        properties = {
            "id": key,
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
    meta = {"total": None if truncated else len(features), "returned": len(features), "truncated": truncated,
            "zoom": zoom, "tolerance": tolerance, "boxes": len(boxes)}
    # Written as text: parsing thousands of shapes only to serialise them again costs more
    # than the query.
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]," + json.dumps(meta)[1:]


def _texts_in_order(keys: list[int]) -> list[str]:
    if not keys:
        return []
    texts = dict(
        Parcel.objects.filter(pk__in=keys).annotate(shape=Cast("geometry", TextField())).values_list("pk", "shape")
    )
    return [texts[key] for key in keys]


def _box(extent: list[float]) -> str:
    west, south, east, north = (repr(float(value)) for value in extent)
    ring = f"[{west},{south}],[{east},{south}],[{east},{north}],[{west},{north}],[{west},{south}]"
    return '{"type":"Polygon","coordinates":[[' + ring + "]]}"


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
