"""Resettlement rules (安置): who counts as a resettled person, the area a household is
entitled to and the price of the difference, the order of choosing, the property-certificate
clock and the months of transition. Pure Python: no Django.

Sources: banan-2015 (二) (户口迁移、安置标准及形式), (四) (安置房“五统一”; 由镇街负责分配;
分房后三个月内最迟不超过六个月完成权证办理; 货币安置、购房安置、跨地域安置), putian-2014 (一)(十二)
(土地承包经营者; 优先农业安置), (十三) (留地、留物业、入股), (十四) (先安置后拆迁), (十五)(十六)
(社会保障). The documents leave the concrete numbers (area per person, age bands, prices) to
each project's published scheme, so they come in as ``PersonRules`` / ``AreaRules`` data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from zhengqian.domain.calendar import WorkCalendar
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.money import round_fen, sum_money

__all__ = [
    "CLAUSE_ALLOCATION",
    "CLAUSE_CERTIFICATE",
    "CLAUSE_FORMS",
    "CLAUSE_PERSONS",
    "AgeBand",
    "AreaRules",
    "CertificateClock",
    "ClockState",
    "Decision",
    "Form",
    "Person",
    "PersonRules",
    "PriceLine",
    "Settlement",
    "age_band",
    "age_on",
    "certificate_clock",
    "contribution_split",
    "decide_person",
    "entitled_area",
    "form_allowed",
    "lottery_order",
    "settle_unit",
    "transition_months",
    "unit_fits",
]

CLAUSE_PERSONS = "banan-2015 (二)"
CLAUSE_CONTRACT = "putian-2014 (十二)"
CLAUSE_FORMS = "banan-2015 (四)"
CLAUSE_COLLECTIVE_FORMS = "putian-2014 (十三)"
CLAUSE_ALLOCATION = "banan-2015 (四)"
CLAUSE_CERTIFICATE = "banan-2015 (四)"
CLAUSE_SOCIAL_SECURITY = "putian-2014 (十六)"

_AREA = Decimal("0.01")


# --------------------------------------------------------------------------- resettlement forms


class Form(StrEnum):
    """The resettlement forms (安置方式, glossary "Resettlement")."""

    HOUSING = "housing"  # 安置房安置 banan-2015 (四)
    CASH = "cash"  # 货币安置 banan-2015 (四)
    PURCHASE = "purchase"  # 购房安置（购房券）banan-2015 (四)
    CROSS_REGION = "cross_region"  # 跨地域安置 banan-2015 (四)
    FARMLAND = "farmland"  # 农业安置 putian-2014 (十二)
    RESERVED_LAND = "reserved_land"  # 留地安置 putian-2014 (十三) — the collective's
    RESERVED_PROPERTY = "reserved_property"  # 留物业安置 putian-2014 (十三) — the collective's
    EQUITY = "equity"  # 入股 putian-2014 (十三)


FORM_LABELS: dict[Form, str] = {
    Form.HOUSING: "安置房安置",
    Form.CASH: "货币安置",
    Form.PURCHASE: "购房安置（购房券）",
    Form.CROSS_REGION: "跨地域安置",
    Form.FARMLAND: "农业安置",
    Form.RESERVED_LAND: "留地安置（集体）",
    Form.RESERVED_PROPERTY: "留物业安置（集体）",
    Form.EQUITY: "补偿款入股",
}

FORM_CLAUSES: dict[Form, str] = {
    Form.HOUSING: CLAUSE_FORMS,
    Form.CASH: CLAUSE_FORMS,
    Form.PURCHASE: CLAUSE_FORMS,
    Form.CROSS_REGION: CLAUSE_FORMS,
    Form.FARMLAND: CLAUSE_CONTRACT,
    Form.RESERVED_LAND: CLAUSE_COLLECTIVE_FORMS,
    Form.RESERVED_PROPERTY: CLAUSE_COLLECTIVE_FORMS,
    Form.EQUITY: CLAUSE_COLLECTIVE_FORMS,
}

#: Forms for the collective, not for one household (putian-2014 (十三)).
COLLECTIVE_FORMS = frozenset({Form.RESERVED_LAND, Form.RESERVED_PROPERTY})


def form_allowed(form: Form, *, persons: int, has_house: bool, has_contract: bool) -> tuple[bool, str, str]:
    """May a household choose ``form``? (yes/no, reason, clause).

    Housing, purchase and cross-region resettlement house people: the household needs at
    least one resettled person and an original house to be demolished (banan-2015 (四)).
    Farmland resettlement goes to land contractors (putian-2014 (十二)). Reserved land and
    property are the collective's (putian-2014 (十三)), never a household's choice. Cash and
    equity are open to every household."""
    clause = FORM_CLAUSES[form]
    if form in COLLECTIVE_FORMS:
        return False, f"“{FORM_LABELS[form]}”是对农村集体经济组织的安置方式，不能由一户选择", clause
    if form in (Form.HOUSING, Form.PURCHASE, Form.CROSS_REGION):
        if persons <= 0:
            return False, f"本户没有安置人口，不能选择“{FORM_LABELS[form]}”", CLAUSE_PERSONS
        if not has_house:
            return False, f"本户没有被拆除的住宅，不能选择“{FORM_LABELS[form]}”", clause
    if form == Form.FARMLAND and not has_contract:
        return False, "本户不是土地承包经营者（无承包经营权证号），不能选择农业安置", clause
    return True, f"可选择“{FORM_LABELS[form]}”", clause


# --------------------------------------------------------------------------- resettled persons


class AgeBand(StrEnum):
    MINOR = "minor"  # 未成年
    WORKING = "working"  # 劳动年龄段
    ELDERLY = "elderly"  # 养老年龄段


AGE_BAND_LABELS = {AgeBand.MINOR: "未满16周岁", AgeBand.WORKING: "劳动年龄段", AgeBand.ELDERLY: "达到养老年龄"}


@dataclass(frozen=True)
class Person:
    """What the rules read about one household member."""

    name: str
    hukou_type: str  # agricultural / non_agricultural / resident
    birth_date: date | None
    sex: str = ""  # male / female / ""
    relation: str = "other"
    household_has_contract: bool = False


@dataclass(frozen=True)
class PersonRules:
    """A project's published rules for counting resettled persons (banan-2015 (二) leaves them
    to the district's policy). Defaults: agricultural (or unified resident) hukou in the
    village, the household holding the land contract, no age limit for housing; the age bands
    only sort the social-security categories (16; 60 men, 55 women)."""

    hukou_types: frozenset[str] = frozenset({"agricultural", "resident"})
    require_contract: bool = True
    minimum_age: int = 0
    working_age: int = 16
    pension_age_male: int = 60
    pension_age_female: int = 55
    clause: str = CLAUSE_PERSONS


HUKOU_LABELS = {"agricultural": "农业户口", "non_agricultural": "非农业户口", "resident": "居民户口"}


@dataclass(frozen=True)
class Decision:
    """Does a person count, why, and under which clause."""

    counts: bool
    reason: str
    clause: str
    band: AgeBand | None = None


def age_on(birth: date, day: date) -> int:
    """Full years of age on ``day`` (a person born on 29 February turns a year older on
    1 March of a common year)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def age_band(person: Person, rules: PersonRules, on: date) -> AgeBand | None:
    if person.birth_date is None:
        return None
    age = age_on(person.birth_date, on)
    pension = rules.pension_age_female if person.sex == "female" else rules.pension_age_male
    if age < rules.working_age:
        return AgeBand.MINOR
    if age >= pension:
        return AgeBand.ELDERLY
    return AgeBand.WORKING


