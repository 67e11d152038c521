"""The housing pool (banan-2015 (四)): estates run by a township under the five unifications,
their records, and units added one by one or imported from an Excel workbook (all or nothing,
with a message naming the row and column of every problem)."""

from __future__ import annotations

import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from zhengqian.compensation.actions.common import choice, day, text
from zhengqian.core import audit, clock
from zhengqian.core.models import Jurisdiction, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput

from .actions import check_estate, in_scope
from .models import Estate, EstateRecord, Unit, UnitStatus

ESTATE_FIELDS = ["code", "name", "jurisdiction", "owner_name", "address", "planned_completion", "accepted_on"]
UNIT_FIELDS = ["building_no", "number", "floor", "area", "layout", "orientation", "status"]

#: The import sheet's columns: header → (field, required).
UNIT_COLUMNS: dict[str, tuple[str, bool]] = {
    "楼栋": ("building_no", True),
    "房号": ("number", True),
    "楼层": ("floor", True),
    "建筑面积": ("area", True),
    "户型": ("layout", False),
    "朝向": ("orientation", False),
    "状态": ("status", False),
}
STATUS_BY_LABEL = {label: value for value, label in UnitStatus.choices}
MAX_IMPORT_ROWS = 5000


class ImportRefused(InvalidInput):
    """An import with problems; ``problems`` lists each one as "第N行 列名：说明"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"导入未通过校验，共 {len(problems)} 处问题，未导入任何房屋。", field="file")
        self.problems = problems


def estate_create(
    *,
    actor: User,
    code: Any,
    name: Any,
    jurisdiction: Jurisdiction,
    owner_name: Any,
    address: Any = "",
    planned_completion: Any = None,
) -> Estate:
    """Open an estate of the township's pool (banan-2015 (四) 由镇街负责安置房分配日常工作)."""
    require(actor, "housing.manage")
    if not isinstance(jurisdiction, Jurisdiction) or not in_scope(actor, jurisdiction.path):
        raise InvalidInput("负责镇街不在您的辖区。", field="jurisdiction")
    data = {
        "code": text(code, "code", "编号", 40, required=True),
        "name": text(name, "name", "小区名称", 100, required=True),
        "owner_name": text(owner_name, "owner_name", "建设业主", 100, required=True),
        "address": text(address, "address", "地址", 200),
        "planned_completion": day(
            planned_completion, "planned_completion", "计划交房日期", required=False, not_future=False
        ),
    }
    if Estate.objects.filter(code=data["code"]).exists():
        raise InvalidInput(f"编号 {data['code']} 已被使用。", field="code")
    with transaction.atomic():
        estate = Estate.objects.create(jurisdiction=jurisdiction, created_by=actor, created_at=clock.now(), **data)
        audit.record(
            actor=actor,
            action="resettlement.estate.create",
            obj=estate,
            after=audit.snapshot(estate, ESTATE_FIELDS),
            jurisdiction_path=jurisdiction.path,
        )
    return estate


def estate_record_add(*, actor: User, estate: Estate, kind: Any, on: Any, content: Any) -> EstateRecord:
    """A record under the five unifications, or the acceptance (banan-2015 (四) 加快安置房手续办理和验收)."""
    require(actor, "housing.manage")
    estate = check_estate(actor, estate)
    kind = choice(kind, EstateRecord.Kind, "kind", "类别")
    when = day(on, "on", "日期")
    body = text(content, "content", "内容", 2000, required=True)
    with transaction.atomic():
        estate = Estate.objects.select_for_update().get(pk=estate.pk)
        record = EstateRecord.objects.create(
            estate=estate, kind=kind, on=when, content=body, created_by=actor, created_at=clock.now()
        )
        before = audit.snapshot(estate, ESTATE_FIELDS)
        if kind == EstateRecord.Kind.ACCEPTANCE and estate.accepted_on is None:
            estate.accepted_on = when
            estate.save(update_fields=["accepted_on"])
            Unit.objects.filter(estate=estate, status=UnitStatus.UNDER_CONSTRUCTION).update(
                status=UnitStatus.AVAILABLE, updated_at=clock.now()
            )
        audit.record(
            actor=actor,
            action="resettlement.estate.record",
            obj=estate,
            before=before,
            after={**audit.snapshot(estate, ESTATE_FIELDS), "record": kind, "content": body},
            jurisdiction_path=estate.jurisdiction.path,
        )
    return record


