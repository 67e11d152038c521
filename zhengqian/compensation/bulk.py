"""Inserting many rows at once: ``bulk_create``, or on PostgreSQL for large batches the COPY
protocol, which skips building a model instance and preparing every value in Python (about
seven times faster for the 100,000 valuation lines of a 10,000-household re-pricing; see
bench/recompute.py). Only plain values go in (ids, text, numbers, dates, booleans, JSON); the
table's constraints and triggers apply to COPY as to INSERT."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

COPY_FROM = 1000


def _copying(count: int) -> bool:
    return connection.vendor == "postgresql" and count >= COPY_FROM


def insert_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, batch_size: int = 5000, returning_ids: bool = False
) -> list[int]:
    """Insert ``rows`` (field attnames → values) into ``model``'s table, in order. With
    ``returning_ids`` the new primary keys are returned in the same order (on PostgreSQL they
    are taken from the table's sequence first, so COPY can write them)."""
    if not rows:
        return []
    names = tuple(rows[0])
    return insert_values(model, names, [tuple(row[name] for name in names) for row in rows],
                         batch_size=batch_size, returning_ids=returning_ids)


def insert_values(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]], *, batch_size: int = 5000,
    returning_ids: bool = False,
) -> list[int]:
    """As :func:`insert_rows`, with the attnames once and each row a tuple of values."""
    if not rows:
        return []
    if not _copying(len(rows)):
        objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
        created = model._default_manager.bulk_create(objects, batch_size=batch_size)
        return [item.pk for item in created] if returning_ids else []
    ids: list[int] = []
    if returning_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        names = (model._meta.pk.attname, *names)
        rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    fields = {field.attname: field for field in model._meta.concrete_fields}
    columns = [connection.ops.quote_name(fields[name].column) for name in names]
    json_columns = [index for index, name in enumerate(names) if isinstance(fields[name], models.JSONField)]
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        if not json_columns:
            for row in rows:
                copy.write_row(row)
            return ids
        for row in rows:
            values = list(row)
            for index in json_columns:
                values[index] = json.dumps(values[index], cls=DjangoJSONEncoder, ensure_ascii=False)
            copy.write_row(values)
    return ids
