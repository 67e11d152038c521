"""`{% calendar_warning %}`: tells an administrator which year's holiday notice to load."""

from __future__ import annotations

from typing import Any

from django import template

from zhengqian.core.permissions import can

from .. import selectors

register = template.Library()


@register.inclusion_tag("legal/_calendar_warning.html", takes_context=True)
def calendar_warning(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "calendar.manage"):
        return {"years": []}
    return {"years": selectors.unloaded_years()}
