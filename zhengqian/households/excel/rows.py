"""Reading a sheet for validation: each cell parsed column by column, every problem reported as
an `Issue` with its sheet, row and column (validate.py builds on `SheetChecker`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .cells import as_text, float_to_hundredths
from .issues import CellError, Issue
from .plan import Context, Plan
from .reader import SheetRows, WorkbookRows

MAX_ISSUES = 20_000

Progress = Callable[[int], None]


class SheetChecker:
    """Reporting and the column-by-column parse of a sheet's rows; validate._Checker adds the
    checks of each sheet and between sheets."""

    def __init__(self, rows: WorkbookRows, context: Context, progress: Progress | None) -> None:
        self.rows = rows
        self.context = context
        self.plan = Plan()
        self.progress = progress or (lambda done: None)
        self.done = 0

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
        # The sheet turned into columns in one pass (reader pads every row to the last column read).
        transposed = list(zip(*[row for _, row in rows], strict=False)) if rows else []
        for column in sheet.spec.columns:
            keys.append(column.key)
            position = sheet.positions.get(column.key)
            if position is None:
                columns.append([None] * len(rows))
            else:
                columns.append(self._column(sheet, column, transposed[position] if rows else (), numbers, ok))
        records: list[dict[str, Any] | None] = []
        for index, values in enumerate(zip(*columns, strict=True)):
            if ok[index]:
                record = dict(zip(keys, values, strict=True))
                record["_row"] = numbers[index]
                records.append(record)
            else:
                records.append(None)
        return records

    def _column(
        self, sheet: SheetRows, column: Any, raw: Sequence[Any], numbers: list[int], ok: list[bool]
    ) -> list[Any]:
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


def _shown(value: Any) -> str:
    try:
        text = as_text(value)
    except CellError:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _code_of(sheet: SheetRows, row: list[Any], key: str) -> str:
    position = sheet.positions.get(key)
    if position is None:
        return ""
    try:
        return "".join(as_text(row[position]).split())
    except CellError:
        return ""
