"""Domain errors: a Chinese message for the user plus the clause the rule rests on.

The UI shows ``str(error)``, e.g. "不能发布征收土地公告：征地尚未批准（莆田 (四)）", so
every refusal names its legal source (design.md §3, "Errors").
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base: a Chinese user message plus the clause it rests on."""

    message: str
    clause: str
    field: str | None

    def __init__(self, message: str, *, clause: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.clause = clause
        self.field = field

    def __str__(self) -> str:
        if self.clause:
            return f"{self.message}（{self.clause}）"
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, clause={self.clause!r}, field={self.field!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickling replays only ``args``; keyword-only clause and field would be
        # lost when an error crosses a task queue or a process boundary.
        return (_rebuild, (type(self), self.message, self.clause, self.field))


def _rebuild(cls: type[DomainError], message: str, clause: str, field: str | None) -> DomainError:
    return cls(message, clause=clause, field=field)


class GateClosed(DomainError):
    """The law's order is broken: a step was attempted before what must precede it."""


class InvalidInput(DomainError):
    """A value is unacceptable; ``field`` names the input it came from, when known."""


class PolicyError(DomainError):
    """A policy pack is malformed; the message names the file and the key."""


class CalendarError(DomainError):
    """An impossible date, a negative period, or inconsistent calendar data."""
