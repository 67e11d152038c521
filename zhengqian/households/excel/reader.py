"""Read the workbook with python-calamine and match sheets and headers by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from .cells import is_blank
from .issues import Issue, column_letter
from .layout import SHEETS, Column, Sheet, normalise_header
from .safety import WorkbookRefused

HEADER_SEARCH_ROWS = 10


@dataclass
class SheetRows:
    """The data rows of one sheet; `positions` maps a column key to its index in each row."""

    spec: Sheet
    title: str  # the sheet's name in the file
    header_row: int  # Excel row number of the header
    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # key -> header as written
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (Excel row number, cells)

    def letter(self, key: str) -> str:
        return column_letter(self.positions[key]) if key in self.positions else ""


@dataclass
class WorkbookRows:
    sheets: dict[str, SheetRows] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    ignored_columns: list[tuple[str, str]] = field(default_factory=list)  # (sheet, header)


def _sheet_lookup() -> dict[str, Sheet]:
    lookup: dict[str, Sheet] = {}
    for spec in SHEETS:
        for name in (spec.name, *spec.aliases):
            lookup[normalise_header(name)] = spec
    return lookup


def _header_lookup(spec: Sheet) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in spec.columns:
        for name in (column.header, *column.aliases):
            lookup.setdefault(normalise_header(name), column)
    return lookup


def read_workbook(path: Path) -> WorkbookRows:
    """All recognised sheets as rows of raw cells; structural problems as Issues."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own family plus OSError
        raise WorkbookRefused(f"无法读取工作簿：{type(error).__name__}。请确认文件是 Excel 工作簿（.xlsx）。") from None
    result = WorkbookRows()
    sheets = _sheet_lookup()
    try:
        for title in workbook.sheet_names:
            spec = sheets.get(normalise_header(title))
            if spec is None:
                result.ignored_sheets.append(title)
                continue
            if spec.key in result.sheets:
                first = result.sheets[spec.key].title
                message = f"与工作表“{first}”重复：同一类数据只能有一张表。"
                result.issues.append(Issue(sheet=title, row=None, column="", message=message))
                continue
            rows = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
            sheet = _read_sheet(spec, title, rows, result)
            if sheet is not None:
                result.sheets[spec.key] = sheet
    except python_calamine.CalamineError as error:
        raise WorkbookRefused(f"工作簿内容已损坏，无法读取（{type(error).__name__}）。") from None
    finally:
        workbook.close()
    for spec in SHEETS:
        if spec.required and spec.key not in result.sheets and not any(i.sheet == spec.name for i in result.issues):
            result.issues.append(Issue(sheet=spec.name, row=None, column="", message=f"缺少工作表“{spec.name}”。"))
    return result


def _read_sheet(spec: Sheet, title: str, rows: list[list[Any]], result: WorkbookRows) -> SheetRows | None:
    lookup = _header_lookup(spec)
    key_column = spec.columns[0]
    header_index = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(isinstance(cell, str) and lookup.get(normalise_header(cell)) is key_column for cell in row):
            header_index = index
            break
    if header_index is None:
        if all(all(is_blank(cell) for cell in row) for row in rows):
            message = "工作表为空：没有表头行。请使用导入模板，不需要的表可以删除。"
        else:
            message = f"找不到表头：前 {HEADER_SEARCH_ROWS} 行中没有“{key_column.header}”列。"
        result.issues.append(Issue(sheet=title, row=None, column="", message=message))
        return None
    sheet = SheetRows(spec=spec, title=title, header_row=header_index + 1)
    for position, cell in enumerate(rows[header_index]):
        if is_blank(cell):
            continue
        written = str(cell).strip()
        column = lookup.get(normalise_header(written))
        if column is None:
            result.ignored_columns.append((title, written))
            continue
        if column.key in sheet.positions:
            result.issues.append(
                Issue(
                    sheet=title,
                    row=sheet.header_row,
                    column=column_letter(position),
                    header=written,
                    message=(
                        f"与 {sheet.letter(column.key)} 列“{sheet.headers[column.key]}”重复"
                        f"（同为“{column.header}”）。"
                    ),
                )
            )
            continue
        sheet.positions[column.key] = position
        sheet.headers[column.key] = written
    for column in spec.columns:
        if column.required and column.key not in sheet.positions:
            result.issues.append(
                Issue(sheet=title, row=sheet.header_row, column="", message=f"缺少必填列“{column.header}”。")
            )
    width = max(sheet.positions.values(), default=-1) + 1
    positions = list(sheet.positions.values())
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if len(row) < width:
            row = [*row, *[""] * (width - len(row))]
        for position in positions:
            cell = row[position]
            if cell != "" and cell is not None and not (cell.__class__ is str and cell.isspace()):
                sheet.rows.append((index + 1, row))
                break
    if not sheet.rows and spec.required:
        result.issues.append(Issue(sheet=title, row=None, column="", message="工作表没有数据行。"))
    return sheet
