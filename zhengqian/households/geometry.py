"""Parcel shapes: GeoJSON polygons in CGCS2000 longitude/latitude (EPSG:4490).

The area is computed on the ellipsoid (pyproj `Geod(ellps="GRS80")`: CGCS2000's ellipsoid
differs from GRS80 only in the 11th digit of the flattening) and compared with the declared
area; a difference above the tolerance is flagged for the survey team to re-measure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pyproj import Geod
from shapely.geometry import shape
from shapely.validation import explain_validity

from zhengqian.domain.errors import InvalidInput

GEOD = Geod(ellps="GRS80")
# Relative and absolute tolerance: flagged when |measured − declared| exceeds both.
AREA_TOLERANCE_RATIO = Decimal("0.05")
AREA_TOLERANCE_M2 = Decimal("5")
# Mainland China and its islands, with a margin: a shape outside is in the wrong system.
_LON_RANGE = (73.0, 136.0)
_LAT_RANGE = (3.0, 54.0)


@dataclass(frozen=True)
class CheckedGeometry:
    geojson: dict[str, Any]
    area: Decimal


def parse_geometry(value: Any, *, field: str = "geometry") -> CheckedGeometry | None:
    """A Polygon or MultiPolygon (a bare geometry or a Feature) as a dict or JSON text;
    None when empty. Raises InvalidInput naming `field` when it is not a usable shape."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise InvalidInput("图形不是有效的 GeoJSON 文本。", field=field) from None
    if not isinstance(value, dict):
        raise InvalidInput("图形须为 GeoJSON 对象。", field=field)
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    if value.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidInput("图形须为 Polygon 或 MultiPolygon。", field=field)
    try:
        geom = shape(value)
    except Exception:
        raise InvalidInput("图形坐标格式不正确。", field=field) from None
    if geom.is_empty:
        raise InvalidInput("图形为空。", field=field)
    minx, miny, maxx, maxy = geom.bounds
    if not (_LON_RANGE[0] <= minx and maxx <= _LON_RANGE[1] and _LAT_RANGE[0] <= miny and maxy <= _LAT_RANGE[1]):
        raise InvalidInput("图形坐标应为 CGCS2000 经纬度（经度在前），且位于我国境内。", field=field)
    if not geom.is_valid:
        raise InvalidInput(f"图形无效（自相交或环方向错误）：{explain_validity(geom)}", field=field)
    clean = {"type": value["type"], "coordinates": value["coordinates"]}
    return CheckedGeometry(geojson=clean, area=ellipsoidal_area(clean))


def ellipsoidal_area(geojson: dict[str, Any]) -> Decimal:
    """Area in square metres on the GRS80 ellipsoid, holes subtracted, to the centimetre²."""
    polygons = [geojson["coordinates"]] if geojson["type"] == "Polygon" else geojson["coordinates"]
    total = 0.0
    for rings in polygons:
        for index, ring in enumerate(rings):
            lons = [float(p[0]) for p in ring]
            lats = [float(p[1]) for p in ring]
            area, _ = GEOD.polygon_area_perimeter(lons, lats)
            total += abs(area) if index == 0 else -abs(area)
    return Decimal(repr(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def area_mismatch(declared: Decimal, measured: Decimal | None) -> bool:
    if measured is None:
        return False
    difference = abs(measured - declared)
    return difference > AREA_TOLERANCE_M2 and difference > declared * AREA_TOLERANCE_RATIO
