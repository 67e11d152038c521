"""The compensation standard (补偿标准): its vocabulary — categories, units, payees — and its
rate table, one version of one project's approved standard ("one standard per project":
yongzhou-linkage 五(二); approved by the leadership group and the district government:
banan-2015 二). Split from :mod:`zhengqian.domain.compensation`, which prices households
with it and re-exports every public name here.

Each :class:`Rate` is refused when its unit does not fit its category (land per 亩 or m²,
houses per m², persons per 人…), when it is negative, or when it lacks a name or clause;
reward windows (交地奖励, putian-2014 (十一)) may not overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import pairwise
from typing import Literal, TypeAlias

from zhengqian.domain.errors import InvalidInput

__all__ = [
    "CATEGORIES",
    "COUNT_UNITS",
    "LEGALITY",
    "MU_IN_M2",
    "PAYEES",
    "UNITS",
    "Legality",
    "Rate",
    "RewardWindow",
    "Standard",
    "m2_to_mu",
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


def m2_to_mu(area_m2: Decimal) -> Decimal:
    """Square metres to 亩 (1 亩 = 10000/15 m²), kept to 4 decimals (ROUND_HALF_UP)."""
    area = _non_negative(area_m2, "area_m2", "面积")
    return (area * 15 / 10000).quantize(_MU_PLACES, rounding=ROUND_HALF_UP)
