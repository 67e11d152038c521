"""Money: ``Decimal`` yuan built from ``str`` or ``int`` only, rounded in one place.

design.md §3 ("Money"): amounts never pass through ``float``; the single rounding rule is
ROUND_HALF_UP to the fen (四舍五入到分); the amount in words (大写金额) is written per the
People's Bank of China 《支付结算办法》 附件一 (正确填写票据和结算凭证的基本规定) after rounding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

from zhengqian.domain.errors import InvalidInput

__all__ = [
    "FEN",
    "amount_in_words",
    "format_yuan",
    "from_fen",
    "round_fen",
    "sum_money",
    "to_fen",
    "yuan",
]

FEN = Decimal("0.01")

_CLAUSE_WORDS = "支付结算办法附件一"

# Plain digits, optionally grouped by thousands with commas ("1,234.50"); no exponents, so a
# pasted "1e5" is refused rather than read as 100000.
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")

# cn2an refuses more than 16 integer digits; the domain never comes near that.
_WORDS_LIMIT = Decimal("1E16")


def yuan(value: str | int | Decimal) -> Decimal:
    """An exact amount in yuan from text, an integer or a Decimal; floats are refused
    (design.md §3: ``Decimal`` from ``str``/``int`` only), because 0.1 + 0.2 ≠ 0.3.

    Text may carry surrounding whitespace and thousands separators ("1,234.50"). The value is
    not rounded; ``round_fen`` does that, once, where the amount is fixed.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"yuan() takes str, int or Decimal, not {type(value).__name__}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return _finite(value)
    text = value.strip()
    if not _AMOUNT.fullmatch(text):
        raise InvalidInput(f"金额格式不正确：{value!r}")
    return Decimal(text.replace(",", ""))


def round_fen(value: Decimal) -> Decimal:
    """THE rounding function: ROUND_HALF_UP to 0.01 yuan (四舍五入到分)."""
    if not isinstance(value, Decimal):
        raise TypeError(f"round_fen() takes Decimal, not {type(value).__name__}")
    if not value.is_finite():  # _finite, inlined: this runs for every priced line
        _finite(value)
    try:
        rounded = value.quantize(FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # Only reachable past 26 integer digits, the default context's precision.
        raise InvalidInput(f"金额超出可处理的范围：{value}") from None
    # -0.004 rounds to -0.00; show and store it as 0.00 so no document reads "负零元整".
    return rounded.copy_abs() if rounded.is_zero() else rounded


def to_fen(value: Decimal) -> int:
    """The amount as a whole number of fen, after ``round_fen``."""
    return int(round_fen(value).scaleb(2))


def from_fen(fen: int) -> Decimal:
    """Yuan with two decimal places from a whole number of fen."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"from_fen() takes int, not {type(fen).__name__}")
    return round_fen(Decimal(fen).scaleb(-2))


def amount_in_words(value: Decimal) -> str:
    """The Chinese capital amount (大写金额) after ``round_fen``, e.g. 100.05 → 壹佰元零伍分.

    Written per 《支付结算办法》附件一: 整 after 元 or 角 with nothing after it, 零 before a
    分 whose 角 is zero, negative amounts prefixed 负. cn2an's "rmb" mode already produces this
    form for every case in test_money.py (0 → 零元整, 100.50 → 壹佰元伍角, 100.05 → 壹佰元零伍分,
    123456789.12 → 壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分), so no post-processing is
    done; the sign is handled here so the rule does not depend on cn2an's own.
    """
    rounded = round_fen(value)
    magnitude = abs(rounded)
    if magnitude >= _WORDS_LIMIT:
        raise InvalidInput(f"金额过大，无法写成大写：{rounded}", clause=_CLAUSE_WORDS)
    words = str(cn2an.an2cn(f"{magnitude:f}", "rmb"))
    return f"负{words}" if rounded < 0 else words


def format_yuan(value: Decimal) -> str:
    """Thousands-grouped, two decimals, after ``round_fen``: "1,234,567.80"."""
    return f"{round_fen(value):,.2f}"


def sum_money(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of Decimal amounts (no rounding; an empty sum is 0.00).

    Rejects floats and other types, which ``sum`` would otherwise mix in silently.
    """
    total = Decimal("0.00")
    for value in values:
        if value.__class__ is not Decimal and not isinstance(value, Decimal):
            raise TypeError(f"sum_money() takes Decimal amounts, not {type(value).__name__}")
        if not value.is_finite():  # _finite, inlined: this runs for every line of every total
            _finite(value)
        total += value
    return total


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise InvalidInput(f"金额不是有限数值：{value}")
    return value
