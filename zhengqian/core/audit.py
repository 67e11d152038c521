"""The tamper-evident audit chain (design §4).

Every action calls `record` inside its transaction. Rows are hashed over their content and
the previous row's hash; `verify_chain` recomputes it and names the first broken row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from . import clock
from .models import AuditEvent, User

GENESIS = "0" * 64
# Any constant works; it only has to be the same for every writer of the chain.
_CHAIN_LOCK_KEY = 7_410_2026


def jsonable(value: Any) -> Any:
    """Round-trip through JSON so what is stored is exactly what was hashed."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of `obj` for before/after; foreign keys as their ids, M2M as sorted ids."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            data[name] = getattr(obj, f"{name}_id")
        else:
            data[name] = getattr(obj, name)
    return jsonable(data)


def content_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "jurisdiction_path": event.jurisdiction_path,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    # SQLite runs transactions as BEGIN IMMEDIATE (settings), which already serialises writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    jurisdiction_path: str = "",
    object_label: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the action's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    event = AuditEvent(
        seq=(last["seq"] + 1) if last else 1,
        at=clock.now(),
        actor=actor,
        actor_label=actor.username if actor else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(object_label if object_label is not None else str(obj) if obj is not None else "")[:200],
        jurisdiction_path=jurisdiction_path,
        before=jsonable(dict(before)) if before is not None else None,
        after=jsonable(dict(after)) if after is not None else None,
        reason=reason,
        prev_hash=last["hash"] if last else GENESIS,
    )
    event.hash = content_hash(event)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainReport:
    count: int
    first_broken_seq: int | None
    first_broken_id: int | None
    problem: str

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in `seq` order; report the first row that does not fit."""
    previous_hash = GENESIS
    expected_seq = 1
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        problem = ""
        if event.seq != expected_seq:
            problem = f"序号不连续：应为 {expected_seq}，实为 {event.seq}（有事件被删除或插入）"
        elif event.prev_hash != previous_hash:
            problem = "前序哈希不符（前一事件被删除、插入或修改）"
        elif content_hash(event) != event.hash:
            problem = "内容哈希不符（本事件被修改）"
        if problem:
            return ChainReport(count=count, first_broken_seq=event.seq, first_broken_id=event.pk, problem=problem)
        previous_hash = event.hash
        expected_seq += 1
        count += 1
    return ChainReport(count=count, first_broken_seq=None, first_broken_id=None, problem="")


def history_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """Events about one object, newest first (for its history panel)."""
    return (
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-seq")
    )
