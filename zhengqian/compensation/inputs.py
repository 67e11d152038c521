"""From database rows to the pure pricing core's inputs (zhengqian/domain/compensation.py).

Loads are bulk: any number of households costs five queries (members, parcels, buildings,
attachments, crops), so re-pricing a whole project does not issue a query per household.

Survey items flagged at the cutoff (households.CutoffFlag) become exclusions:
- rushed (抢栽抢种抢建, putian-2014 (二)): the whole item ``after_cutoff``;
- new unlawful building (新增两违, banan-2015 (三)): legality ``new_unlawful``;
- enlarged after the notification: the baseline quantity is priced, and the increase is a
  second input with the suffix ``+`` that is excluded on the same ground.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from zhengqian.domain import compensation as domain
from zhengqian.households.models import (
    CLAUSE_NEW_UNLAWFUL,
    Attachment,
    AttachmentKind,
    Building,
    BuildingUse,
    Crop,
    CutoffFlag,
    HouseholdMember,
    Ownership,
    Parcel,
    Structure,
)

from .models import CompensationStandard

ENLARGED_SUFFIX = "+"
_STRUCTURES = dict(Structure.choices)
_USES = dict(BuildingUse.choices)
_KINDS = dict(AttachmentKind.choices)


def domain_standard(standard: CompensationStandard) -> domain.Standard:
    """The domain ``Standard`` of a stored version (rates and reward windows)."""
    rates = tuple(
        domain.Rate(
            category=rate.category, item=rate.item, name=rate.name, unit=rate.unit,
            amount=plain(rate.amount), payee=rate.payee, clause=rate.clause,
        )
        for rate in standard.rates.all()
    )
    windows = tuple(
        domain.RewardWindow(
            start=window.start, end=window.end, clause=window.clause,
            amount_per_household=window.amount_per_household, percent=window.percent,
        )
        for window in standard.reward_windows.all()
    )
    return domain.Standard(
        code=standard.project.code, version=str(standard.version), rates=rates, reward_windows=windows,
        transition_months_default=standard.transition_months_default,
    )


def plain(amount: Decimal) -> Decimal:
    """A stored rate without the column's trailing zeros beyond the fen: 45000.0000 → 45000.00,
    12.3450 → 12.345 (so the formula shows the rate as it was set)."""
    fen = amount.quantize(Decimal("0.01"))
    if fen == amount:
        return fen
    text = format(amount, "f").rstrip("0")
    return Decimal(text)


@dataclass(frozen=True)
class Terms:
    """What pricing takes besides the survey: months of transition and the handover date."""

    transition_months: int | None = None
    handover_on: date | None = None


def _split(quantity: Decimal, baseline: Decimal | None, flag: str) -> tuple[Decimal, Decimal]:
    """(priced part, excluded increase) of an item enlarged after the cutoff."""
    if flag == CutoffFlag.ENLARGED and baseline is not None and quantity > baseline:
        return baseline, quantity - baseline
    return quantity, Decimal(0)


# Row layouts (values_list order): the fields every surveyed item has, then its own.
_ITEM_FIELDS = ("household_id", "code", "cutoff_flag", "cutoff_clause", "baseline_quantity")
_BUILDING_FIELDS = (*_ITEM_FIELDS, "structure", "use", "floor_area", "legality")
_COUNTED_FIELDS = (*_ITEM_FIELDS, "kind", "quantity", "unit")
Row = tuple[Any, ...]


def _buildings(rows: Iterable[Row]) -> list[domain.BuildingIn]:
    """Buildings from ``_BUILDING_FIELDS`` rows."""
    found = []
    for _, code, flag, cutoff_clause, baseline, structure, use, floor_area, legality in rows:
        kept, extra = _split(floor_area, baseline, flag)
        new_unlawful = flag == CutoffFlag.NEW_UNLAWFUL or cutoff_clause == CLAUSE_NEW_UNLAWFUL
        structure_label, use_label = _STRUCTURES.get(structure, ""), _USES.get(use, "")
        if kept > 0:
            found.append(domain.BuildingIn(
                code, structure, use, kept, "new_unlawful" if flag == CutoffFlag.NEW_UNLAWFUL else legality,
                flag == CutoffFlag.RUSHED, structure_label, use_label,
            ))
        if extra > 0:
            found.append(domain.BuildingIn(
                code + ENLARGED_SUFFIX, structure, use, extra, "new_unlawful" if new_unlawful else legality,
                not new_unlawful, structure_label, use_label,
            ))
    return found


def _counted(rows: Iterable[Row], *, is_crop: bool) -> list[domain.AttachmentIn]:
    """Attachments (or counted crops) from ``_COUNTED_FIELDS`` rows."""
    found = []
    for _, code, flag, _clause, baseline, kind, quantity, unit in rows:
        kept, extra = _split(quantity, baseline, flag)
        kind_label = "" if is_crop else _KINDS.get(kind, "")
        if kept > 0:
            found.append(domain.AttachmentIn(
                code, kind, kept, unit, flag in (CutoffFlag.RUSHED, CutoffFlag.NEW_UNLAWFUL), is_crop, kind_label,
            ))
        if extra > 0:
            found.append(domain.AttachmentIn(code + ENLARGED_SUFFIX, kind, extra, unit, True, is_crop, kind_label))
    return found


def household_inputs(
    household_ids: list[int], codes: dict[int, str], terms: dict[int, Terms] | None = None, *, where: Q | None = None
) -> dict[int, domain.HouseholdInputs]:
    """The domain inputs of each household in ``household_ids`` (five queries in all).

    ``where`` (a filter on ``household_id`` / ``household__…``) replaces the ``IN`` list in the
    queries when the caller can say it more cheaply, e.g. an id range of one project; rows of
    other households it matches are ignored."""
    terms = terms or {}
    where = where if where is not None else Q(household_id__in=household_ids)
    persons = dict(
        HouseholdMember.objects.filter(where, is_resettlement_person=True)
        .order_by().values("household_id").annotate(n=Count("id")).values_list("household_id", "n")
    )
    parcels: dict[int, list[domain.ParcelIn]] = defaultdict(list)
    contract = Ownership.CONTRACT
    for household_id, code, land_class, area, ownership in (
        Parcel.objects.filter(where).order_by("code").values_list("household_id", "code", "land_class", "area",
                                                                   "ownership")
    ):
        parcels[household_id].append(domain.ParcelIn(code, land_class, area, ownership == contract))
    buildings: dict[int, list[Row]] = defaultdict(list)
    for values in Building.objects.filter(where).order_by("code").values_list(*_BUILDING_FIELDS):
        buildings[values[0]].append(values)
    counted: dict[int, list[Row]] = defaultdict(list)
    crops: dict[int, list[Row]] = defaultdict(list)
    for model, target in ((Attachment, counted), (Crop, crops)):
        for values in model.objects.filter(where).order_by("code").values_list(*_COUNTED_FIELDS):
            target[values[0]].append(values)
    result = {}
    for household_id in household_ids:
        term = terms.get(household_id, Terms())
        result[household_id] = domain.HouseholdInputs(
            code=codes[household_id],
            resettled_persons=persons.get(household_id, 0),
            parcels=parcels.get(household_id, ()),
            buildings=_buildings(buildings.get(household_id, ())),
            attachments=[*_counted(counted.get(household_id, ()), is_crop=False),
                         *_counted(crops.get(household_id, ()), is_crop=True)],
            transition_months=term.transition_months,
            handover_on=term.handover_on,
        )
    return result
