"""Pricing a household line by line from the project's compensation standard (design.md §3,
"Money"; issue 7: explainable pricing of every household).

A :class:`Standard` is the approved rate table of one project (补偿标准, "one standard per
project": yongzhou-linkage 五(二); approved by the leadership group and the district
government: banan-2015 二). :func:`price` turns a household's surveyed inputs into
:class:`Line` items, each with its quantity, rate, formula, amount, payee and clause, so
every yuan can be traced to a measurement and a rule. Amounts are ``Decimal`` only and each
line is rounded once, with :func:`zhengqian.domain.money.round_fen`; totals are exact sums of
rounded lines.

The module is split by meaning: the standard's vocabulary and rate table are in
:mod:`.compensation_standard`, the household inputs in :mod:`.compensation_inputs`, the lines,
valuations and :func:`diff` in :mod:`.compensation_valuation`; pricing stays here and every
public name is importable from here.

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

from collections.abc import Iterable, Sequence
from decimal import Decimal

from zhengqian.domain.compensation_inputs import AttachmentIn, BuildingIn, HouseholdInputs, ParcelIn
from zhengqian.domain.compensation_standard import (
    CATEGORIES,
    COUNT_UNITS,
    LEGALITY,
    MU_IN_M2,
    PAYEES,
    UNITS,
    Rate,
    RewardWindow,
    Standard,
    m2_to_mu,
)
from zhengqian.domain.compensation_valuation import Line, LineChange, Valuation, ValuationDiff, diff
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.money import FEN, round_fen, sum_money
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

_CLAUSE_RUSHED = "实施条例 第二十六条"
_CLAUSE_UNLAWFUL = "banan-2015 三"


# --------------------------------------------------------------------------- pricing


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
        self.rushed_clause, self.new_unlawful_clause, self.existing_unlawful_clause = _exclusion_clauses(pack)
        self.shown = _shown_rates(standard)

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
            return mu, f"{_number(mu)} 亩 × {self.shown[rate.item]} 元/亩"
        return area_m2, f"{_number(area_m2)} m² × {self.shown[rate.item]} 元/m²"

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
            formula=f"{persons} 人 × {self.shown[rate.item]} 元/人",
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
            formula=f"{_number(quantity)} {unit} × {self.shown[rate.item]} 元/{unit}",
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
            formula=f"1 户 × {self.shown[rate.item]} 元/户",
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
                formula=f"{months} 个月 × {self.shown[rate.item]} 元/月",
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
            formula=f"{_number(area)} m² × {months} 个月 × {self.shown[rate.item]} 元/(m²·月)",
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


#: The exclusion clauses of the last packs seen (pack → rushed, new unlawful, existing unlawful),
#: so re-pricing thousands of households does not search the pack's rules for each one.
_CLAUSES: dict[int, tuple[PolicyPack, tuple[str, str, str]]] = {}


def _exclusion_clauses(pack: PolicyPack | None) -> tuple[str, str, str]:
    if pack is None:
        return _CLAUSE_RUSHED, _CLAUSE_UNLAWFUL, _CLAUSE_UNLAWFUL
    cached = _CLAUSES.get(id(pack))
    if cached is not None and cached[0] is pack:
        return cached[1]
    clauses = (
        _rule_clause(pack, ("rushed_after_notification_zero", "rushed_planting_zero"), _CLAUSE_RUSHED),
        _rule_clause(pack, ("new_unlawful_building_zero",), _CLAUSE_UNLAWFUL),
        _rule_clause(pack, ("existing_unlawful_building_case_by_case",), _CLAUSE_UNLAWFUL),
    )
    if len(_CLAUSES) >= 32:
        _CLAUSES.clear()
    _CLAUSES[id(pack)] = (pack, clauses)
    return clauses


#: The rates of the last standards seen as the formulas show them (item → "45,000.00").
_SHOWN: dict[int, tuple[Standard, dict[str, str]]] = {}


def _shown_rates(standard: Standard) -> dict[str, str]:
    cached = _SHOWN.get(id(standard))
    if cached is not None and cached[0] is standard:
        return cached[1]
    shown = {rate.item: _yuan(rate.amount) for rate in standard.rates}
    if len(_SHOWN) >= 32:
        _SHOWN.clear()
    _SHOWN[id(standard)] = (standard, shown)
    return shown


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
