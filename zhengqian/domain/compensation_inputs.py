"""What the survey found for one household (户): its parcels, buildings, attachments and
counted crops, the inputs of :func:`zhengqian.domain.compensation.price`. Quantities are
``Decimal`` and never negative; codes are unique within a household. Split from
:mod:`zhengqian.domain.compensation`, which re-exports every public name here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhengqian.domain.compensation_standard import LEGALITY, UNITS, Legality, _count, _non_negative, _unique
from zhengqian.domain.errors import InvalidInput

__all__ = ["AttachmentIn", "BuildingIn", "HouseholdInputs", "ParcelIn"]


@dataclass(frozen=True, slots=True)
class ParcelIn:
    """A surveyed parcel (地块): its land class and area in m²."""

    code: str
    land_class: str
    area_m2: Decimal
    contractor: bool = True
    after_cutoff: bool = False

    def __post_init__(self) -> None:
        _non_negative(self.area_m2, f"{self.code}.area_m2", f"地块 {self.code} 的面积")


@dataclass(frozen=True, slots=True)
class BuildingIn:
    """A surveyed building (房屋): structure, use, floor area and legality. The optional
    labels (e.g. 砖混结构, 住宅) are shown in the line's description instead of the codes."""

    code: str
    structure: str
    use: str
    floor_area: Decimal
    legality: Legality = "permitted"
    after_cutoff: bool = False
    structure_label: str = ""
    use_label: str = ""

    def __post_init__(self) -> None:
        _non_negative(self.floor_area, f"{self.code}.floor_area", f"房屋 {self.code} 的面积")
        if self.legality not in LEGALITY:
            raise InvalidInput(f"房屋 {self.code}：未知的合法性类别 {self.legality!r}", field=self.code)


@dataclass(frozen=True, slots=True)
class AttachmentIn:
    """A surveyed attachment (附着物) or counted crop (``is_crop``: fruit trees, per item)."""

    code: str
    kind: str
    quantity: Decimal
    unit: str
    after_cutoff: bool = False
    is_crop: bool = False
    kind_label: str = ""

    def __post_init__(self) -> None:
        _non_negative(self.quantity, f"{self.code}.quantity", f"附着物 {self.code} 的数量")
        if self.unit not in UNITS:
            raise InvalidInput(f"附着物 {self.code}：未知的计量单位 {self.unit!r}", field=self.code)


@dataclass(frozen=True)
class HouseholdInputs:
    """What the survey found for one household (户). ``transition_months`` ``None`` means the
    standard's default; ``handover_on`` is the day the household handed over, if it has."""

    code: str
    resettled_persons: int = 0
    parcels: Sequence[ParcelIn] = ()
    buildings: Sequence[BuildingIn] = ()
    attachments: Sequence[AttachmentIn] = ()
    transition_months: int | None = None
    handover_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "parcels", tuple(self.parcels))
        object.__setattr__(self, "buildings", tuple(self.buildings))
        object.__setattr__(self, "attachments", tuple(self.attachments))
        _count(self.resettled_persons, "resettled_persons", "安置人口")
        if self.transition_months is not None:
            _count(self.transition_months, "transition_months", "过渡期")
        _unique((item.code for item in self.parcels), "地块")
        _unique((item.code for item in self.buildings), "房屋")
        _unique((item.code for item in self.attachments), "附着物")
