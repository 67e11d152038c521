"""Turning one raw cell (as python-calamine gives it) into a typed value, or a CellError.

calamine returns str, float, int, bool, date, datetime, time or timedelta; an empty cell is
"". Numbers typed into text columns are accepted when they are whole and short (codes, phone
numbers); long ones are refused, since Excel keeps only 15 significant digits and an ID or a
bank account typed as a number has already lost its last digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .issues import CellError

Parser = Callable[[Any], Any]

_EXCEL_EPOCH = date(1899, 12, 30)
_SPACES = re.compile(r"\s+")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_HUNDREDTH = Decimal("0.01")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "对"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "不是"}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: float | int) -> str:
    if isinstance(value, float):
        if not value.is_integer():
            return f"{value:.15g}"
        if abs(value) >= 1e15:
            raise CellError("数字位数过多，Excel 已丢失末几位：请把该列设为“文本”格式后重新录入。")
        return str(int(value))
    return str(value)


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return _number_text(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def text(max_length: int, *, compact: bool = False) -> Parser:
    """Text up to `max_length` characters; `compact` also drops inner spaces (codes, numbers)."""

    def parse(value: Any) -> str:
        result = value.strip() if value.__class__ is str else as_text(value)
        if compact and not result.isalnum():
            result = "".join(result.split())
        if len(result) > max_length:
            raise CellError(f"不能超过 {max_length} 个字符（现为 {len(result)} 个）。")
        return result

    # validate.cells reads these to handle the common case (a short string) without a call.
    parse.max_length = max_length  # type: ignore[attr-defined]
    parse.compact = compact  # type: ignore[attr-defined]
    return parse


def decimal(*, minimum: Decimal | None = Decimal(0), exclusive: bool = True, maximum: Decimal | None = None) -> Parser:
    """A number rounded half-up to the hundredth (areas, quantities)."""

    def parse(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise CellError("应为数字。")
        if isinstance(value, (int, float)):
            number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
        else:
            raw = as_text(value).replace(",", "").replace("，", "")
            try:
                number = Decimal(raw)
            except InvalidOperation:
                raise CellError(f"应为数字，现为“{raw[:20]}”。") from None
        if not number.is_finite():
            raise CellError("应为数字。")
        number = number.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
        if minimum is not None and (number <= minimum if exclusive else number < minimum):
            raise CellError(f"应{'大于' if exclusive else '不小于'} {minimum}。")
        if maximum is not None and number > maximum:
            raise CellError(f"不能大于 {maximum}。")
        return number

    # validate._column converts plain float cells inline and checks them against this range.
    parse.decimal_range = (minimum, exclusive, maximum)  # type: ignore[attr-defined]
    return parse


def float_to_hundredths(value: float) -> Decimal | None:
    """A float cell as Excel shows it (15 significant digits), to the hundredth; None if not finite."""
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return Decimal(f"{value:.15g}").quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def integer(*, minimum: int, maximum: int) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise CellError("应为整数。")
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, int):
            number = value
        else:
            raw = as_text(value)
            if not re.fullmatch(r"[+-]?\d+", raw):
                raise CellError(f"应为整数，现为“{raw[:20]}”。")
            number = int(raw)
        if not minimum <= number <= maximum:
            raise CellError(f"应在 {minimum} 到 {maximum} 之间。")
        return number

    return parse


def calendar_date(value: Any) -> date:
    """A real date cell, an Excel serial number, or text like 2020-01-02, 2020/1/2, 2020年1月2日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError("日期超出范围。")
    raw = as_text(value)
    match = _DATE_TEXT.match(raw) or _DATE_COMPACT.match(raw)
    if not match:
        raise CellError(f"日期格式应为 2020-01-31，现为“{raw[:20]}”。")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise CellError(f"日期不存在：“{raw}”。") from None


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = as_text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(f"应填“是”或“否”，现为“{raw[:20]}”。")


@dataclass(frozen=True)
class Choice:
    """A closed list: accepts the Chinese label, the code, or an alias; exports the label."""

    options: dict[str, str]  # normalised text -> value
    labels: dict[str, str]  # value -> label written on export
    listing: str  # shown in messages and the template
    exact: dict[str, str]  # label or code exactly as written -> value (the common case, no normalising)

    @classmethod
    def of(cls, choices: Iterable[tuple[str, str]], aliases: dict[str, str] | None = None) -> Choice:
        pairs = [(value, label) for value, label in choices if value != ""]
        options: dict[str, str] = {}
        for value, label in pairs:
            options[_key(label)] = value
            options[_key(value)] = value
        for alias, value in (aliases or {}).items():
            options[_key(alias)] = value
        exact = {label: value for value, label in pairs} | {value: value for value, _ in pairs}
        listing = "、".join(label for _, label in pairs)
        return cls(options=options, labels=dict(pairs), listing=listing, exact=exact)

    def __call__(self, value: Any) -> str:
        raw = value.strip() if value.__class__ is str else as_text(value)
        found = self.exact.get(raw)
        if found is not None:
            return found
        found = self.options.get(_key(raw))
        if found is None:
            raise CellError(f"“{raw[:20]}”不是可选值，应为：{self.listing}。")
        return found

    def label(self, value: str) -> str:
        return self.labels.get(value, value)


def _key(text: str) -> str:
    return _SPACES.sub("", text).lower().replace("（", "(").replace("）", ")")
