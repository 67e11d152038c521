"""Pricing a household line by line from the project's compensation standard (design.md §3,
"Money"; issue 7: explainable pricing of every household).

A :class:`Standard` is the approved rate table of one project (补偿标准, "one standard per
project": yongzhou-linkage 五(二); approved by the leadership group and the district
government: banan-2015 二). :func:`price` turns a household's surveyed inputs into
:class:`Line` items, each with its quantity, rate, formula, amount, payee and clause, so
every yuan can be traced to a measurement and a rule. Amounts are ``Decimal`` only and each
line is rounded once, with :func:`zhengqian.domain.money.round_fen`; totals are exact sums of
rounded lines.

Rate item codes follow the input they price (``<class>`` and ``<kind>`` are the survey's codes):

=====================  ==============================  ==========================  ================
category               item code                       unit                        priced per
=====================  ==============================  ==========================  ================
land_compensation      ``land_<land_class>``           mu or m2                    parcel
standing_crop          ``crop_<land_class>``           mu or m2                    parcel (optional)
standing_crop          ``crop_<kind>``                 the attachment's unit       attachment, is_crop
attachment             ``attachment_<kind>``           the attachment's unit       attachment
resettlement_subsidy   ``resettlement_subsidy``        person                      household
house                  ``house_<structure>_<use>``     m2                          building
house                  ``house_existing_unlawful``     m2 (optional)               building
relocation             ``relocation``                  household                   household
transition             ``transition``                  month, or m2 (per m² month)  household
social_security        ``social_security``             person                      household
=====================  ==============================  ==========================  ================

Rewards (奖励) are not rates but :class:`RewardWindow` periods on the handover date
(putian-2014 (十一) "积极探索制定促进交地的奖励办法"). A parcel, building or attachment
without a rate is refused (:class:`InvalidInput` naming it); the per-household categories are
priced only when the standard has a rate for them.

Readings encoded here:

- Area: 1 亩 = 10000/15 m²; the area in 亩 is kept to 4 decimals (ROUND_HALF_UP) and that
  figure is the line's quantity, so the formula shown reproduces the amount by hand. This is a
  rounding of a measurement, not of money; the amount is rounded once.
- Rushed planting or building after the cutoff (实施条例 第二十六条; putian-2014 (二) "抢栽、
  抢种的农作物或抢建的建筑物,征地时将不予补偿安置"): a zero line with the reason. The land
  itself is still compensated; only what was added on it is not.
- New unlawful buildings: a zero line (banan-2015 三 "对新增“两违”建筑，一律不予补偿");
  existing unlawful buildings are decided case by case (banan-2015 三 "一事一议"): priced at
  ``house_existing_unlawful`` when the standard has it, otherwise a zero line awaiting the
  decision; either way flagged ``case_by_case`` (个案研究).
- Crops on a parcel the household does not hold under contract are paid to the collective;
  otherwise to the rate's payee (putian-2014 (十二) "青苗和地上附着物补偿费支付给土地承包
  经营者或地上建筑物的产权人").
- A percentage reward is a share of the household's own lines (payee other than the
  collective), counted before the reward.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import pairwise
from typing import Literal, TypeAlias

from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.money import FEN, amount_in_words, round_fen, sum_money
from zhengqian.domain.policy import PolicyPack

__all__ = [
    "CATEGORIES",
    "COUNT_UNITS",
    "LEGALITY",
    "MU_IN_M2",
    "PAYEES",
    "UNITS",
    "AttachmentIn",
    "BuildingIn",
    "HouseholdInputs",
    "Line",
    "LineChange",
    "ParcelIn",
    "Rate",
    "RewardWindow",
    "Standard",
    "Valuation",
    "ValuationDiff",
    "diff",
    "m2_to_mu",
    "price",
]

#: Compensation categories (glossary "Money"), in the order a valuation lists them.
CATEGORIES: Mapping[str, str] = {
    "land_compensation": "土地补偿费",
    "resettlement_subsidy": "安置补助费",
    "standing_crop": "青苗补偿费",
    "house": "房屋补偿费",
    "attachment": "地上附着物补偿费",
    "relocation": "搬迁费",
    "transition": "过渡费",
    "social_security": "社会保障费",
    "reward": "交地奖励",
}

UNITS: Mapping[str, str] = {
    "mu": "亩",
    "m2": "m²",
    "m": "m",
    "m3": "m³",
    "item": "项",
    "piece": "个",
    "mouth": "口",
    "seat": "座",
    "plant": "株",
    "person": "人",
    "month": "月",
    "household": "户",
}

PAYEES: Mapping[str, str] = {
    "collective": "农村集体经济组织",
    "owner": "产权人",
    "contractor": "土地承包经营者",
    "household": "被征收户",
}

LEGALITY: Mapping[str, str] = {
    "permitted": "合法建筑",
    "existing_unlawful": "存量“两违”建筑",
    "new_unlawful": "新增“两违”建筑",
}

#: Units that count things; a rate per ``item`` prices any of them.
COUNT_UNITS = frozenset({"item", "piece", "mouth", "seat", "plant"})

#: Units a rate of each category may be set in.
_CATEGORY_UNITS: Mapping[str, frozenset[str]] = {
    "land_compensation": frozenset({"mu", "m2"}),
    "resettlement_subsidy": frozenset({"person"}),
    "standing_crop": frozenset({"mu", "m2", "m"}) | COUNT_UNITS,
    "house": frozenset({"m2"}),
    "attachment": frozenset({"m", "m2", "m3"}) | COUNT_UNITS,
    "relocation": frozenset({"household"}),
    "transition": frozenset({"month", "m2"}),
    "social_security": frozenset({"person"}),
}

#: 1 亩 = 10000/15 m² (≈ 666.67 m²).
MU_IN_M2 = Decimal(10000) / Decimal(15)
_MU_PLACES = Decimal("0.0001")

_CLAUSE_RUSHED = "实施条例 第二十六条"
_CLAUSE_UNLAWFUL = "banan-2015 三"

Legality: TypeAlias = Literal["permitted", "existing_unlawful", "new_unlawful"]


# --------------------------------------------------------------------------- checks


def _decimal(value: object, what: str) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be Decimal, not {type(value).__name__}")
    if not value.is_finite():
        raise InvalidInput(f"{what} 不是有限数值：{value}", field=what)
    return value


def _non_negative(value: object, what: str, name: str) -> Decimal:
    number = _decimal(value, what)
    if number < 0:
        raise InvalidInput(f"{name}不能为负数：{number}", field=what)
    return number


def _count(value: object, what: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be int, not {type(value).__name__}")
    if value < 0:
        raise InvalidInput(f"{name}不能为负数：{value}", field=what)
    return value


def _unique(codes: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if not code or not code.strip():
            raise InvalidInput(f"{what}编号不能为空", field=what)
        if code in seen:
            raise InvalidInput(f"{what}编号重复：{code}", field=code)
        seen.add(code)


# --------------------------------------------------------------------------- the standard


@dataclass(frozen=True, slots=True)
class Rate:
    """One rate of a standard: ``amount`` yuan per ``unit`` of ``item``, paid to ``payee``."""

    category: str
    item: str
    name: str
    unit: str
    amount: Decimal
    payee: str
    clause: str

    def __post_init__(self) -> None:
        label = self.item or "（无代码）"
        if not self.item.strip():
            raise InvalidInput("单价项目代码不能为空", field="item")
        if self.category not in _CATEGORY_UNITS:
            raise InvalidInput(f"单价 {label}：未知的补偿类别 {self.category!r}", field=self.item)
        if self.unit not in UNITS:
            raise InvalidInput(f"单价 {label}：未知的计量单位 {self.unit!r}", field=self.item)
        if self.unit not in _CATEGORY_UNITS[self.category]:
            allowed = "、".join(UNITS[unit] for unit in sorted(_CATEGORY_UNITS[self.category]))
            raise InvalidInput(
                f"单价 {label}：{CATEGORIES[self.category]}不能按{UNITS[self.unit]}计（可用：{allowed}）",
                field=self.item,
            )
        if self.payee not in PAYEES:
            raise InvalidInput(f"单价 {label}：未知的支付对象 {self.payee!r}", field=self.item)
        amount = _decimal(self.amount, f"{self.item}.amount")
        if amount < 0:
            raise InvalidInput(f"单价 {label} 不能为负数：{amount}", field=self.item)
        if not self.name.strip():
            raise InvalidInput(f"单价 {label} 缺少名称", field=self.item)
        if not self.clause.strip():
            raise InvalidInput(f"单价 {label} 缺少依据条款", field=self.item)


@dataclass(frozen=True, slots=True)
class RewardWindow:
    """An early-handover reward (交地奖励, putian-2014 (十一)): households that hand over
    between ``start`` and ``end`` (both included) receive ``amount_per_household`` yuan, or
    ``percent`` per cent of their own compensation lines."""

    start: date
    end: date
    clause: str
    amount_per_household: Decimal | None = None
    percent: Decimal | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(f"奖励期限 {self.start}—{self.end} 的结束日早于开始日", field="reward_windows")
        if (self.amount_per_household is None) == (self.percent is None):
            raise InvalidInput(
                f"奖励期限 {self.start}—{self.end} 须且只须设定每户金额或比例之一", field="reward_windows"
            )
        if self.amount_per_household is not None:
            _non_negative(self.amount_per_household, "amount_per_household", "奖励金额")
        if self.percent is not None:
            percent = _non_negative(self.percent, "percent", "奖励比例")
            if percent > 100:
                raise InvalidInput(f"奖励比例不能超过 100%：{percent}", field="percent")
        if not self.clause.strip():
            raise InvalidInput(f"奖励期限 {self.start}—{self.end} 缺少依据条款", field="reward_windows")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Standard:
    """A project's approved compensation standard, one version of it."""

    code: str
    version: str
    rates: tuple[Rate, ...]
    reward_windows: tuple[RewardWindow, ...] = ()
    transition_months_default: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "rates", tuple(self.rates))
        object.__setattr__(self, "reward_windows", tuple(self.reward_windows))
        for rate in self.rates:
            if not isinstance(rate, Rate):
                raise TypeError(f"rates must be Rate, not {type(rate).__name__}")
        _unique((rate.item for rate in self.rates), "单价项目")
        _count(self.transition_months_default, "transition_months_default", "默认过渡期")
        windows = sorted(self.reward_windows, key=lambda window: window.start)
        for before, after in pairwise(windows):
            if after.start <= before.end:
                raise InvalidInput(
                    f"奖励期限重叠：{before.start}—{before.end} 与 {after.start}—{after.end}", field="reward_windows"
                )

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"

    @cached_property
    def _index(self) -> dict[str, Rate]:
        return {rate.item: rate for rate in self.rates}

    def rate(self, item: str) -> Rate | None:
        """The rate for ``item``, or ``None``."""
        return self._index.get(item)


