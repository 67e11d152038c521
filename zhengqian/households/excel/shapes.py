"""Parcel shapes of a workbook checked in vectorised passes (shapely), as
geometry.parse_geometry and geometry.ellipsoidal_area check and measure one shape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy
import shapely
from shapely.validation import explain_validity

from ..geometry import _LAT_RANGE as LAT_RANGE
from ..geometry import _LON_RANGE as LON_RANGE
from ..geometry import GEOD
from .cells import as_text

_CENTI = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Shape:
    """One workbook shape: its GeoJSON text, bounding box and ellipsoidal area, or why it is refused."""

    geojson: str = ""
    bbox: tuple[float, float, float, float] | None = None
    area: Decimal | None = None
    message: str = ""


def read_shapes(raws: list[Any]) -> list[Shape]:
    """Check every shape (WKT or GeoJSON) as geometry.parse_geometry does, in vectorised passes.

    The stored shape is shapely's GeoJSON text of it, its bounding box the parcel's bbox columns
    (what Parcel.set_geometry sets for one shape), and its area is computed ring by ring on the
    GRS80 ellipsoid exactly as geometry.ellipsoidal_area does."""
    if not raws:
        return []
    texts = numpy.asarray([as_text(raw) for raw in raws], dtype=object)
    is_json = numpy.fromiter((text.startswith("{") for text in texts), dtype=bool, count=len(texts))
    shapes = numpy.empty(len(texts), dtype=object)
    for mask, reader in ((is_json, shapely.from_geojson), (~is_json, shapely.from_wkt)):
        if mask.any():
            try:
                shapes[mask] = reader(texts[mask], on_invalid="ignore")
            except shapely.errors.ShapelyError:
                shapes[mask] = [_one_shape(reader, text) for text in texts[mask]]
    missing = shapely.is_missing(shapes)
    kinds = shapely.get_type_id(shapes)
    empty = shapely.is_empty(shapes)
    bounds = shapely.bounds(shapes)
    valid = shapely.is_valid(shapes)
    polygonal = ~missing & numpy.isin(kinds, (3, 6)) & ~empty
    inside = (
        (bounds[:, 0] >= LON_RANGE[0]) & (bounds[:, 2] <= LON_RANGE[1])
        & (bounds[:, 1] >= LAT_RANGE[0]) & (bounds[:, 3] <= LAT_RANGE[1])
    )
    good = polygonal & inside & valid
    geojson = shapely.to_geojson(numpy.where(good, shapes, None))
    areas = _ellipsoidal_areas(shapes, good)
    results: list[Shape] = []
    for index in range(len(raws)):
        if good[index]:
            west, south, east, north = (float(value) for value in bounds[index])
            results.append(Shape(geojson=geojson[index], bbox=(west, south, east, north), area=areas[index]))
            continue
        if missing[index]:
            message = "图形不是有效的 WKT 或 GeoJSON 多边形。"
        elif not polygonal[index]:
            message = "图形须为 Polygon 或 MultiPolygon。" if not empty[index] else "图形为空。"
        elif not inside[index]:
            message = "图形坐标应为 CGCS2000 经纬度（经度在前），且位于我国境内。"
        else:
            message = f"图形无效（自相交或环方向错误）：{explain_validity(shapes[index])}"
        results.append(Shape(message=message))
    return results


def _one_shape(reader: Callable[..., Any], text: str) -> Any:
    try:
        return reader(text, on_invalid="ignore")
    except shapely.errors.ShapelyError:
        return None


def _ellipsoidal_areas(shapes: numpy.ndarray, good: numpy.ndarray) -> list[Decimal | None]:
    """geometry.ellipsoidal_area for each good shape: |exterior| − Σ|holes| per polygon, m²."""
    areas: list[Decimal | None] = [None] * len(shapes)
    indices = numpy.flatnonzero(good)
    if not len(indices):
        return areas
    shapes = shapes[indices]
    if (shapely.get_type_id(shapes) == 3).all():
        parts, part_owner = shapes, numpy.arange(len(shapes))
    else:
        parts, part_owner = shapely.get_parts(shapes, return_index=True)
    totals = numpy.zeros(len(indices))
    polygon_area = GEOD.polygon_area_perimeter
    # The usual parcel has no hole: its coordinates are its exterior ring's.
    holes = shapely.get_num_interior_rings(parts) > 0
    simple = numpy.flatnonzero(~holes)
    coordinates, point_part = shapely.get_coordinates(parts[simple], return_index=True)
    starts = numpy.searchsorted(point_part, numpy.arange(len(simple) + 1))
    for position, part in enumerate(simple):
        points = coordinates[starts[position] : starts[position + 1]]
        totals[part_owner[part]] += abs(polygon_area(points[:, 0], points[:, 1])[0])
    holed = numpy.flatnonzero(holes)
    if len(holed):
        rings, ring_part = shapely.get_rings(parts[holed], return_index=True)
        coordinates, ring_of_point = shapely.get_coordinates(rings, return_index=True)
        starts = numpy.searchsorted(ring_of_point, numpy.arange(len(rings) + 1))
        exterior = numpy.ones(len(rings), dtype=bool)
        exterior[1:] = ring_part[1:] != ring_part[:-1]
        for ring in range(len(rings)):
            points = coordinates[starts[ring] : starts[ring + 1]]
            area = abs(polygon_area(points[:, 0], points[:, 1])[0])
            totals[part_owner[holed[ring_part[ring]]]] += area if exterior[ring] else -area
    for position, index in enumerate(indices):
        areas[index] = Decimal(repr(float(totals[position]))).quantize(_CENTI, rounding=ROUND_HALF_UP)
    return areas
