"""Check every row of the workbook before anything is saved.

`validate(rows, context)` returns a `Plan`: typed records for each model, keyed by their codes,
and every `Issue` found. The plan is saved only when there are no issues (imports.py).

Checks, in order: each cell's type and range (cells.py, layout.py); resident ID checksums,
birth date and sex (idnumbers.py); villages and groups among the project's townships and in
the user's scope; duplicates inside the file and against the project in the database;
references between sheets (members, parcels, buildings, attachments and crops to a household
of the 户 sheet; buildings, attachments and crops to a parcel of the 地块 sheet); one head per
household whose name is the 户主姓名; the account holder is a member of the household.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

import numpy
import shapely
from shapely.validation import explain_validity
from stdnum import numdb
from stdnum.cn import ric

from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, JurisdictionLevel
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.models import SQUARE_METRES_PER_MU

from .. import landclass
from ..geometry import _LAT_RANGE as LAT_RANGE
from ..geometry import _LON_RANGE as LON_RANGE
from ..geometry import GEOD, area_mismatch
from ..idnumbers import CheckedId, check_id
from ..models import IdType, Ownership, Relation, Sex
from .cells import as_text, float_to_hundredths
from .issues import CellError, Issue
from .layout import ATTACHMENT_KIND, BUILDINGS, HOUSEHOLDS, ITEMS, MEMBERS, PARCELS
from .reader import SheetRows, WorkbookRows
from .sealing import Sealer

MAX_ISSUES = 20_000
_CENTI = Decimal("0.01")
_RESIDENT_TYPES = (IdType.RESIDENT_ID, IdType.HUKOU_BOOKLET)
_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")  # as actions.common._PHONE
_ACCOUNT = re.compile(r"^[0-9]{8,30}$")  # as actions.common._ACCOUNT


@dataclass
class Places:
    """The villages and groups a workbook may name: those of the project's townships."""

    townships: dict[str, Jurisdiction]  # normalised name or code -> township
    villages_by_code: dict[str, Jurisdiction]
    villages_by_name: dict[str, list[Jurisdiction]]
    groups: dict[int, dict[str, Jurisdiction]]  # village id -> name or code -> group
    scope_path: str

    @classmethod
    def for_project(cls, townships: list[Jurisdiction], scope_path: str) -> Places:
        township_ids = [t.pk for t in townships]
        villages = list(
            Jurisdiction.objects.filter(parent_id__in=township_ids, level=JurisdictionLevel.VILLAGE).select_related(
                "parent"
            )
        )
        groups: dict[int, dict[str, Jurisdiction]] = defaultdict(dict)
        for group in Jurisdiction.objects.filter(
            parent_id__in=[v.pk for v in villages], level=JurisdictionLevel.GROUP
        ):
            groups[group.parent_id][group.code] = group
            groups[group.parent_id][_norm(group.name)] = group
        by_name: dict[str, list[Jurisdiction]] = defaultdict(list)
        for village in villages:
            by_name[_norm(village.name)].append(village)
        lookup_townships = {}
        for township in townships:
            lookup_townships[township.code] = township
            lookup_townships[_norm(township.name)] = township
        return cls(
            townships=lookup_townships,
            villages_by_code={v.code: v for v in villages},
            villages_by_name=dict(by_name),
            groups=dict(groups),
            scope_path=scope_path,
        )

    def village(self, name: str, township_name: str) -> Jurisdiction:
        township = None
        if township_name:
            township = self.townships.get(township_name) or self.townships.get(_norm(township_name))
            if township is None:
                raise CellError(f"镇街“{township_name}”不是本项目涉及的镇街。")
        found = self.villages_by_code.get(name)
        candidates = [found] if found else self.villages_by_name.get(_norm(name), [])
        if township is not None:
            candidates = [v for v in candidates if v.parent_id == township.pk]
        if not candidates:
            where = f"镇街“{township.name}”" if township else "本项目涉及的镇街"
            raise CellError(f"村/社区“{name}”不在{where}内。")
        if len(candidates) > 1:
            names = "、".join(v.parent.name for v in candidates)
            raise CellError(f"村/社区“{name}”在{names}都有，请填写“镇街”列或区划代码。")
        village = candidates[0]
        if not village.path.startswith(self.scope_path):
            raise CellError(f"村/社区“{name}”不在您的管辖范围内。")
        return village

    def group(self, village: Jurisdiction, name: str) -> Jurisdiction:
        found = self.groups.get(village.pk, {}).get(name) or self.groups.get(village.pk, {}).get(_norm(name))
        if found is None:
            raise CellError(f"村民小组“{name}”不在{village.name}下。")
        return found