def _unit_values(raw: dict[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """Parse one unit's cells; problems are "<where> <列名>：<说明>"."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for header, (field, required) in UNIT_COLUMNS.items():
        cell = raw.get(field)
        cell = "" if cell is None else cell
        if isinstance(cell, float) and cell.is_integer() and field in ("building_no", "number", "floor"):
            cell = int(cell)
        value = str(cell).strip()
        if required and not value:
            problems.append(f"{where} {header}：不能为空")
            continue
        if field == "floor":
            try:
                number = int(value)
                if not -5 <= number <= 120:
                    raise ValueError
                values[field] = number
            except ValueError:
                problems.append(f"{where} {header}：应为 -5 到 120 之间的整数，而不是“{value}”")
        elif field == "area":
            try:
                area = Decimal(value)
                if not area.is_finite() or area <= 0 or area >= 10000 or area != area.quantize(Decimal("0.01")):
                    raise InvalidOperation
                values[field] = area
            except InvalidOperation:
                problems.append(f"{where} {header}：应为大于 0、最多两位小数的平方米数，而不是“{value}”")
        elif field == "status":
            status = STATUS_BY_LABEL.get(value, value) or UnitStatus.AVAILABLE
            if status not in (UnitStatus.UNDER_CONSTRUCTION, UnitStatus.AVAILABLE, UnitStatus.RESERVED):
                problems.append(f"{where} {header}：只能为 在建、可分配 或 预留，而不是“{value}”")
            values[field] = status
        else:
            limit = 40 if field == "layout" else 20
            if len(value) > limit:
                problems.append(f"{where} {header}：不能超过 {limit} 个字")
            values[field] = value
    return values, problems


def unit_create(*, actor: User, estate: Estate, **raw: Any) -> Unit:
    require(actor, "housing.manage")
    estate = check_estate(actor, estate)
    values, problems = _unit_values(raw, "")
    if problems:
        header, _, message = problems[0].strip().partition("：")
        field = UNIT_COLUMNS.get(header, ("", False))[0]
        raise InvalidInput(f"{header}：{message}", field=field or None)
    if Unit.objects.filter(estate=estate, building_no=values["building_no"], number=values["number"]).exists():
        raise InvalidInput(f"{values['building_no']}栋{values['number']} 已存在。", field="number")
    with transaction.atomic():
        unit = Unit.objects.create(estate=estate, updated_at=clock.now(), **values)
        audit.record(
            actor=actor,
            action="resettlement.unit.create",
            obj=unit,
            after=audit.snapshot(unit, UNIT_FIELDS),
            jurisdiction_path=estate.jurisdiction.path,
        )
    return unit


def read_unit_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The unit rows of the first sheet of an .xlsx (python-calamine), keyed by field, with the
    row number Excel shows. Refuses what is not a safe workbook or lacks a required column."""
    from python_calamine import CalamineWorkbook

    from zhengqian.households.excel.safety import WorkbookRefused, check_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "units.xlsx"
        path.write_bytes(content)
        try:
            formulas = check_workbook(path)
        except WorkbookRefused as refused:
            raise InvalidInput(refused.message, field="file") from None
        if formulas:
            raise ImportRefused([f"{issue.cell} {issue.message}" for issue in formulas])
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception:
            raise InvalidInput("无法读取该工作簿，请使用导入模板（.xlsx）。", field="file") from None
    if not rows:
        raise InvalidInput("工作表为空。", field="file")
    headers = [str(cell).strip() for cell in rows[0]]
    missing = [header for header, (_, required) in UNIT_COLUMNS.items() if required and header not in headers]
    if missing:
        raise InvalidInput(f"第1行缺少列：{'、'.join(missing)}（应有列：{'、'.join(UNIT_COLUMNS)}）。", field="file")
    index = {UNIT_COLUMNS[header][0]: position for position, header in enumerate(headers) if header in UNIT_COLUMNS}
    result = []
    for number, row in enumerate(rows[1:], start=2):
        if all(str(cell).strip() == "" for cell in row):
            continue
        result.append(
            (number, {field: row[position] if position < len(row) else "" for field, position in index.items()})
        )
    if len(result) > MAX_IMPORT_ROWS:
        raise InvalidInput(f"一次最多导入 {MAX_IMPORT_ROWS} 套房屋。", field="file")
    return result


def units_import(*, actor: User, estate: Estate, content: bytes) -> list[Unit]:
    """Import units into an estate from a workbook: every row is checked first (cells, numbers
    repeated in the file or already in the estate); any problem and nothing is imported."""
    require(actor, "housing.manage")
    estate = check_estate(actor, estate)
    rows = read_unit_rows(content)
    if not rows:
        raise InvalidInput("工作表中没有房屋数据。", field="file")
    problems: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    existing = set(Unit.objects.filter(estate=estate).values_list("building_no", "number"))
    for number, raw in rows:
        values, row_problems = _unit_values(raw, f"第{number}行")
        problems.extend(row_problems)
        if row_problems:
            continue
        key = (values["building_no"], values["number"])
        if key in seen:
            problems.append(f"第{number}行 房号：{key[0]}栋{key[1]} 与第{seen[key]}行重复")
        elif key in existing:
            problems.append(f"第{number}行 房号：{key[0]}栋{key[1]} 已在该小区登记")
        seen.setdefault(key, number)
        parsed.append(values)
    if problems:
        raise ImportRefused(problems)
    now = clock.now()
    try:
        with transaction.atomic():
            Estate.objects.select_for_update().get(pk=estate.pk)
            units = Unit.objects.bulk_create([Unit(estate=estate, updated_at=now, **values) for values in parsed])
            audit.record(
                actor=actor,
                action="resettlement.unit.import",
                obj=estate,
                after={"units": len(units), "area": sum(v["area"] for v in parsed)},
                jurisdiction_path=estate.jurisdiction.path,
            )
    except IntegrityError:
        raise ImportRefused(["房号与同时登记的房屋重复，请刷新后重试"]) from None
    return units


def unit_status_set(*, actor: User, unit: Unit, status: Any, reason: Any) -> Unit:
    """Mark a unit under construction, available or reserved; allocation and handover set the
    other states through their own actions."""
    require(actor, "housing.manage")
    check_estate(actor, unit.estate)
    status = choice(status, UnitStatus, "status", "状态")
    why = text(reason, "reason", "理由", 200, required=True)
    if status in (UnitStatus.ALLOCATED, UnitStatus.HANDED_OVER):
        raise InvalidInput("“已分配”“已交房”由分房和交房办理，不能直接设置。", field="status")
    with transaction.atomic():
        unit = Unit.objects.select_for_update().select_related("estate__jurisdiction").get(pk=unit.pk)
        if unit.status in (UnitStatus.ALLOCATED, UnitStatus.HANDED_OVER):
            raise InvalidInput(f"{unit.label} 已分配，须先撤销分配。", field="status")
        before = audit.snapshot(unit, UNIT_FIELDS)
        unit.status, unit.updated_at = status, clock.now()
        unit.save()
        audit.record(
            actor=actor,
            action="resettlement.unit.status",
            obj=unit,
            before=before,
            after=audit.snapshot(unit, UNIT_FIELDS),
            reason=why,
            jurisdiction_path=unit.estate.jurisdiction.path,
        )
    return unit