def decide_person(person: Person, rules: PersonRules, on: date) -> Decision:
    """Whether ``person`` counts as a resettled person on ``on``, with the first reason that
    decides it. Checked in order: hukou, land contract, birth date and minimum age."""
    band = age_band(person, rules, on)
    hukou = HUKOU_LABELS.get(person.hukou_type, person.hukou_type or "未登记")
    if person.hukou_type not in rules.hukou_types:
        allowed = "、".join(HUKOU_LABELS.get(kind, kind) for kind in sorted(rules.hukou_types))
        return Decision(False, f"户口性质为{hukou}，不属于{allowed}", rules.clause, band)
    if rules.require_contract and not person.household_has_contract:
        return Decision(False, "本户无土地承包经营权证，不是被征地的土地承包经营者", CLAUSE_CONTRACT, band)
    if rules.minimum_age > 0:
        if person.birth_date is None:
            return Decision(False, "未登记出生日期，无法核定年龄", rules.clause, band)
        age = age_on(person.birth_date, on)
        if age < rules.minimum_age:
            return Decision(False, f"{age}周岁，未满{rules.minimum_age}周岁", rules.clause, band)
    return Decision(True, f"{hukou}，本户为土地承包经营者" if rules.require_contract else hukou, rules.clause, band)


# --------------------------------------------------------------------------- area and price