# --------------------------------------------------------------------------- household inputs


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

    @property
    def total(self) -> Decimal:
        """The grand total: the exact sum of the (already rounded) lines."""
        return round_fen(sum_money(line.amount for line in self.lines))

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
    before = {line.key: line for line in old.lines}
    after = {line.key: line for line in new.lines}
    changes: list[LineChange] = []
    for key, line in after.items():
        previous = before.get(key)
        if previous is None or _signature(previous) != _signature(line):
            changes.append(LineChange(key, previous, line))
    changes.extend(LineChange(key, line, None) for key, line in before.items() if key not in after)
    return ValuationDiff(tuple(changes), old.total, new.total)


def _signature(line: Line) -> tuple[object, ...]:
    return (line.quantity, line.unit, line.rate, line.amount, line.payee, line.excluded_reason, line.case_by_case)


# --------------------------------------------------------------------------- pricing


def m2_to_mu(area_m2: Decimal) -> Decimal:
    """Square metres to 亩 (1 亩 = 10000/15 m²), kept to 4 decimals (ROUND_HALF_UP)."""
    area = _non_negative(area_m2, "area_m2", "面积")
    return (area * 15 / 10000).quantize(_MU_PLACES, rounding=ROUND_HALF_UP)


def price(standard: Standard, inputs: HouseholdInputs, *, pack: PolicyPack | None = None) -> Valuation:
    """Price one household against ``standard``, line by line.

    ``pack`` (the project's policy pack) supplies the clauses of the exclusions when it has
    them (putian-2014 (二) for rushed planting, banan-2015 三 for unlawful buildings); without
    it the national 实施条例 第二十六条 and banan-2015 三 are cited. Raises
    :class:`InvalidInput` naming the item when an input has no rate or its unit does not fit.
    """
    pricer = _Pricer(standard, inputs, pack)
    return pricer.run()


