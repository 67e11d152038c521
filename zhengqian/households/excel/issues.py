"""One problem found in a workbook, located by sheet, row and column (in Chinese)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int | None  # the row number Excel shows (1-based); None for the whole sheet/file
    column: str  # column letter ("C"); "" when the problem is not one cell's
    message: str
    header: str = ""  # the column's header as written in the file
    value: str = ""

    @property
    def cell(self) -> str:
        return f"{self.column}{self.row or ''}" if self.column else (f"第{self.row}行" if self.row else "")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Issue:
        return cls(**{key: data.get(key, "") for key in ("sheet", "row", "column", "message", "header", "value")})


class CellError(ValueError):
    """A cell's value is unacceptable; the message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