@dataclass(frozen=True)
class AreaRules:
    """A project's housing scheme: area per resettled person, how far a unit may exceed the
    entitlement, and the prices (安置价 within the entitlement, the price above it, the sum
    refunded per m² not taken)."""

    per_person_m2: Decimal
    max_over_m2: Decimal = Decimal("10")
    price_within: Decimal = Decimal("0")
    price_above: Decimal = Decimal("0")
    refund_unused: Decimal = Decimal("0")
    clause: str = CLAUSE_FORMS

    def __post_init__(self) -> None:
        for name in ("per_person_m2", "max_over_m2", "price_within", "price_above", "refund_unused"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise InvalidInput(f"{name} 必须是不小于 0 的数", field=name)


def entitled_area(persons: int, rules: AreaRules) -> Decimal:
    """persons × area per person, to the hundredth of a m²."""
    if persons < 0:
        raise InvalidInput("安置人口不能为负数", field="persons")
    return (rules.per_person_m2 * persons).quantize(_AREA)


def unit_fits(unit_area: Decimal, entitled: Decimal, rules: AreaRules) -> tuple[bool, str]:
    """A unit fits when its area is at most the entitlement plus the allowance."""
    if entitled <= 0:
        return False, "本户没有安置面积"
    limit = entitled + rules.max_over_m2
    if unit_area > limit:
        return False, f"房屋面积 {unit_area}㎡ 超过应安置面积 {entitled}㎡ 加允许超出的 {rules.max_over_m2}㎡"
    return True, f"房屋面积 {unit_area}㎡，应安置面积 {entitled}㎡"


@dataclass(frozen=True)
class PriceLine:
    description: str
    area: Decimal
    price: Decimal
    amount: Decimal  # positive: the household pays; negative: the household is paid
    formula: str


@dataclass(frozen=True)
class Settlement:
    entitled: Decimal
    unit_area: Decimal
    lines: tuple[PriceLine, ...]
    clause: str

    @property
    def balance(self) -> Decimal:
        """What the household pays (negative: what it receives)."""
        return sum_money(line.amount for line in self.lines)


def settle_unit(unit_area: Decimal, entitled: Decimal, rules: AreaRules) -> Settlement:
    """The price lines of one unit against the entitlement: area within it at the resettlement
    price, area above it at the higher price, area not taken refunded."""
    within = min(unit_area, entitled)
    above = max(unit_area - entitled, Decimal(0))
    unused = max(entitled - unit_area, Decimal(0))
    lines = [
        PriceLine(
            "应安置面积内",
            within,
            rules.price_within,
            round_fen(within * rules.price_within),
            f"{within}㎡ × {rules.price_within} 元/㎡",
        )
    ]
    if above > 0:
        lines.append(
            PriceLine(
                "超出应安置面积部分",
                above,
                rules.price_above,
                round_fen(above * rules.price_above),
                f"{above}㎡ × {rules.price_above} 元/㎡",
            )
        )
    if unused > 0 and rules.refund_unused > 0:
        lines.append(
            PriceLine(
                "未用足安置面积退还",
                unused,
                rules.refund_unused,
                -round_fen(unused * rules.refund_unused),
                f"−{unused}㎡ × {rules.refund_unused} 元/㎡",
            )
        )
    return Settlement(entitled=entitled, unit_area=unit_area, lines=tuple(lines), clause=rules.clause)


# --------------------------------------------------------------------------- order of choosing


def _draw_key(seed: str, code: str) -> str:
    return hashlib.sha256(f"{seed}\x1f{code}".encode()).hexdigest()


def lottery_order(codes: Iterable[str], seed: str) -> list[str]:
    """The order of choosing drawn by lot (banan-2015 (四) 由镇街负责分配): each household code is
    ranked by SHA-256(seed, code). Anyone with the published seed and the list of codes can
    recompute the order; it does not depend on the order the codes were given in."""
    if not seed.strip():
        raise InvalidInput("抽签须有公开的随机种子", field="seed")
    unique = sorted(set(codes))
    return sorted(unique, key=lambda code: (_draw_key(seed, code), code))


def priority_order(groups: Sequence[tuple[str, int, int]]) -> list[str]:
    """(code, priority group, position within it) → codes by group, then position, then code.
    Lower group numbers choose first (e.g. 1 = 优先组: 烈军属、残疾人、困难户)."""
    return [code for code, _, _ in sorted(groups, key=lambda item: (item[1], item[2], item[0]))]


# --------------------------------------------------------------------------- certificate clock


class ClockState(StrEnum):
    OPEN = "open"  # within 3 months
    LATE = "late"  # past 3 months, within 6
    OVERDUE = "overdue"  # past 6 months, no certificate
    DONE = "done"  # certificate within 3 months
    DONE_LATE = "done_late"  # certificate after 3 months (within 6 or not)


CLOCK_LABELS = {
    ClockState.OPEN: "办理中",
    ClockState.LATE: "已超三个月",
    ClockState.OVERDUE: "已超六个月（逾期）",
    ClockState.DONE: "已按期办结",
    ClockState.DONE_LATE: "已办结（超三个月）",
}


@dataclass(frozen=True)
class CertificateClock:
    allocated_on: date
    due: date  # 3 months
    latest: date  # 6 months
    provisional: bool
    state: ClockState
    days_left: int  # to ``due`` while open, to ``latest`` while late; 0 once done
    clause: str = CLAUSE_CERTIFICATE

    @property
    def overdue(self) -> bool:
        return self.state == ClockState.OVERDUE


def certificate_clock(
    calendar: WorkCalendar, allocated_on: date, today: date, certificate_on: date | None = None
) -> CertificateClock:
    """The property-certificate clock: within three months of allocation, at the latest six
    (banan-2015 (四) “确保在分房后三个月内最迟不超过六个月完成权证办理”), both counted as
    months on the official calendar (end moved to the next working day). A date in a year
    whose holidays are not loaded is provisional and never made overdue."""
    due = calendar.add_months(allocated_on, 3)
    latest = calendar.add_months(allocated_on, 6)
    provisional = due.provisional or latest.provisional
    if certificate_on is not None:
        if certificate_on < allocated_on:
            raise InvalidInput("发证日期不能早于分房日期", field="certificate_on", clause=CLAUSE_CERTIFICATE)
        state = ClockState.DONE if certificate_on <= due.due else ClockState.DONE_LATE
        return CertificateClock(allocated_on, due.due, latest.due, provisional, state, 0)
    if today <= due.due:
        return CertificateClock(allocated_on, due.due, latest.due, provisional, ClockState.OPEN, (due.due - today).days)
    if today <= latest.due or latest.provisional:
        return CertificateClock(
            allocated_on, due.due, latest.due, provisional, ClockState.LATE, (latest.due - today).days
        )
    return CertificateClock(
        allocated_on, due.due, latest.due, provisional, ClockState.OVERDUE, (latest.due - today).days
    )


# --------------------------------------------------------------------------- transition


def transition_months(vacated_on: date, handed_over_on: date) -> int:
    """Months of transition from vacating the original house to the handover of the new one,
    a started month counting as a whole one (at least one month once the house is vacated)."""
    if handed_over_on < vacated_on:
        raise InvalidInput("交房日期不能早于腾房日期", field="handed_over_on")
    months = (handed_over_on.year - vacated_on.year) * 12 + handed_over_on.month - vacated_on.month
    if handed_over_on.day > vacated_on.day:
        months += 1
    return max(months, 1)


# --------------------------------------------------------------------------- social security


@dataclass(frozen=True)
class Split:
    government: Decimal
    collective: Decimal
    person: Decimal

    @property
    def total(self) -> Decimal:
        return self.government + self.collective + self.person


@dataclass(frozen=True)
class Shares:
    """Shares of a contribution (government / collective / person) in percent, summing to 100."""

    government: Decimal
    collective: Decimal
    person: Decimal = field(default=Decimal(0))

    def __post_init__(self) -> None:
        for name in ("government", "collective", "person"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise InvalidInput("缴费比例须为不小于 0 的数", field=name)
        if self.government + self.collective + self.person != 100:
            raise InvalidInput("政府、集体、个人缴费比例之和须为 100%", field="government")


def contribution_split(total: Decimal, shares: Shares) -> Split:
    """Split one person's contribution by the shares; rounding to the fen, the person's part
    takes the remainder so the three always add up to ``total`` (putian-2014 (十五)(十六))."""
    if total < 0:
        raise InvalidInput("缴费金额不能为负数", field="total")
    total = round_fen(total)
    government = round_fen(total * shares.government / 100)
    collective = round_fen(total * shares.collective / 100)
    if shares.person == 0:
        collective = total - government
        return Split(government, collective, Decimal("0.00"))
    return Split(government, collective, total - government - collective)
