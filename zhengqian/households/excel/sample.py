"""A generated, valid register workbook: for tests, the benchmark and demonstrations.

`sample_register(n, villages=[(township, village, group), …])` makes n households with three
members (valid resident IDs), two parcels with square shapes on a grid near Chongqing, one
building and two attachments/crops each; `write_workbook` writes any rows in the layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from stdnum.cn import ric

from .layout import SHEETS

AREA_CODE = "500113"  # 巴南区 (valid for birth years from 1997 in python-stdnum's table)
ORIGIN = (106.40, 29.30)
CELL = 0.0005  # grid step in degrees
SIDE = 0.0004  # parcel side in degrees


def resident_id(serial: int, born: date) -> str:
    """A valid 18-digit resident ID; `serial` (0–999) is the sequence number."""
    body = f"{AREA_CODE}{born:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def square(index: int) -> str:
    """WKT of the index-th parcel square on the grid (500 per row)."""
    west = ORIGIN[0] + (index % 500) * CELL
    south = ORIGIN[1] + (index // 500) * CELL
    east, north = west + SIDE, south + SIDE
    return f"POLYGON (({west:.6f} {south:.6f}, {east:.6f} {south:.6f}, {east:.6f} {north:.6f}, {west:.6f} {north:.6f}, {west:.6f} {south:.6f}))"  # noqa: E501


def square_area(index: int) -> str:
    """Close to the ellipsoidal area of `square(index)` (within a few per cent)."""
    from ..geometry import ellipsoidal_area

    west = ORIGIN[0] + (index % 500) * CELL
    south = ORIGIN[1] + (index // 500) * CELL
    ring = [[west, south], [west + SIDE, south], [west + SIDE, south + SIDE], [west, south + SIDE], [west, south]]
    return str(ellipsoidal_area({"type": "Polygon", "coordinates": [ring]}))


def sample_register(
    households: int, places: Sequence[tuple[str, str, str]], *, prefix: str = "H", geometry: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """Rows per sheet key, as dicts keyed by column key."""
    rows: dict[str, list[dict[str, Any]]] = {spec.key: [] for spec in SHEETS}
    area_cache: dict[int, str] = {}
    for number in range(households):
        code = f"{prefix}{number + 1:06d}"
        township, village, group = places[number % len(places)]
        # (birth date, sequence number) is unique per person up to 1.2 million households.
        born = date(1997, 1, 1) + timedelta(days=number % 3650)
        head, spouse, child = (f"户主{number}", f"配偶{number}", f"子女{number}")
        serial = (number // 3650) * 3
        rows["households"].append({
            "code": code, "head_name": head, "township": township, "village": village, "group": group,
            "address": f"{village}{number % 90 + 1}号", "phone": f"138{number:08d}",
            "contract_certificate_no": f"CB{number:08d}", "bank_name": "农村商业银行",
            "bank_account_no": f"62210000{number:010d}", "bank_account_holder": head,
        })
        for role, (relation, name, day) in enumerate((("户主", head, 0), ("配偶", spouse, 300), ("子女", child, 3650))):
            rows["members"].append({
                "household_code": code, "name": name, "relation": relation,
                "id_number": resident_id(serial + role, born + timedelta(days=day)),
                "hukou_type": "农业户口", "is_resettlement_person": "是",
            })
        for extra in range(2):
            index = number * 2 + extra
            row = index // 500
            if row not in area_cache:
                area_cache[row] = square_area(index)
            rows["parcels"].append({
                "code": f"{code}-DK{extra + 1}", "household_code": code, "ownership": "集体所有（承包经营权）",
                "land_class": "0101 水田" if extra == 0 else "0103 旱地", "area": float(area_cache[row]),
                "geometry": square(index) if geometry else "",
            })
        rows["buildings"].append({
            "code": f"{code}-FW1", "household_code": code, "parcel_code": f"{code}-DK1", "structure": "砖混结构",
            "floors": 2, "floor_area": 120.5, "use": "住宅", "legality": "合法建筑", "build_year": 2005,
        })
        rows["items"].append({
            "code": f"{code}-FZ1", "category": "附着物", "household_code": code, "parcel_code": f"{code}-DK1",
            "kind": "水井", "spec": "深 8 米", "quantity": 1, "unit": "口",
        })
        rows["items"].append({
            "code": f"{code}-QM1", "category": "青苗", "household_code": code, "parcel_code": f"{code}-DK2",
            "kind": "水稻", "quantity": 0.8, "unit": "亩",
        })
    return rows


def write_workbook(target: str | Path | IO[bytes], rows: dict[str, list[dict[str, Any]]]) -> None:
    """Write rows (dicts by column key) under the standard headers; strings stay strings."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
    for spec in SHEETS:
        if spec.key not in rows:
            continue
        worksheet = workbook.add_worksheet(spec.name)
        keys = [column.key for column in spec.columns]
        for index, column in enumerate(spec.columns):
            worksheet.write_string(0, index, column.header)
        for row_index, record in enumerate(rows[spec.key], start=1):
            for column_index, key in enumerate(keys):
                value = record.get(key)
                if value is None or value == "":
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    worksheet.write_number(row_index, column_index, value)
                else:
                    worksheet.write_string(row_index, column_index, str(value))
    workbook.close()
