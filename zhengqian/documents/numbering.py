"""Document numbers per kind and year (〔2026〕12号) without gaps or duplicates.

One counter row per (scope, kind, year) holds the last number given. The next number is taken
inside the caller's transaction with the row locked (``select_for_update``): concurrent
requests queue on the row and each gets the next number; a transaction that fails rolls its
increment back, so its number is given to the next caller and no gap is left.

``take_next`` works on any counter model with a ``last`` field, so the procedure's and the
compensation app's own counter tables use the same locking code (one implementation).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction

from .models import NumberCounter


def take_next(model: type[models.Model], **key: Any) -> int:
    """Increment and return the counter of ``model`` identified by ``key``; must run inside
    the transaction that uses the number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_next must be called inside transaction.atomic()")
    manager: Any = model._default_manager
    if not manager.filter(**key).exists():
        try:
            with transaction.atomic():  # a savepoint: losing the race to create is harmless
                manager.create(**key)
        except IntegrityError:
            pass
    counter = manager.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return int(counter.last)


def format_number(year: int, seq: int, prefix: str = "") -> str:
    """〔2026〕12号, with an optional issuer prefix (巴南征办〔2026〕12号)."""
    return f"{prefix}〔{year}〕{seq}号"


def next_number(*, scope: str, kind: str, year: int, prefix: str = "") -> tuple[int, str]:
    """The next number of ``kind`` in ``scope`` (a project code, or a district) for ``year``."""
    seq = take_next(NumberCounter, scope=scope, kind=kind, year=year)
    return seq, format_number(year, seq, prefix)
