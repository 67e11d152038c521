"""Template helpers of the funds pages: money, category and kind labels, dict look-ups."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.ledger import AccountKind, Category, EntryKind
from zhengqian.domain.money import format_yuan

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """1234.5 → "1,234.50"; empty → "0.00"."""
    if value in (None, ""):
        return "0.00"
    return format_yuan(value if isinstance(value, Decimal) else Decimal(str(value)))


@register.filter
def category_label(value: Any) -> str:
    try:
        return Category(str(value)).label
    except ValueError:
        return str(value)


@register.filter
def kind_label(value: Any) -> str:
    for enum in (AccountKind, EntryKind, PaymentState):
        try:
            return enum(str(value)).label  # type: ignore[call-arg]
        except ValueError:
            continue
    return str(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def district_view(project: Any, user: Any) -> bool:
    """Whether `user` may open the project-wide reports (hides links that would answer 403)."""
    from zhengqian.funds.selectors import has_district_view

    return has_district_view(user=user, project=project)
