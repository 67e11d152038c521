"""Priced lines and valuations: what :func:`zhengqian.domain.compensation.price` returns,
its totals (per category, per payee, in words) and :func:`diff` between two valuations of one
household (a new standard version, corrected survey data). Split from
:mod:`zhengqian.domain.compensation`, which re-exports every public name here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Literal

from zhengqian.domain.compensation_standard import CATEGORIES, PAYEES
from zhengqian.domain.money import amount_in_words, round_fen, sum_money

__all__ = ["Line", "LineChange", "Valuation", "ValuationDiff", "diff"]


# --------------------------------------------------------------------------- lines and valuations


@dataclass(frozen=True, slots=True)
class Line:
    """One priced line: ``amount == round_fen(quantity × rate)``, rounded once.

    ``source`` is the parcel, building or attachment code (or the household's code for
    per-household lines); ``excluded_reason`` explains a zero line; ``case_by_case`` flags a
    line awaiting or resting on a case-by-case decision (个案研究, banan-2015 三).
    """

    category: str
    item: str
    source: str
    description: str
    quantity: Decimal
    unit: str
    rate: Decimal
    formula: str
    amount: Decimal
    payee: str
    clause: str
    excluded_reason: str = ""
    case_by_case: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the line across re-pricings: category, source, item."""
        return (self.category, self.source, self.item)

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]

    @property
    def payee_label(self) -> str:
        return PAYEES[self.payee]


@dataclass(frozen=True)
class Valuation:
    """A household priced against one standard version."""

    household: str
    standard: str
    lines: tuple[Line, ...]

    @cached_property
    def total(self) -> Decimal:
        """The grand total: the exact sum of the (already rounded) lines (computed once: the
        valuation is immutable)."""
        return round_fen(sum_money([line.amount for line in self.lines]))

    @property
    def total_in_words(self) -> str:
        """The grand total in capitals (大写), per 《支付结算办法》附件一."""
        return amount_in_words(self.total)

    @property
    def total_by_category(self) -> dict[str, Decimal]:
        """Totals per category, in :data:`CATEGORIES` order, for categories with lines."""
        return _totals(self.lines, CATEGORIES, lambda line: line.category)

    @property
    def total_by_payee(self) -> dict[str, Decimal]:
        """Totals per payee, in :data:`PAYEES` order, for payees with lines."""
        return _totals(self.lines, PAYEES, lambda line: line.payee)

    @property
    def case_by_case(self) -> tuple[Line, ...]:
        """Lines that await or rest on a case-by-case decision (个案研究)."""
        return tuple(line for line in self.lines if line.case_by_case)


def _totals(lines: Iterable[Line], order: Mapping[str, str], key: Callable[[Line], str]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for line in lines:
        sums[key(line)] = sums.get(key(line), Decimal("0.00")) + line.amount
    return {code: round_fen(sums[code]) for code in order if code in sums}


@dataclass(frozen=True, slots=True)
class LineChange:
    """One line that differs between two valuations (``None`` on the side it is missing)."""

    key: tuple[str, str, str]
    old: Line | None
    new: Line | None

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    @property
    def delta(self) -> Decimal:
        before = self.old.amount if self.old is not None else Decimal("0.00")
        after = self.new.amount if self.new is not None else Decimal("0.00")
        return round_fen(after - before)


@dataclass(frozen=True)
class ValuationDiff:
    """What re-pricing changed (a new standard version, corrected survey data)."""

    changed_lines: tuple[LineChange, ...]
    old_total: Decimal
    new_total: Decimal

    @property
    def delta(self) -> Decimal:
        return round_fen(self.new_total - self.old_total)


def diff(old: Valuation, new: Valuation) -> ValuationDiff:
    """Lines added, removed or changed (quantity, unit, rate, amount, payee, exclusion) from
    ``old`` to ``new``, in ``new``'s order then the removed ones, with both totals."""
    before = {(line.category, line.source, line.item): line for line in old.lines}  # Line.key, inlined
    after = {(line.category, line.source, line.item): line for line in new.lines}
    changes: list[LineChange] = []
    signature = _signature
    for key, line in after.items():
        previous = before.get(key)
        if previous is None or signature(previous) != signature(line):
            changes.append(LineChange(key, previous, line))
    changes.extend(LineChange(key, line, None) for key, line in before.items() if key not in after)
    return ValuationDiff(tuple(changes), old.total, new.total)


def _signature(line: Line) -> tuple[object, ...]:
    return (line.quantity, line.unit, line.rate, line.amount, line.payee, line.excluded_reason, line.case_by_case)