@dataclass
class Existing:
    """What the project already holds, for duplicate checks against the database."""

    household_codes: set[str] = field(default_factory=set)
    parcel_codes: set[str] = field(default_factory=set)
    building_codes: set[str] = field(default_factory=set)
    attachment_codes: set[str] = field(default_factory=set)
    crop_codes: set[str] = field(default_factory=set)
    id_hashes: dict[str, str] = field(default_factory=dict)  # id hash -> household code


@dataclass
class Context:
    places: Places
    existing: Existing
    this_year: int
    sealer: Sealer = field(default_factory=Sealer)
    today: date = field(default_factory=clock.today)


@dataclass
class Plan:
    households: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> fields
    members: list[dict[str, Any]] = field(default_factory=list)
    parcels: dict[str, dict[str, Any]] = field(default_factory=dict)
    buildings: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    crops: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    issue_total: int = 0

    @property
    def ok(self) -> bool:
        return self.issue_total == 0

    def counts(self) -> dict[str, int]:
        return {
            "households": len(self.households),
            "members": len(self.members),
            "parcels": len(self.parcels),
            "buildings": len(self.buildings),
            "attachments": len(self.attachments),
            "crops": len(self.crops),
        }


def _norm(text: str) -> str:
    return "".join(str(text).split()).lower()


Progress = Callable[[int], None]