class _Pricer:
    def __init__(self, standard: Standard, inputs: HouseholdInputs, pack: PolicyPack | None) -> None:
        self.standard = standard
        self.inputs = inputs
        self.lines: list[Line] = []
        self.rushed_clause = _rule_clause(
            pack, ("rushed_after_notification_zero", "rushed_planting_zero"), _CLAUSE_RUSHED
        )
        self.new_unlawful_clause = _rule_clause(pack, ("new_unlawful_building_zero",), _CLAUSE_UNLAWFUL)
        self.existing_unlawful_clause = _rule_clause(
            pack, ("existing_unlawful_building_case_by_case",), _CLAUSE_UNLAWFUL
        )

    def run(self) -> Valuation:
        for parcel in self.inputs.parcels:
            self.land(parcel)
        for parcel in self.inputs.parcels:
            self.parcel_crop(parcel)
        self.per_person("resettlement_subsidy")
        for building in self.inputs.buildings:
            self.house(building)
        for attachment in self.inputs.attachments:
            self.attachment(attachment)
        self.relocation()
        self.transition()
        self.per_person("social_security")
        self.reward()
        return Valuation(self.inputs.code, self.standard.label, tuple(self.lines))

    # ---- helpers

    def rate(self, item: str, category: str, source: str, what: str) -> Rate:
        rate = self.standard.rate(item)
        if rate is None:
            raise InvalidInput(f"{what}：补偿标准 {self.standard.label} 中没有单价 {item}", field=source)
        self.check_category(rate, category, source, what)
        return rate

    def optional_rate(self, item: str, category: str, source: str, what: str) -> Rate | None:
        rate = self.standard.rate(item)
        if rate is not None:
            self.check_category(rate, category, source, what)
        return rate

    def check_category(self, rate: Rate, category: str, source: str, what: str) -> None:
        if rate.category != category:
            raise InvalidInput(
                f"{what}：单价 {rate.item} 属于{CATEGORIES[rate.category]}，不是{CATEGORIES[category]}",
                field=source,
            )

    def add(
        self,
        rate: Rate,
        *,
        source: str,
        description: str,
        quantity: Decimal,
        formula: str,
        payee: str | None = None,
        case_by_case: bool = False,
    ) -> None:
        self.lines.append(
            Line(
                category=rate.category,
                item=rate.item,
                source=source,
                description=description,
                quantity=quantity,
                unit=rate.unit,
                rate=rate.amount,
                formula=formula,
                amount=round_fen(quantity * rate.amount),
                payee=payee or rate.payee,
                clause=rate.clause,
                case_by_case=case_by_case,
            )
        )

    def exclude(
        self,
        *,
        category: str,
        item: str,
        source: str,
        description: str,
        quantity: Decimal,
        unit: str,
        payee: str,
        clause: str,
        reason: str,
        case_by_case: bool = False,
    ) -> None:
        self.lines.append(
            Line(
                category=category,
                item=item,
                source=source,
                description=description,
                quantity=quantity,
                unit=unit,
                rate=Decimal("0.00"),
                formula="不予计价",
                amount=Decimal("0.00"),
                payee=payee,
                clause=clause,
                excluded_reason=reason,
                case_by_case=case_by_case,
            )
        )

    def area(self, rate: Rate, area_m2: Decimal) -> tuple[Decimal, str]:
        """Quantity and formula for a rate per mu or per m² applied to an area in m²."""
        if rate.unit == "mu":
            mu = m2_to_mu(area_m2)
            return mu, f"{_number(mu)} 亩 × {_yuan(rate.amount)} 元/亩"
        return area_m2, f"{_number(area_m2)} m² × {_yuan(rate.amount)} 元/m²"

    # ---- categories

    def land(self, parcel: ParcelIn) -> None:
        """Land compensation per parcel, paid to the collective (putian-2014 (十二))."""
        what = f"地块 {parcel.code}"
        rate = self.rate(f"land_{parcel.land_class}", "land_compensation", parcel.code, what)
        if rate.unit not in ("mu", "m2"):  # pragma: no cover - Rate refuses other units
            raise InvalidInput(f"{what}：单价 {rate.item} 不是按面积计", field=parcel.code)
        quantity, formula = self.area(rate, parcel.area_m2)
        description = f"{rate.name}：{what}，{_number(parcel.area_m2)} m²"
        if rate.unit == "mu":
            description += f"（折 {_number(quantity)} 亩）"
        self.add(rate, source=parcel.code, description=description, quantity=quantity, formula=formula)

    def parcel_crop(self, parcel: ParcelIn) -> None:
        """Standing crops on a parcel, when the standard prices crops on its land class: to the
        contractor, or to the collective for uncontracted land (putian-2014 (十二))."""
        what = f"地块 {parcel.code} 青苗"
        rate = self.optional_rate(f"crop_{parcel.land_class}", "standing_crop", parcel.code, what)
        if rate is None:
            return
        if rate.unit not in ("mu", "m2"):
            raise InvalidInput(
                f"{what}：单价 {rate.item} 按{UNITS[rate.unit]}计，地块只能按亩或 m² 计", field=parcel.code
            )
        payee = rate.payee if parcel.contractor else "collective"
        quantity, formula = self.area(rate, parcel.area_m2)
        description = f"{rate.name}：{what}，{_number(parcel.area_m2)} m²"
        if not parcel.contractor:
            description += "（未承包地，归集体）"
        if parcel.after_cutoff:
            self.exclude(
                category="standing_crop",
                item=rate.item,
                source=parcel.code,
                description=description,
                quantity=quantity,
                unit=rate.unit,
                payee=payee,
                clause=self.rushed_clause,
                reason="截止日后抢栽抢种的青苗不予补偿",
            )
            return
        self.add(rate, source=parcel.code, description=description, quantity=quantity, formula=formula, payee=payee)

    def per_person(self, item: str) -> None:
        """Resettlement subsidy or social security per resettled person (glossary: 安置人口)."""
        persons = self.inputs.resettled_persons
        rate = self.optional_rate(item, item, self.inputs.code, f"户 {self.inputs.code}")
        if rate is None or persons == 0:
            return
        quantity = Decimal(persons)
        self.add(
            rate,
            source=self.inputs.code,
            description=f"{rate.name}：安置人口 {persons} 人",
            quantity=quantity,
            formula=f"{persons} 人 × {_yuan(rate.amount)} 元/人",
        )

    def house(self, building: BuildingIn) -> None:
        """A building per m² by structure and use (banan-2015 五 原房补偿费), subject to the
        exclusions for rushed and unlawful building (banan-2015 三)."""
        kind = f"{building.structure_label or building.structure}/{building.use_label or building.use}"
        what = f"房屋 {building.code}（{kind}，{LEGALITY[building.legality]}）"
        area = building.floor_area
        description = f"{what}，{_number(area)} m²"
        item = f"house_{building.structure}_{building.use}"
        if building.after_cutoff:
            self.exclude(
                category="house",
                item=item,
                source=building.code,
                description=description,
                quantity=area,
                unit="m2",
                payee="owner",
                clause=self.rushed_clause,
                reason="截止日后抢建的建筑物不予补偿",
            )
            return
        if building.legality == "new_unlawful":
            self.exclude(
                category="house",
                item=item,
                source=building.code,
                description=description,
                quantity=area,
                unit="m2",
                payee="owner",
                clause=self.new_unlawful_clause,
                reason="新增“两违”建筑一律不予补偿",
            )
            return
        if building.legality == "existing_unlawful":
            rate = self.optional_rate("house_existing_unlawful", "house", building.code, what)
            if rate is None:
                self.exclude(
                    category="house",
                    item="house_existing_unlawful",
                    source=building.code,
                    description=description,
                    quantity=area,
                    unit="m2",
                    payee="owner",
                    clause=self.existing_unlawful_clause,
                    reason="存量“两违”建筑一事一议，待个案研究确定",
                    case_by_case=True,
                )
                return
            self.add(
                rate,
                source=building.code,
                description=f"{rate.name}：{description}（个案研究）",
                quantity=area,
                formula=self.area(rate, area)[1],
                case_by_case=True,
            )
            return
        rate = self.rate(item, "house", building.code, what)
        if rate.unit != "m2":  # pragma: no cover - Rate refuses other units for houses
            raise InvalidInput(f"{what}：单价 {rate.item} 不是按 m² 计", field=building.code)
        self.add(
            rate,
            source=building.code,
            description=f"{rate.name}：{description}",
            quantity=area,
            formula=self.area(rate, area)[1],
        )

    def attachment(self, attachment: AttachmentIn) -> None:
        """An attachment or counted crop at the rate for its kind; the rate's unit must be the
        unit it was counted in (a rate per ``item`` fits any count: 个, 口, 座, 株)."""
        category = "standing_crop" if attachment.is_crop else "attachment"
        item = f"{'crop' if attachment.is_crop else 'attachment'}_{attachment.kind}"
        kind = "青苗" if attachment.is_crop else "附着物"
        what = f"{kind} {attachment.code}（{attachment.kind_label or attachment.kind}）"
        quantity = attachment.quantity
        unit = UNITS[attachment.unit]
        description = f"{what}，{_number(quantity)} {unit}"
        if attachment.after_cutoff:
            self.exclude(
                category=category,
                item=item,
                source=attachment.code,
                description=description,
                quantity=quantity,
                unit=attachment.unit,
                payee="owner",
                clause=self.rushed_clause,
                reason=f"截止日后抢栽抢建的{kind}不予补偿",
            )
            return
        rate = self.rate(item, category, attachment.code, what)
        if rate.unit != attachment.unit and not (rate.unit == "item" and attachment.unit in COUNT_UNITS):
            raise InvalidInput(
                f"{what}按{unit}计量，单价 {rate.item} 按{UNITS[rate.unit]}计，计量单位不符",
                field=attachment.code,
            )
        self.add(
            rate,
            source=attachment.code,
            description=f"{rate.name}：{description}",
            quantity=quantity,
            formula=f"{_number(quantity)} {unit} × {_yuan(rate.amount)} 元/{unit}",
        )

    def dwellings(self) -> list[BuildingIn]:
        """Buildings the household is compensated for or whose case is open (not excluded)."""
        return [
            building
            for building in self.inputs.buildings
            if not building.after_cutoff and building.legality != "new_unlawful"
        ]

    def relocation(self) -> None:
        """Relocation fee per household that moves out of a building it is not refused for."""
        rate = self.optional_rate("relocation", "relocation", self.inputs.code, f"户 {self.inputs.code}")
        if rate is None or not self.dwellings():
            return
        self.add(
            rate,
            source=self.inputs.code,
            description=f"{rate.name}：1 户",
            quantity=Decimal(1),
            formula=f"1 户 × {_yuan(rate.amount)} 元/户",
        )

    def transition(self) -> None:
        """Transition fee for the months until resettlement, per household per month or per m²
        of permitted floor area per month."""
        rate = self.optional_rate("transition", "transition", self.inputs.code, f"户 {self.inputs.code}")
        months = self.inputs.transition_months
        if months is None:
            months = self.standard.transition_months_default
        if rate is None or months == 0 or not self.dwellings():
            return
        if rate.unit == "month":
            self.add(
                rate,
                source=self.inputs.code,
                description=f"{rate.name}：过渡 {months} 个月",
                quantity=Decimal(months),
                formula=f"{months} 个月 × {_yuan(rate.amount)} 元/月",
            )
            return
        area = sum_money(b.floor_area for b in self.dwellings() if b.legality == "permitted")
        if area == 0:
            return
        self.add(
            rate,
            source=self.inputs.code,
            description=f"{rate.name}：合法建筑面积 {_number(area)} m²，过渡 {months} 个月",
            quantity=area * months,
            formula=f"{_number(area)} m² × {months} 个月 × {_yuan(rate.amount)} 元/(m²·月)",
        )

    def reward(self) -> None:
        """Early-handover reward by the handover date (putian-2014 (十一))."""
        handover = self.inputs.handover_on
        windows = self.standard.reward_windows
        if handover is None or not windows:
            return
        window = next((w for w in windows if w.covers(handover)), None)
        source = self.inputs.code
        if window is None:
            last = max(windows, key=lambda w: w.end)
            self.exclude(
                category="reward",
                item="reward",
                source=source,
                description=f"交地奖励：{handover} 交地",
                quantity=Decimal(1),
                unit="household",
                payee="household",
                clause=last.clause,
                reason=f"交地日期 {handover} 不在奖励期限内（{_periods(windows)}）",
            )
            return
        span = f"{window.start}至{window.end}"
        if window.amount_per_household is not None:
            rate = window.amount_per_household
            self.lines.append(
                Line(
                    category="reward",
                    item="reward",
                    source=source,
                    description=f"交地奖励：{handover} 交地，在 {span} 奖励期限内",
                    quantity=Decimal(1),
                    unit="household",
                    rate=rate,
                    formula=f"1 户 × {_yuan(rate)} 元/户",
                    amount=round_fen(rate),
                    payee="household",
                    clause=window.clause,
                )
            )
            return
        assert window.percent is not None
        base = sum_money(line.amount for line in self.lines if line.payee != "collective")
        share = window.percent / 100
        self.lines.append(
            Line(
                category="reward",
                item="reward",
                source=source,
                description=f"交地奖励：{handover} 交地，在 {span} 奖励期限内，按本户补偿额的 {window.percent:f}%",
                quantity=base,
                unit="yuan",
                rate=share,
                formula=f"{_yuan(base)} 元 × {window.percent:f}%",
                amount=round_fen(base * share),
                payee="household",
                clause=window.clause,
            )
        )


def _rule_clause(pack: PolicyPack | None, codes: Sequence[str], default: str) -> str:
    if pack is None:
        return default
    for code in codes:
        for rule in pack.rules:
            if rule.code == code:
                return rule.citation.label
    return default


def _periods(windows: Iterable[RewardWindow]) -> str:
    return "、".join(f"{w.start}至{w.end}" for w in sorted(windows, key=lambda w: w.start))


def _number(value: Decimal) -> str:
    """A quantity as measured, thousands grouped: 2,166.67; 3.2500."""
    return f"{value:,f}"


def _yuan(value: Decimal) -> str:
    """A rate or amount with at least two decimals and no rounding: 45,000.00; 12.345."""
    exponent = value.as_tuple().exponent
    shown = value.quantize(FEN) if isinstance(exponent, int) and exponent > -2 else value
    return f"{shown:,f}"
