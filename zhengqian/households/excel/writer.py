"""Write workbooks with xlsxwriter: the blank template, the register export and the annotated
error report. All three share the layout, so what is exported imports again unchanged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import python_calamine
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..landclass import LAND_CLASS_CHOICES
from .cells import Choice
from .issues import Issue, column_letter
from .layout import ATTACHMENT_KIND, SHEETS, Sheet

OPTIONS_SHEET = "选项"
GUIDE_SHEET = "说明"
ISSUES_SHEET = "问题清单"
_COMPACT_COLUMNS = {"code", "household_code", "parcel_code", "id_number", "bank_account_no", "phone",
                    "contract_certificate_no", "homestead_certificate_no"}

GUIDE = [
    "户信息导入模板（征迁）",
    "",
    "1. 五张表：户、家庭成员、地块、房屋、附着物及青苗，用“户编号”关联；不需要的表（如没有房屋）可以删除或留空。",
    "2. 第一行是表头，列顺序可以调整，列名可用别名（见 docs/import-format.md）；红色列为必填。",
    "3. 身份证号、银行账号等长数字请保持“文本”格式，否则 Excel 会丢失末几位。",
    "4. 不接受公式：请复制后“选择性粘贴为数值”。",
    "5. 每户在“家庭成员”表中须有且只有一名“户主”，姓名与“户”表一致。",
    "6. 村/社区、村民小组填名称或区划代码；须在本项目涉及的镇街内。",
    "7. 导入前逐行校验，任何一处有误则整份文件不导入，并给出问题清单（可下载标注了问题的工作簿）。",
    "8. 同一文件不会重复导入。",
]


@dataclass
class _Formats:
    header: Any
    required: Any
    text: Any
    date: Any
    number: Any
    error: Any
    wrap: Any


def _formats(workbook: Workbook) -> _Formats:
    return _Formats(
        header=workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        required=workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_color": "#C00000", "text_wrap": True}
        ),
        text=workbook.add_format({"num_format": "@"}),
        date=workbook.add_format({"num_format": "yyyy-mm-dd"}),
        number=workbook.add_format({"num_format": "0.00"}),
        error=workbook.add_format(
            {"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1, "border_color": "#C00000"}
        ),
        wrap=workbook.add_format({"text_wrap": True, "valign": "top"}),
    )


def _choice_lists(spec: Sheet) -> dict[str, list[str]]:
    lists = {}
    for column in spec.columns:
        if isinstance(column.parser, Choice):
            lists[column.key] = list(column.parser.labels.values())
    if spec.key == "parcels":
        lists["land_class"] = [label for _, label in LAND_CLASS_CHOICES]
    if spec.key == "items":
        lists["kind"] = list(ATTACHMENT_KIND.labels.values())
    return lists


def _header(worksheet: Worksheet, spec: Sheet, formats: _Formats, *, notes: bool) -> None:
    for index, column in enumerate(spec.columns):
        worksheet.write_string(0, index, column.header, formats.required if column.required else formats.header)
        cell_format = formats.text if column.key in _COMPACT_COLUMNS else None
        worksheet.set_column(index, index, column.width, cell_format)
        if notes and column.note:
            worksheet.write_comment(0, index, column.note, {"x_scale": 2, "y_scale": 1.2})
    worksheet.freeze_panes(1, 0)


def write_template(target: str | Path | IO[bytes]) -> None:
    """The blank standard workbook: headers with notes, drop-down lists, text-formatted codes."""
    workbook = xlsxwriter.Workbook(target, {"strings_to_numbers": False})
    formats = _formats(workbook)
    guide = workbook.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 110)
    for row, line in enumerate(GUIDE):
        guide.write_string(row, 0, line, formats.header if row == 0 else None)
    options = workbook.add_worksheet(OPTIONS_SHEET)
    option_column = 0
    for spec in SHEETS:
        worksheet = workbook.add_worksheet(spec.name)
        _header(worksheet, spec, formats, notes=True)
        for key, values in _choice_lists(spec).items():
            index = [column.key for column in spec.columns].index(key)
            options.write_string(0, option_column, f"{spec.name}·{spec.column(key).header}")
            for row, value in enumerate(values, start=1):
                options.write_string(row, option_column, value)
            letter = column_letter(option_column)
            worksheet.data_validation(
                1, index, 50000, index,
                {
                    "validate": "list",
                    "source": f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                    # Only a hint: the import accepts aliases and codes too, and says what is wrong.
                    "error_type": "information",
                    "show_error": key != "kind",
                },
            )
            option_column += 1
    options.hide()
    workbook.worksheets()[2].activate()
    workbook.close()


def _cell(worksheet: Worksheet, row: int, column: int, value: Any, formats: _Formats, cell_format: Any = None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        worksheet.write_string(row, column, "是" if value else "否", cell_format)
    elif isinstance(value, (datetime, date)):
        worksheet.write_datetime(row, column, value, cell_format or formats.date)
    elif isinstance(value, Decimal):
        worksheet.write_number(row, column, float(value), cell_format or formats.number)
    elif isinstance(value, (int, float)):
        worksheet.write_number(row, column, value, cell_format)
    else:
        worksheet.write_string(row, column, str(value), cell_format)


def write_register(target: str | Path | IO[bytes], rows: dict[str, Iterable[Sequence[Any]]]) -> None:
    """The register in the import layout: `rows[sheet key]` yields values in column order."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
    formats = _formats(workbook)
    for spec in SHEETS:
        worksheet = workbook.add_worksheet(spec.name)
        _header(worksheet, spec, formats, notes=False)
        for row_index, values in enumerate(rows.get(spec.key, ()), start=1):
            for column_index, value in enumerate(values):
                _cell(worksheet, row_index, column_index, value, formats)
    workbook.close()


