"""Checked input values shared by the funds actions: amounts, categories, text, periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.ledger import Category
from zhengqian.domain.money import round_fen, yuan

MAX_AMOUNT = Decimal("1E13")


def amount_of(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    """An amount in yuan, exact to the fen, positive (or zero when allowed); never a float."""
    if isinstance(value, float):
        raise InvalidInput("金额不能是浮点数，请以文本或整数提供。", field=field)
    try:
        amount = yuan(value if isinstance(value, Decimal | int) else str(value or "").strip())
    except (InvalidInput, TypeError):
        raise InvalidInput(f"金额格式不正确：{value!r}", field=field) from None
    if round_fen(amount) != amount:
        raise InvalidInput(f"金额须精确到分：{amount}", field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidInput("金额须大于零。" if not allow_zero else "金额不能为负数。", field=field)
    if amount >= MAX_AMOUNT:
        raise InvalidInput("金额超出范围。", field=field)
    return round_fen(amount)


def category_of(value: Any, field: str = "category") -> Category:
    try:
        return Category(str(value))
    except ValueError:
        raise InvalidInput(f"资金类别不正确：{value!r}", field=field) from None


def text_of(value: Any, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(f"{label}不能为空。", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"{label}不能超过 {max_length} 个字。", field=field)
    return text


def half_year(day: date) -> tuple[date, date]:
    """The half-year (1 Jan–30 Jun or 1 Jul–31 Dec) containing ``day`` (putian-2014 (十): 每六个月)."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


class MoneySum(Sum):
    """SUM of money columns, exact to the fen on every database: SQLite adds decimals as
    floating point (0.04 may come back as 0.0399999999999991), so the result is rounded once
    to the fen; PostgreSQL's numeric sum is exact already."""

    def get_db_converters(self, connection: Any) -> list[Any]:
        return [*super().get_db_converters(connection), _to_fen]


def _to_fen(value: Any, expression: Any, connection: Any) -> Decimal | None:
    if value is None:
        return None
    return round_fen(value if isinstance(value, Decimal) else Decimal(str(value)))
