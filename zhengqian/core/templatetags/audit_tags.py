"""Render an audit event's before/after as a readable list of changed fields."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from zhengqian.core.models import AuditEvent

register = template.Library()


def _field(object_type: str, name: str) -> Any:
    """The model field a snapshot key names; None for unknown keys and for reverse relations
    (a snapshot may carry e.g. a count under the related name, which has no verbose name)."""
    try:
        field = apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return None if field.auto_created and not field.concrete else field


def _text(field: Any, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    choices = dict(getattr(field, "flatchoices", None) or [])
    return str(choices.get(value, value))


@register.simple_tag
def audit_changes(event: AuditEvent) -> list[dict[str, str]]:
    """Fields whose value differs between before and after (all of `after` for a creation)."""
    before: dict[str, Any] = event.before if isinstance(event.before, dict) else {}
    after: dict[str, Any] = event.after if isinstance(event.after, dict) else {}
    rows = []
    for key in list(dict.fromkeys([*before, *after])):
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        field = _field(event.object_type, key)
        rows.append(
            {
                "label": str(field.verbose_name) if field is not None else key,
                "before": _text(field, old) if key in before else "",
                "after": _text(field, new) if key in after else "",
            }
        )
    return rows