def write_annotated(target: str | Path | IO[bytes], source: Path, issues: Sequence[Issue]) -> None:
    """The uploaded workbook again, each wrong cell highlighted with its message as a comment,
    and a first sheet 问题清单 listing every issue (sheet, cell, column, message)."""
    by_sheet: dict[str, dict[tuple[int, int], list[str]]] = defaultdict(lambda: defaultdict(list))
    for issue in issues:
        row = (issue.row or 1) - 1
        column = _column_index(issue.column) if issue.column else 0
        by_sheet[issue.sheet][row, column].append(issue.message)
    workbook = xlsxwriter.Workbook(target, {"strings_to_numbers": False, "strings_to_formulas": False})
    formats = _formats(workbook)
    summary = workbook.add_worksheet(ISSUES_SHEET)
    for index, (title, width) in enumerate((("工作表", 14), ("单元格", 10), ("列", 16), ("内容", 24), ("问题", 80))):
        summary.write_string(0, index, title, formats.header)
        summary.set_column(index, index, width, formats.wrap if index == 4 else None)
    for row, issue in enumerate(issues, start=1):
        summary.write_string(row, 0, issue.sheet)
        summary.write_string(row, 1, issue.cell)
        summary.write_string(row, 2, issue.header)
        summary.write_string(row, 3, issue.value)
        summary.write_string(row, 4, issue.message)
    summary.freeze_panes(1, 0)
    try:
        original = python_calamine.CalamineWorkbook.from_path(str(source))
    except Exception:  # an unreadable upload: the list alone is the report
        workbook.close()
        return
    try:
        for title in original.sheet_names:
            worksheet = workbook.add_worksheet(title[:31])
            marks = by_sheet.get(title, {})
            data = original.get_sheet_by_name(title).to_python(skip_empty_area=False)
            for row_index, row in enumerate(data):
                for column_index, value in enumerate(row):
                    messages = marks.get((row_index, column_index))
                    _cell(worksheet, row_index, column_index, value, formats, formats.error if messages else None)
                    if messages:
                        if value in ("", None):
                            worksheet.write_blank(row_index, column_index, None, formats.error)
                        worksheet.write_comment(row_index, column_index, "\n".join(messages), {"x_scale": 2.5})
            for (row_index, column_index), messages in marks.items():
                inside = row_index < len(data) and column_index < len(data[row_index])
                if not inside:
                    worksheet.write_blank(row_index, column_index, None, formats.error)
                    worksheet.write_comment(row_index, column_index, "\n".join(messages), {"x_scale": 2.5})
            if data:
                worksheet.freeze_panes(1, 0)
    finally:
        original.close()
    workbook.close()


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1
