"""State changes of the official calendar. Keyword-only, explicit actor, one transaction, audited."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput

from .models import CalendarYear, OfficialDay
from .notice import YearNotice, checked_notice
from .selectors import year_record


def calendar_year_load(
    *,
    actor: User | None,
    year: int,
    source_notice: str,
    holidays: Iterable[tuple[date, date, str]],
    workdays: Iterable[tuple[date, str]],
    replace: bool = False,
    reason: str = "",
) -> CalendarYear:
    """Load one year's State Council holiday notice (design.md §3, "Calendar").

    Every date must lie in ``year``, holiday ranges must be ordered and disjoint, make-up
    workdays must be weekend days outside the ranges. A year already loaded is refused unless
    ``replace`` is given; a replacement deletes and re-adds the year's days in the same
    transaction and is audited as ``calendar.replace`` with the old and new notice.
    ``actor`` None is the operator at the console (``manage.py calendar_load``).
    """
    if actor is not None:
        require(actor, "calendar.manage")
    notice = checked_notice(year=year, source_notice=source_notice, holidays=holidays, workdays=workdays)
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=notice.year).first()
        if existing is not None and not replace:
            raise InvalidInput(
                f"{notice.year} 年的节假日安排已载入（{existing.source_notice}）；"
                "如需替换，须明确选择替换（页面勾选“替换已载入的该年度”，命令加 --replace）。",
                field="replace",
            )
        if existing is not None:
            before: dict[str, Any] | None = year_record(existing)
            existing.days.all().delete()
            row = existing
            action = "calendar.replace"
        else:
            before, row, action = None, CalendarYear(year=notice.year), "calendar.load"
        row.source_notice = notice.source_notice
        row.loaded_at = clock.now()
        row.loaded_by = actor
        row.revision = secrets.token_hex(16)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise InvalidInput(f"{notice.year} 年的节假日安排刚刚已由他人载入，请刷新后再试。", field="year") from None
        _add_days(row, notice)
        audit.record(
            actor=actor, action=action, obj=row, before=before, after=year_record(row),
            reason=reason.strip(), object_label=f"{row.year}年节假日安排",
        )
    return row


def _add_days(row: CalendarYear, notice: YearNotice) -> None:
    OfficialDay.objects.bulk_create(
        OfficialDay(day=entry.day, kind=entry.kind, name=entry.name, year=row) for entry in notice.official_days()
    )
