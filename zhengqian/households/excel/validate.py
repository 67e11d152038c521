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
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.models import SQUARE_METRES_PER_MU

from .. import landclass
from ..geometry import area_mismatch
from ..models import IdType, Ownership, Relation
from .cells import as_text
from .idcheck import _checked_id
from .issues import CellError, Issue
from .layout import ATTACHMENT_KIND, BUILDINGS, HOUSEHOLDS, ITEMS, MEMBERS, PARCELS
from .plan import Context, Existing, Places, Plan
from .reader import SheetRows, WorkbookRows
from .rows import Progress, SheetChecker, _code_of
from .shapes import read_shapes

_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")  # as actions.common._PHONE
_ACCOUNT = re.compile(r"^[0-9]{8,30}$")  # as actions.common._ACCOUNT

__all__ = ["Context", "Existing", "Places", "Plan", "validate"]  # imports.py takes them from here


class _Checker(SheetChecker):
    def __init__(self, rows: WorkbookRows, context: Context, progress: Progress | None) -> None:
        super().__init__(rows, context, progress)
        self._household_rows: dict[str, int] = {}  # every 户编号 in the file, valid or not
        self._parcel_rows: dict[str, int] = {}  # every 地块编号 in the file, valid or not
        self._incomplete: set[str] = set()  # 户编号 with a refused member row
        for issue in rows.issues:
            self.add(issue)

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
        """Check and measure every shape at once (shapes.read_shapes); a refused shape drops its parcel."""
        for (number, record, raw), shape in zip(pending, read_shapes([raw for _, _, raw in pending]), strict=True):
            if shape.message:
                self.error(sheet, number, "geometry", shape.message, raw)
                self.plan.parcels.pop(record["code"], None)
                continue
            record["geometry"] = shape.geojson
            record["bbox"] = shape.bbox
            record["measured_area"] = shape.area
            record["area_mismatch"] = area_mismatch(record["area"], shape.area)

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


_LAND_CLASSES: dict[Any, str | None] = {}  # a cell's value -> its land class (a workbook repeats a few)


def _land_class(raw: Any) -> str | None:
    if raw is None:
        return None
    key = (raw.__class__, raw)
    if key not in _LAND_CLASSES:
        if len(_LAND_CLASSES) > 4096:
            _LAND_CLASSES.clear()
        _LAND_CLASSES[key] = _land_class_of(raw)
    return _LAND_CLASSES[key]


def _land_class_of(raw: Any) -> str | None:
    if isinstance(raw, float) and raw.is_integer():
        raw = f"{int(raw):04d}"
    text = as_text(raw)
    if text.isdigit() and len(text) < 4:
        text = text.zfill(4)
    return landclass.lookup(text)


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
