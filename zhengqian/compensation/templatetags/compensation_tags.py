"""Money and quantities as the documents show them: 1,234,567.80 and 3.25 (no float, no
exponent)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from zhengqian.domain.money import format_yuan

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """Thousands-grouped, two decimals (money.format_yuan); empty for None."""
    if value is None or value == "":
        return ""
    return format_yuan(Decimal(str(value)))


@register.filter
def plain(value: Any) -> str:
    """A quantity or rate without trailing zeros or exponent, thousands grouped: 45,000 · 2.5."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):,f}"
    return f"{number.normalize():,f}"
