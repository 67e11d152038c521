"""The one source of "now" and "today". Logic never calls datetime.now(); tests freeze this."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
_frozen: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware."""
    if _frozen is not None:
        return _frozen
    return timezone.now()


def today() -> date:
    """Today's date in China Standard Time, the calendar every statutory period runs on."""
    return now().astimezone(LOCAL_ZONE).date()


@contextmanager
def frozen(at: datetime | date | str) -> Iterator[datetime]:
    """Freeze the clock (tests, replays). A date freezes at 09:00 local time."""
    global _frozen
    instant = _as_instant(at)
    previous, _frozen = _frozen, instant
    try:
        yield instant
    finally:
        _frozen = previous


def advance(delta: timedelta) -> datetime:
    """Move a frozen clock forward (tests of clocks such as the 2-hour incident window)."""
    global _frozen
    if _frozen is None:
        raise RuntimeError("clock is not frozen")
    _frozen = _frozen + delta
    return _frozen


def _as_instant(at: datetime | date | str) -> datetime:
    if isinstance(at, str):
        at = datetime.fromisoformat(at) if "T" in at or " " in at else date.fromisoformat(at)
    if isinstance(at, datetime):
        return at if at.tzinfo else at.replace(tzinfo=LOCAL_ZONE)
    return datetime(at.year, at.month, at.day, 9, 0, tzinfo=LOCAL_ZONE)