class _Checker:
    def __init__(self, rows: WorkbookRows, context: Context, progress: Progress | None) -> None:
        self.rows = rows
        self.context = context
        self.plan = Plan()
        self.progress = progress or (lambda done: None)
        self.done = 0
        self._household_rows: dict[str, int] = {}  # every 户编号 in the file, valid or not
        self._parcel_rows: dict[str, int] = {}  # every 地块编号 in the file, valid or not
        self._incomplete: set[str] = set()  # 户编号 with a refused member row
        for issue in rows.issues:
            self.add(issue)

    # --- reporting ---------------------------------------------------------------------

    def add(self, issue: Issue) -> None:
        self.plan.issue_total += 1
        if len(self.plan.issues) < MAX_ISSUES:
            self.plan.issues.append(issue)

    def error(self, sheet: SheetRows, row: int, key: str, message: str, value: Any = "") -> None:
        self.add(
            Issue(
                sheet=sheet.title,
                row=row,
                column=sheet.letter(key),
                header=sheet.headers.get(key, sheet.spec.column(key).header),
                message=message,
                value=_shown(value),
            )
        )

    def tick(self) -> None:
        self.done += 1
        if self.done % 2000 == 0:
            self.progress(self.done)

    # --- one row -----------------------------------------------------------------------

    def records(self, sheet: SheetRows) -> list[dict[str, Any] | None]:
        """Every row of a sheet parsed: a dict by column key, or None when a cell is wrong (and
        reported). This is the hot loop of an import, so it runs column by column, with the
        common cases (a plain string, a choice written as listed) in comprehensions and only the
        other cells through their parser."""
        rows = sheet.rows
        numbers = [number for number, _ in rows]
        # A required column missing from the header is reported once there, not on every row.
        complete = all(column.key in sheet.positions for column in sheet.spec.columns if column.required)
        ok = [complete] * len(rows)
        keys, columns = [], []
        for column in sheet.spec.columns:
            keys.append(column.key)
            position = sheet.positions.get(column.key)
            if position is None:
                columns.append([None] * len(rows))
            else:
                columns.append(self._column(sheet, column, [row[position] for _, row in rows], numbers, ok))
        records: list[dict[str, Any] | None] = []
        for index, values in enumerate(zip(*columns, strict=True)):
            if ok[index]:
                record = dict(zip(keys, values, strict=True))
                record["_row"] = numbers[index]
                records.append(record)
            else:
                records.append(None)
        return records

    def _column(self, sheet: SheetRows, column: Any, raw: list[Any], numbers: list[int], ok: list[bool]) -> list[Any]:
        parser = column.parser
        max_length = getattr(parser, "max_length", 0)
        exact = getattr(parser, "exact", None)
        decimal_range = getattr(parser, "decimal_range", None)
        suspects: Any
        if max_length:
            if getattr(parser, "compact", False):
                values = ["".join(value.split()) if value.__class__ is str else value for value in raw]
            else:
                values = [value.strip() if value.__class__ is str else value for value in raw]
            suspects = [
                index for index, value in enumerate(values)
                if value.__class__ is not str or not value or len(value) > max_length
            ]
        elif exact is not None:
            values = [exact.get(value.strip()) if value.__class__ is str else None for value in raw]
            suspects = [index for index, value in enumerate(values) if value is None]
        elif decimal_range is not None:
            low, exclusive, high = decimal_range
            values = [float_to_hundredths(value) if value.__class__ is float else None for value in raw]
            suspects = [
                index for index, value in enumerate(values)
                if value is None
                or (low is not None and (value <= low if exclusive else value < low))
                or (high is not None and value > high)
            ]
        else:
            values = list(raw)
            suspects = range(len(values))
        key, header, required = column.key, column.header, column.required
        for index in suspects:
            value = raw[index]
            if value is None or value == "" or (value.__class__ is str and value.isspace()):
                values[index] = None
                if required:
                    self.error(sheet, numbers[index], key, f"“{header}”不能为空。")
                    ok[index] = False
                continue
            if parser is None:
                values[index] = value
                continue
            try:
                parsed = parser(value)
            except CellError as problem:
                self.error(sheet, numbers[index], key, problem.message, value)
                ok[index] = False
                values[index] = None
                continue
            if required and parsed == "":
                self.error(sheet, numbers[index], key, f"“{header}”不能为空。")
                ok[index] = False
            values[index] = parsed
        return values

    # --- sheets ------------------------------------------------------------------------

    def run(self) -> Plan:
        sheets = self.rows.sheets
        households = sheets.get(HOUSEHOLDS.key)
        if households is not None:
            self.households(households)
        members = sheets.get(MEMBERS.key)
        if members is not None:
            self.members(members)
        if households is not None:
            self.heads(households)
        parcels = sheets.get(PARCELS.key)
        if parcels is not None:
            self.parcels(parcels)
        buildings = sheets.get(BUILDINGS.key)
        if buildings is not None:
            self.buildings(buildings)
        items = sheets.get(ITEMS.key)
        if items is not None:
            self.items(items)
        return self.plan

    def _household_ref(self, sheet: SheetRows, number: int, code: str | None, *, required: bool) -> bool:
        if not code:
            return not required
        if code in self.plan.households or code in self._household_rows:
            return True
        if code in self.context.existing.household_codes:
            message = f"户编号 {code} 已在本项目登记；导入只能新增整户，已有户请在系统中修改。"
        else:
            message = f"户编号 {code} 在“{HOUSEHOLDS.name}”表中不存在。"
        self.error(sheet, number, "household_code", message, code)
        return False

    def households(self, sheet: SheetRows) -> None:
        seen = self._household_rows
        places = self.context.places
        existing = self.context.existing.household_codes
        for (number, row), record in zip(sheet.rows, self.records(sheet), strict=True):
            self.tick()
            code = record["code"] if record else _code_of(sheet, row, "code")
            if code:
                if code in seen:
                    self.error(sheet, number, "code", f"户编号 {code} 与第 {seen[code]} 行重复。", code)
                    record = None
                else:
                    seen[code] = number
                    if code in existing:
                        self.error(sheet, number, "code", f"户编号 {code} 已在本项目登记。", code)
                        record = None
            if record is None:
                continue
            try:
                village = places.village(record["village"], record["township"] or "")
            except CellError as problem:
                self.error(sheet, number, "village", problem.message, record["village"])
                continue
            group = None
            if record["group"]:
                try:
                    group = places.group(village, record["group"])
                except CellError as problem:
                    self.error(sheet, number, "group", problem.message, record["group"])
                    continue
            if not self._household_details(sheet, number, record):
                continue
            record["village_id"] = village.pk
            record["village_path"] = village.path
            record["group_id"] = group.pk if group else None
            record["members"] = []
            self.plan.households[code] = record

    def _household_details(self, sheet: SheetRows, number: int, record: dict[str, Any]) -> bool:
        """Phone and real-name account, as household_set_bank_account checks them (putian-2014 (七))."""
        if record["phone"] and not _PHONE.match(record["phone"]):
            self.error(sheet, number, "phone", "联系电话只能包含数字、空格和 + - ( )。", record["phone"])
            return False
        account = re.sub(r"[\s\-]", "", record["bank_account_no"] or "")
        record["bank_account_no"] = account
        if account:
            if not _ACCOUNT.match(account):
                self.error(sheet, number, "bank_account_no", "实名账号应为 8—30 位数字。", account)
                return False
            if not record["bank_name"]:
                self.error(sheet, number, "bank_name", "填写了实名账号，请同时填写开户银行。")
                return False
            if not record["bank_account_holder"]:
                message = "填写了实名账号，请同时填写账户户名（须为本户家庭成员）。"
                self.error(sheet, number, "bank_account_holder", message)
                return False
        elif record["bank_name"] or record["bank_account_holder"]:
            self.error(sheet, number, "bank_account_no", "填写了开户银行或账户户名，请同时填写实名账号。")
            return False
        return True

    def members(self, sheet: SheetRows) -> None:
        seen_ids: dict[str, int] = {}
        for (number, row), record in zip(sheet.rows, self.records(sheet), strict=True):
            self.tick()
            before = self.plan.issue_total
            self._member(sheet, number, record, seen_ids)
            if self.plan.issue_total != before:
                # A household one of whose members is wrong is not judged on its head as well.
                self._incomplete.add(record["household_code"] if record else _code_of(sheet, row, "household_code"))

    def _member(self, sheet: SheetRows, number: int, record: dict[str, Any] | None, seen_ids: dict[str, int]) -> None:
        existing = self.context.existing.id_hashes
        if record is None:
            return
        if not self._household_ref(sheet, number, record["household_code"], required=True):
            return
        record["id_type"] = record["id_type"] or IdType.RESIDENT_ID
        record["hukou_type"] = record["hukou_type"] or None
        if record["is_resettlement_person"] is None:
            record["is_resettlement_person"] = True
        number_text = record["id_number"]
        record["id_hash"] = ""
        if number_text:
            try:
                checked = _checked_id(record["id_type"], number_text, self.context.today)
            except InvalidInput as problem:
                key = "id_type" if problem.field == "id_type" else "id_number"
                self.error(sheet, number, key, problem.message, number_text)
                return
            record["id_number"] = checked.number
            if checked.birth_date is not None:
                if record["birth_date"] is None:
                    record["birth_date"] = checked.birth_date
                elif record["birth_date"] != checked.birth_date:
                    self.error(
                        sheet, number, "birth_date",
                        f"与身份证号码中的出生日期 {checked.birth_date.isoformat()} 不符。", record["birth_date"],
                    )
                    return
            if checked.sex:
                if record["sex"] is None:
                    record["sex"] = checked.sex
                elif record["sex"] != checked.sex:
                    self.error(sheet, number, "sex", "与身份证号码中的性别不符。", record["sex"])
                    return
            if checked.number in seen_ids:
                message = f"证件号码与第 {seen_ids[checked.number]} 行重复：一人只能登记在一户。"
                self.error(sheet, number, "id_number", message, checked.number)
                return
            seen_ids[checked.number] = number
            digest = self.context.sealer.lookup_hash(checked.number)
            # A household refused because it is already registered is not re-checked person by person.
            if digest in existing and record["household_code"] not in self.context.existing.household_codes:
                message = f"此人已登记在本项目的户 {existing[digest]} 中：一人只能登记在一户。"
                self.error(sheet, number, "id_number", message, checked.number)
                return
            record["id_hash"] = digest
        household = self.plan.households.get(record["household_code"])
        if household is not None:
            household["members"].append(record)
            self.plan.members.append(record)

    def heads(self, sheet: SheetRows) -> None:
        """One head per household, named as in the 户 sheet; the account holder is a member."""
        members_sheet = self.rows.sheets.get(MEMBERS.key)
        for code, household in list(self.plan.households.items()):
            if code in self._incomplete:
                del self.plan.households[code]
                continue
            heads = [m for m in household["members"] if m["relation"] == Relation.HEAD]
            number = household["_row"]
            if not heads:
                if members_sheet is not None:
                    message = f"“{MEMBERS.name}”表中没有户 {code} 的户主（与户主关系填“户主”）。"
                    self.error(sheet, number, "head_name", message)
                del self.plan.households[code]
                continue
            if len(heads) > 1:
                rows = "、".join(str(m["_row"]) for m in heads)
                message = f"户 {code} 有多名户主（第 {rows} 行）。"
                self.error(members_sheet, heads[1]["_row"], "relation", message, "户主")
                del self.plan.households[code]
                continue
            if heads[0]["name"] != household["head_name"]:
                message = f"户主姓名与“{HOUSEHOLDS.name}”表第 {number} 行的“{household['head_name']}”不一致。"
                self.error(members_sheet, heads[0]["_row"], "name", message, heads[0]["name"])
                del self.plan.households[code]
                continue
            holder = household["bank_account_holder"]
            if holder:
                matches = [m for m in household["members"] if m["name"] == holder]
                if len(matches) != 1:
                    reason = "不是本户家庭成员" if not matches else "与多名家庭成员同名"
                    self.error(sheet, number, "bank_account_holder", f"账户户名“{holder}”{reason}。", holder)
                    del self.plan.households[code]
                    continue
                household["holder_member"] = matches[0]
        if self.plan.issue_total:
            kept = set(self.plan.households)
            self.plan.members = [m for m in self.plan.members if m["household_code"] in kept]

    def parcels(self, sheet: SheetRows) -> None:
        seen = self._parcel_rows
        existing = self.context.existing.parcel_codes
        places = self.context.places
        geometries: list[tuple[int, dict[str, Any], Any]] = []
        for (number, row), record in zip(sheet.rows, self.records(sheet), strict=True):
            self.tick()
            code = record["code"] if record else _code_of(sheet, row, "code")
            if code and not self._unique(sheet, number, "code", code, seen, existing, "地块编号"):
                continue
            if record is None:
                continue
            household_code = record["household_code"]
            if not self._household_ref(sheet, number, household_code, required=False):
                continue
            record["ownership"] = record["ownership"] or Ownership.CONTRACT
            if record["ownership"] == Ownership.CONTRACT and not household_code:
                message = "承包地须填写承包户的户编号（集体所有的地块请把权属填为“集体所有”）。"
                self.error(sheet, number, "household_code", message)
                continue
            if record["village"]:
                try:
                    village = places.village(record["village"], record["township"] or "")
                except CellError as problem:
                    self.error(sheet, number, "village", problem.message, record["village"])
                    continue
                record["village_id"] = village.pk
            elif household_code and household_code in self.plan.households:
                record["village_id"] = self.plan.households[household_code]["village_id"]
            elif household_code:
                continue  # the household itself is wrong and already reported
            else:
                self.error(sheet, number, "village", "须填写村/社区（或填写承包户的户编号）。")
                continue
            land_class = _land_class(record["land_class"])
            if land_class is None:
                message = "不是 GB/T 21010-2017 的二级地类（编码如 0101，或名称如 水田）。"
                self.error(sheet, number, "land_class", message, record["land_class"])
                continue
            record["land_class"] = land_class
            area, area_mu = record["area"], record["area_mu"]
            if area is None and area_mu is None:
                self.error(sheet, number, "area", "须填写“面积（平方米）”或“面积（亩）”。")
                continue
            if area is None:
                area = (area_mu * SQUARE_METRES_PER_MU).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            elif area_mu is not None and abs(area / SQUARE_METRES_PER_MU - area_mu) > Decimal("0.01"):
                message = f"与面积 {area} 平方米（{area / SQUARE_METRES_PER_MU:.2f} 亩）不符。"
                self.error(sheet, number, "area_mu", message, area_mu)
                continue
            record["area"] = area
            if record["geometry"] is not None:
                geometries.append((number, record, record["geometry"]))
            record["geometry"] = None
            self.plan.parcels[code] = record
        self._geometries(sheet, geometries)

    def _geometries(self, sheet: SheetRows, pending: list[tuple[int, dict[str, Any], Any]]) -> None:
        """Check every shape (WKT or GeoJSON) as geometry.parse_geometry does, in vectorised passes.

        The stored shape is shapely's GeoJSON text of it and its area is computed ring by ring on
        the GRS80 ellipsoid exactly as geometry.ellipsoidal_area does."""
        if not pending:
            return
        texts = numpy.asarray([as_text(raw) for _, _, raw in pending], dtype=object)
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
        for index, (number, record, raw) in enumerate(pending):
            if good[index]:
                record["geometry"] = geojson[index]
                record["bbox"] = tuple(float(value) for value in bounds[index])
                record["measured_area"] = areas[index]
                record["area_mismatch"] = area_mismatch(record["area"], areas[index])
                continue
            if missing[index]:
                message = "图形不是有效的 WKT 或 GeoJSON 多边形。"
            elif not polygonal[index]:
                message = "图形须为 Polygon 或 MultiPolygon。" if not empty[index] else "图形为空。"
            elif not inside[index]:
                message = "图形坐标应为 CGCS2000 经纬度（经度在前），且位于我国境内。"
            else:
                message = f"图形无效（自相交或环方向错误）：{explain_validity(shapes[index])}"
            self.error(sheet, number, "geometry", message, raw)
            self.plan.parcels.pop(record["code"], None)

    def buildings(self, sheet: SheetRows) -> None:
        seen: dict[str, int] = {}
        existing = self.context.existing.building_codes
        for (number, row), record in zip(sheet.rows, self.records(sheet), strict=True):
            self.tick()
            code = record["code"] if record else _code_of(sheet, row, "code")
            if code and not self._unique(sheet, number, "code", code, seen, existing, "房屋编号"):
                continue
            if record is None:
                continue
            if not self._household_ref(sheet, number, record["household_code"], required=True):
                continue
            if not self._parcel_ref(sheet, number, record["parcel_code"]):
                continue
            if record["build_year"] is not None and record["build_year"] > self.context.this_year:
                self.error(sheet, number, "build_year", f"建成年份不能晚于今年（{self.context.this_year}）。",
                           record["build_year"])
                continue
            if record["household_code"] in self.plan.households:
                self.plan.buildings.append(record)

    def items(self, sheet: SheetRows) -> None:
        seen: dict[tuple[str, str], int] = {}
        existing = self.context.existing
        for (number, _row), record in zip(sheet.rows, self.records(sheet), strict=True):
            self.tick()
            if record is None:
                continue
            code, category = record["code"], record["category"]
            codes = existing.attachment_codes if category == "attachment" else existing.crop_codes
            label = "附着物" if category == "attachment" else "青苗"
            if (category, code) in seen:
                self.error(sheet, number, "code", f"{label}编号 {code} 与第 {seen[category, code]} 行重复。", code)
                continue
            seen[category, code] = number
            if code in codes:
                self.error(sheet, number, "code", f"{label}编号 {code} 已在本项目登记。", code)
                continue
            if not self._household_ref(sheet, number, record["household_code"], required=True):
                continue
            if not self._parcel_ref(sheet, number, record["parcel_code"]):
                continue
            if category == "attachment":
                try:
                    record["kind"] = ATTACHMENT_KIND(record["kind"])
                except CellError as problem:
                    self.error(sheet, number, "kind", problem.message, record["kind"])
                    continue
            elif record["spec"]:
                self.error(sheet, number, "spec", "青苗没有“规格”，请写在“备注”中。", record["spec"])
                continue
            if record["household_code"] not in self.plan.households:
                continue
            (self.plan.attachments if category == "attachment" else self.plan.crops).append(record)

    # --- shared checks -----------------------------------------------------------------

    def _unique(
        self, sheet: SheetRows, number: int, key: str, code: str, seen: dict[str, int], existing: set[str], label: str
    ) -> bool:
        if code in seen:
            self.error(sheet, number, key, f"{label} {code} 与第 {seen[code]} 行重复。", code)
            return False
        seen[code] = number
        if code in existing:
            self.error(sheet, number, key, f"{label} {code} 已在本项目登记。", code)
            return False
        return True

    def _parcel_ref(self, sheet: SheetRows, number: int, code: str | None) -> bool:
        if not code or code in self.plan.parcels:
            return True
        if code in self._parcel_rows:
            return False  # the parcel's own row is wrong and already reported
        if code in self.context.existing.parcel_codes:
            message = (
                f"地块编号 {code} 是本项目已有的地块；"
                f"导入的房屋、附着物只能挂在本文件“{PARCELS.name}”表的地块上。"
            )
        else:
            message = f"地块编号 {code} 在“{PARCELS.name}”表中不存在。"
        self.error(sheet, number, "parcel_code", message, code)
        return False


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


@lru_cache(maxsize=8192)
def _area_known(area: str) -> bool:
    """The region-code check of idnumbers._check_resident_id, once per code."""
    return bool(numdb.get("cn/loc").info(area)[-1][1])


def _checked_id(id_type: str, number: str, today: date | None = None) -> CheckedId:
    """idnumbers.check_id, answering the common valid resident ID without python-stdnum's
    table lookup per person (cached per region code); anything else — every refusal included —
    goes to check_id itself, so the numbers accepted and the messages are the same (a property
    test compares the two)."""
    number = number.upper()
    plausible = id_type in _RESIDENT_TYPES and len(number) == 18 and number.isascii() and number[:17].isdigit()
    if plausible and number[17] == ric.calc_check_digit(number):
        try:
            birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            birth = None
        if birth is not None and birth <= (today or clock.today()) and _area_known(number[:6]):
            return CheckedId(number=number, birth_date=birth, sex=Sex.MALE if int(number[16]) % 2 else Sex.FEMALE)
    return check_id(id_type, number)


def _code_of(sheet: SheetRows, row: list[Any], key: str) -> str:
    position = sheet.positions.get(key)
    if position is None:
        return ""
    try:
        return "".join(as_text(row[position]).split())
    except CellError:
        return ""


def _land_class(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = f"{int(raw):04d}"
    text = as_text(raw)
    if text.isdigit() and len(text) < 4:
        text = text.zfill(4)
    return landclass.lookup(text)


def _plain(value: Any) -> Any:
    """GeoJSON coordinates as lists (shapely.mapping gives tuples)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _shown(value: Any) -> str:
    try:
        text = as_text(value)
    except CellError:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def validate(rows: WorkbookRows, context: Context, progress: Progress | None = None) -> Plan:
    checker = _Checker(rows, context, progress)
    plan = checker.run()
    order = {sheet.title: index for index, sheet in enumerate(rows.sheets.values())}
    plan.issues.sort(
        key=lambda issue: (order.get(issue.sheet, len(order)), issue.row or 0, len(issue.column), issue.column)
    )
    if not any(plan.counts().values()) and plan.ok:
        plan.issue_total = 1
        plan.issues.append(Issue(sheet=HOUSEHOLDS.name, row=None, column="", message="工作簿中没有可导入的数据。"))
    return plan
