"""Pricing households line by line: hand-computed households for every category, exclusions,
payee split, amounts in words, re-pricing diffs, and properties (totals, rounding once,
Decimal only)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengqian.domain.compensation import (
    CATEGORIES,
    PAYEES,
    AttachmentIn,
    BuildingIn,
    HouseholdInputs,
    Line,
    ParcelIn,
    Rate,
    RewardWindow,
    Standard,
    Valuation,
    diff,
    m2_to_mu,
    price,
)
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.money import FEN, round_fen
from zhengqian.domain.policy import load_pack

D = Decimal

RATES = (
    Rate(
        "land_compensation", "land_farmland", "耕地土地补偿费", "mu", D("45000.00"), "collective", "putian-2014 (十二)"
    ),
    Rate(
        "land_compensation", "land_homestead", "宅基地土地补偿费", "mu", D("30000"), "collective", "putian-2014 (十二)"
    ),
    Rate("standing_crop", "crop_farmland", "耕地青苗费", "mu", D("2000"), "contractor", "putian-2014 (十二)"),
    Rate("standing_crop", "crop_orange", "柑橘树", "item", D("120"), "contractor", "putian-2014 (十二)"),
    Rate(
        "resettlement_subsidy", "resettlement_subsidy", "安置补助费", "person", D("36000"), "household", "banan-2015 五"
    ),
    Rate("house", "house_brick_concrete_residential", "砖混住宅", "m2", D("1250.00"), "owner", "banan-2015 五"),
    Rate("house", "house_brick_wood_ancillary", "砖木附属用房", "m2", D("680.50"), "owner", "banan-2015 五"),
    Rate("attachment", "attachment_well", "水井", "item", D("800"), "owner", "banan-2015 五"),
    Rate("attachment", "attachment_fence", "围墙", "m", D("35.5"), "owner", "banan-2015 五"),
    Rate("relocation", "relocation", "搬迁费", "household", D("2000"), "household", "banan-2015 五"),
    Rate("transition", "transition", "过渡费", "month", D("800"), "household", "banan-2015 五"),
    Rate("social_security", "social_security", "社会保障费", "person", D("28000"), "household", "putian-2014 (十五)"),
)

WINDOWS = (
    RewardWindow(date(2024, 11, 1), date(2024, 11, 30), "putian-2014 (十一)", amount_per_household=D("10000")),
    RewardWindow(date(2024, 12, 1), date(2024, 12, 15), "putian-2014 (十一)", percent=D("2")),
)

STANDARD = Standard("BN-2024", "1", RATES, WINDOWS, transition_months_default=6)

H1 = HouseholdInputs(
    code="H1",
    resettled_persons=3,
    parcels=[
        ParcelIn("P1", "farmland", D("2166.67"), contractor=True),
        ParcelIn("P2", "homestead", D("200.00"), contractor=False),
    ],
    buildings=[
        BuildingIn("B1", "brick_concrete", "residential", D("120.50")),
        BuildingIn("B2", "brick_wood", "ancillary", D("15.25")),
        BuildingIn("B3", "simple", "other", D("30"), legality="new_unlawful"),
        BuildingIn("B4", "brick_wood", "ancillary", D("20"), legality="existing_unlawful"),
    ],
    attachments=[
        AttachmentIn("A1", "well", D("2"), "mouth"),
        AttachmentIn("A2", "fence", D("12.5"), "m"),
        AttachmentIn("A3", "orange", D("10"), "plant", is_crop=True),
        AttachmentIn("A4", "orange", D("5"), "plant", is_crop=True, after_cutoff=True),
    ],
    handover_on=date(2024, 11, 20),
)


def lines_by_source(valuation: Valuation) -> dict[tuple[str, str], Line]:
    return {(line.category, line.source): line for line in valuation.lines}


# --- a hand-computed household ----------------------------------------------------------


def test_land_by_mu() -> None:
    # 2,166.67 m² × 15/10000 = 3.250005 亩 → 3.2500 亩; × 45,000 = 146,250.00.
    lines = lines_by_source(price(STANDARD, H1))
    land = lines[("land_compensation", "P1")]
    assert land.quantity == D("3.2500") and land.unit == "mu"
    assert land.formula == "3.2500 亩 × 45,000.00 元/亩"
    assert land.amount == D("146250.00")
    assert (land.payee, land.clause) == ("collective", "putian-2014 (十二)")
    assert land.description == "耕地土地补偿费：地块 P1，2,166.67 m²（折 3.2500 亩）"
    homestead = lines[("land_compensation", "P2")]
    assert (homestead.quantity, homestead.amount) == (D("0.3000"), D("9000.00"))


def test_crops_on_parcels_and_counted_crops() -> None:
    lines = lines_by_source(price(STANDARD, H1))
    crop = lines[("standing_crop", "P1")]
    assert (crop.amount, crop.payee) == (D("6500.00"), "contractor")
    assert ("standing_crop", "P2") not in lines  # no crop rate on homestead land
    trees = lines[("standing_crop", "A3")]
    assert trees.formula == "10 株 × 120.00 元/株"
    assert (trees.amount, trees.payee) == (D("1200.00"), "contractor")


def test_crops_on_uncontracted_land_go_to_the_collective() -> None:
    household = HouseholdInputs("H2", parcels=[ParcelIn("P9", "farmland", D("666.67"), contractor=False)])
    crop = lines_by_source(price(STANDARD, household))[("standing_crop", "P9")]
    assert crop.payee == "collective" and "未承包地" in crop.description
    assert (crop.quantity, crop.amount) == (D("1.0000"), D("2000.00"))


def test_houses_by_m2_and_structure() -> None:
    lines = lines_by_source(price(STANDARD, H1))
    b1 = lines[("house", "B1")]
    assert (b1.item, b1.amount, b1.payee) == ("house_brick_concrete_residential", D("150625.00"), "owner")
    assert b1.formula == "120.50 m² × 1,250.00 元/m²"
    assert b1.clause == "banan-2015 五"
    # 15.25 × 680.50 = 10,377.625 → 10,377.63 (四舍五入, once).
    assert lines[("house", "B2")].amount == D("10377.63")


def test_unlawful_buildings() -> None:
    lines = lines_by_source(price(STANDARD, H1))
    new = lines[("house", "B3")]
    assert new.amount == D("0.00") and new.rate == D("0.00")
    assert new.excluded_reason == "新增“两违”建筑一律不予补偿"
    assert new.clause == "banan-2015 三"
    existing = lines[("house", "B4")]
    assert existing.amount == D("0.00") and existing.case_by_case
    assert "个案研究" in existing.excluded_reason and existing.clause == "banan-2015 三"
    # With a rate for existing unlawful buildings they are priced, still flagged.
    rate = Rate("house", "house_existing_unlawful", "存量两违建筑", "m2", D("300"), "owner", "banan-2015 三")
    standard = replace(STANDARD, rates=(*RATES, rate))
    priced = lines_by_source(price(standard, H1))[("house", "B4")]
    assert (priced.amount, priced.case_by_case, priced.excluded_reason) == (D("6000.00"), True, "")
    assert "个案研究" in priced.description


def test_attachments_per_item_and_metre() -> None:
    lines = lines_by_source(price(STANDARD, H1))
    well = lines[("attachment", "A1")]
    assert (well.amount, well.formula, well.payee) == (D("1600.00"), "2 口 × 800.00 元/口", "owner")
    fence = lines[("attachment", "A2")]
    assert (fence.amount, fence.formula) == (D("443.75"), "12.5 m × 35.50 元/m")


def test_rushed_items_are_zero_lines() -> None:
    lines = lines_by_source(price(STANDARD, H1))
    rushed = lines[("standing_crop", "A4")]
    assert rushed.amount == D("0.00") and rushed.excluded_reason.startswith("截止日后抢栽抢建")
    assert rushed.clause == "实施条例 第二十六条"
    household = HouseholdInputs(
        "H3",
        parcels=[ParcelIn("P1", "farmland", D("1000"), after_cutoff=True)],
        buildings=[BuildingIn("B1", "brick_concrete", "residential", D("50"), after_cutoff=True)],
    )
    valuation = price(STANDARD, household, pack=load_pack("putian-2014"))
    found = lines_by_source(valuation)
    # 1,000 m² = 1.5000 亩 × 45,000 = 67,500.00: the land itself still counts.
    assert found[("land_compensation", "P1")].amount == D("67500.00")
    assert found[("standing_crop", "P1")].amount == D("0.00")
    assert found[("standing_crop", "P1")].clause == "putian-2014 (二)"
    assert found[("house", "B1")].excluded_reason == "截止日后抢建的建筑物不予补偿"
    # A household whose only building is refused gets no relocation or transition fee.
    assert {line.category for line in valuation.lines} == {"land_compensation", "standing_crop", "house"}


def test_exclusion_clauses_follow_the_pack() -> None:
    banan = lines_by_source(price(STANDARD, H1, pack=load_pack("banan-2015")))
    assert banan[("standing_crop", "A4")].clause == "实施条例 第二十六条"
    assert banan[("house", "B3")].clause == "banan-2015 三"
    putian = lines_by_source(price(STANDARD, H1, pack=load_pack("putian-2014")))
    assert putian[("standing_crop", "A4")].clause == "putian-2014 (二)"


def test_per_person_and_per_household_lines() -> None:
    lines = lines_by_source(price(STANDARD, H1))
    assert lines[("resettlement_subsidy", "H1")].amount == D("108000.00")
    assert lines[("resettlement_subsidy", "H1")].formula == "3 人 × 36,000.00 元/人"
    assert lines[("social_security", "H1")].amount == D("84000.00")
    assert lines[("relocation", "H1")].amount == D("2000.00")
    transition = lines[("transition", "H1")]
    assert (transition.quantity, transition.amount) == (D("6"), D("4800.00"))  # the default 6 months
    assert transition.formula == "6 个月 × 800.00 元/月"
    shorter = price(STANDARD, replace(H1, transition_months=3))
    assert lines_by_source(shorter)[("transition", "H1")].amount == D("2400.00")
    none = price(STANDARD, replace(H1, transition_months=0, resettled_persons=0))
    assert not {"transition", "resettlement_subsidy", "social_security"} & {line.category for line in none.lines}


def test_transition_per_m2_and_month() -> None:
    rates = tuple(r for r in RATES if r.item != "transition")
    rate = Rate("transition", "transition", "过渡费", "m2", D("8.00"), "household", "banan-2015 五")
    standard = Standard("BN-2024", "2", (*rates, rate), transition_months_default=6)
    line = lines_by_source(price(standard, H1))[("transition", "H1")]
    # Permitted floor area 120.50 + 15.25 = 135.75 m² × 6 months × 8.00 = 6,516.00.
    assert line.formula == "135.75 m² × 6 个月 × 8.00 元/(m²·月)"
    assert (line.quantity, line.amount) == (D("814.50"), D("6516.00"))


def test_reward_windows_by_handover_date() -> None:
    fixed = lines_by_source(price(STANDARD, H1))[("reward", "H1")]
    assert (fixed.amount, fixed.clause, fixed.payee) == (D("10000.00"), "putian-2014 (十一)", "household")
    assert "2024-11-01至2024-11-30" in fixed.description
    edge = lines_by_source(price(STANDARD, replace(H1, handover_on=date(2024, 11, 30))))
    assert edge[("reward", "H1")].amount == D("10000.00")
    # 2% of the household's own lines: 7,700.00 + 163,046.38 + 198,800.00 = 369,546.38
    # → 7,390.9276 → 7,390.93.
    share = lines_by_source(price(STANDARD, replace(H1, handover_on=date(2024, 12, 10))))[("reward", "H1")]
    assert (share.quantity, share.rate, share.amount) == (D("369546.38"), D("0.02"), D("7390.93"))
    assert share.formula == "369,546.38 元 × 2%"
    late = lines_by_source(price(STANDARD, replace(H1, handover_on=date(2025, 1, 5))))[("reward", "H1")]
    assert late.amount == D("0.00") and "不在奖励期限内" in late.excluded_reason
    pending = price(STANDARD, replace(H1, handover_on=None))
    assert "reward" not in {line.category for line in pending.lines}


def test_totals_by_category_payee_and_in_words() -> None:
    valuation = price(STANDARD, H1)
    assert valuation.total_by_payee == {
        "collective": D("155250.00"),
        "owner": D("163046.38"),
        "contractor": D("7700.00"),
        "household": D("208800.00"),
    }
    assert valuation.total_by_category == {
        "land_compensation": D("155250.00"),
        "resettlement_subsidy": D("108000.00"),
        "standing_crop": D("7700.00"),
        "house": D("161002.63"),
        "attachment": D("2043.75"),
        "relocation": D("2000.00"),
        "transition": D("4800.00"),
        "social_security": D("84000.00"),
        "reward": D("10000.00"),
    }
    assert valuation.total == D("534796.38")
    assert valuation.total_in_words == "伍拾叁万肆仟柒佰玖拾陆元叁角捌分"
    assert valuation.standard == "BN-2024@1" and valuation.household == "H1"
    assert [line.source for line in valuation.case_by_case] == ["B4"]


@pytest.mark.parametrize(
    ("rate", "words"),
    [
        ("0", "零元整"),
        ("100.05", "壹佰元零伍分"),
        ("100.50", "壹佰元伍角"),
        ("100", "壹佰元整"),
        ("1000.07", "壹仟元零柒分"),
    ],
)
def test_amount_in_words(rate: str, words: str) -> None:
    standard = Standard("S", "1", (Rate("relocation", "relocation", "搬迁费", "household", D(rate), "household", "c"),))
    household = HouseholdInputs("H", buildings=[BuildingIn("B", "x", "y", D("1"), legality="existing_unlawful")])
    assert price(standard, household).total_in_words == words


def test_amount_in_words_over_one_hundred_million() -> None:
    # 2,000,000 m² = 3,000 亩 × 45,000 = 135,000,000.00.
    household = HouseholdInputs("H", parcels=[ParcelIn("P", "farmland", D("2000000"), contractor=False)])
    standard = Standard("S", "1", RATES[:1])
    valuation = price(standard, household)
    assert valuation.total == D("135000000.00")
    assert valuation.total_in_words == "壹亿叁仟伍佰万元整"
    assert price(Standard("S", "1", ()), HouseholdInputs("H0")).total_in_words == "零元整"


# --- refusals -----------------------------------------------------------------------------


def test_a_unit_that_does_not_fit_is_refused() -> None:
    rates = tuple(r for r in RATES if r.item != "crop_orange")
    per_mu = Rate("standing_crop", "crop_orange", "柑橘", "mu", D("3000"), "contractor", "c")
    with pytest.raises(InvalidInput) as caught:
        price(Standard("S", "1", (*rates, per_mu)), H1)
    assert caught.value.field == "A3"
    assert (
        "A3" in caught.value.message
        and "crop_orange" in caught.value.message
        and "计量单位不符" in caught.value.message
    )
    fence = AttachmentIn("A9", "well", D("3"), "m")
    with pytest.raises(InvalidInput, match="attachment_well"):
        price(STANDARD, HouseholdInputs("H", attachments=[fence]))


def test_an_input_without_a_rate_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        price(STANDARD, HouseholdInputs("H", buildings=[BuildingIn("B7", "earth_wood", "residential", D("10"))]))
    assert caught.value.field == "B7" and "house_earth_wood_residential" in caught.value.message
    with pytest.raises(InvalidInput, match="land_forest"):
        price(STANDARD, HouseholdInputs("H", parcels=[ParcelIn("P7", "forest", D("10"))]))
    with pytest.raises(InvalidInput, match="A7"):
        price(STANDARD, HouseholdInputs("H", attachments=[AttachmentIn("A7", "grave", D("1"), "seat")]))


def test_a_rate_of_the_wrong_category_is_refused() -> None:
    wrong = Rate("attachment", "land_farmland", "错", "m2", D("1"), "owner", "c")
    standard = Standard("S", "1", (wrong,))
    with pytest.raises(InvalidInput, match="不是土地补偿费"):
        price(standard, HouseholdInputs("H", parcels=[ParcelIn("P", "farmland", D("1"))]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": D("-1")}, "不能为负数"),
        ({"unit": "acre"}, "未知的计量单位"),
        ({"unit": "mu"}, "不能按亩计"),
        ({"category": "bribe"}, "未知的补偿类别"),
        ({"payee": "mayor"}, "未知的支付对象"),
        ({"clause": " "}, "缺少依据条款"),
        ({"amount": D("NaN")}, "有限数值"),
    ],
)
def test_rate_validation(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "category": "house",
        "item": "house_x_y",
        "name": "房屋",
        "unit": "m2",
        "amount": D("1"),
        "payee": "owner",
        "clause": "banan-2015 五",
    }
    with pytest.raises(InvalidInput, match=message) as caught:
        Rate(**{**base, **kwargs})  # type: ignore[arg-type]
    assert "house_x_y" in caught.value.message


def test_standard_validation() -> None:
    with pytest.raises(InvalidInput) as caught:
        Standard("S", "1", (RATES[0], RATES[0]))
    assert caught.value.field == "land_farmland" and "重复" in caught.value.message
    overlapping = (
        RewardWindow(date(2024, 1, 1), date(2024, 1, 31), "c", amount_per_household=D("1")),
        RewardWindow(date(2024, 1, 31), date(2024, 2, 28), "c", amount_per_household=D("1")),
    )
    with pytest.raises(InvalidInput, match="重叠"):
        Standard("S", "1", RATES, overlapping)
    with pytest.raises(InvalidInput, match="之一"):
        RewardWindow(date(2024, 1, 1), date(2024, 1, 31), "c", amount_per_household=D("1"), percent=D("1"))
    with pytest.raises(InvalidInput, match="早于"):
        RewardWindow(date(2024, 2, 1), date(2024, 1, 31), "c", percent=D("1"))
    with pytest.raises(InvalidInput, match="100%"):
        RewardWindow(date(2024, 1, 1), date(2024, 1, 31), "c", percent=D("101"))


def test_floats_are_refused_everywhere() -> None:
    with pytest.raises(TypeError):
        Rate("house", "house_x_y", "房屋", "m2", 1250.0, "owner", "c")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ParcelIn("P", "farmland", 100.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        BuildingIn("B", "x", "y", 10.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AttachmentIn("A", "well", 1.0, "item")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        m2_to_mu(666.67)  # type: ignore[arg-type]


def test_input_validation() -> None:
    with pytest.raises(InvalidInput, match="重复"):
        HouseholdInputs("H", parcels=[ParcelIn("P", "farmland", D("1")), ParcelIn("P", "farmland", D("2"))])
    with pytest.raises(InvalidInput, match="负数"):
        ParcelIn("P", "farmland", D("-1"))
    with pytest.raises(InvalidInput, match="负数"):
        HouseholdInputs("H", resettled_persons=-1)
    with pytest.raises(InvalidInput, match="合法性"):
        BuildingIn("B", "x", "y", D("1"), legality="maybe")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="计量单位"):
        AttachmentIn("A", "well", D("1"), "bucket")


def test_m2_to_mu() -> None:
    assert m2_to_mu(D("666.67")) == D("1.0000")
    assert m2_to_mu(D("10000")) == D("15.0000")
    assert m2_to_mu(D("0.03")) == D("0.0000")
    assert m2_to_mu(D("0.04")) == D("0.0001")  # 0.00006 → 0.0001 (half up)


# --- re-pricing ---------------------------------------------------------------------------


def test_diff_after_a_new_standard_version() -> None:
    old = price(STANDARD, H1)
    rates = tuple(
        replace(rate, amount=D("1300.00")) if rate.item == "house_brick_concrete_residential" else rate
        for rate in RATES
        if rate.item != "social_security"
    )
    new = price(Standard("BN-2024", "2", rates, WINDOWS, 6), replace(H1, handover_on=date(2024, 12, 10)))
    change = diff(old, new)
    kinds = {item.key: item.kind for item in change.changed_lines}
    assert kinds == {
        ("house", "B1", "house_brick_concrete_residential"): "changed",
        ("reward", "H1", "reward"): "changed",
        ("social_security", "H1", "social_security"): "removed",
    }
    house = next(item for item in change.changed_lines if item.key[0] == "house")
    assert house.delta == D("6025.00")  # 120.50 × 50
    assert change.old_total == D("534796.38")
    assert change.new_total == new.total
    assert change.delta == new.total - old.total
    assert sum(item.delta for item in change.changed_lines) == change.delta
    assert diff(old, old).changed_lines == ()
    added = diff(price(STANDARD, replace(H1, attachments=())), old)
    assert {item.kind for item in added.changed_lines} == {"added"}


# --- properties -------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
areas = st.decimals(min_value=0, max_value=50000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def households(draw: st.DrawFn) -> tuple[Standard, HouseholdInputs]:
    rates = (
        Rate(
            "land_compensation",
            "land_a",
            "甲类地",
            draw(st.sampled_from(["mu", "m2"])),
            draw(amounts),
            "collective",
            "c",
        ),
        Rate("standing_crop", "crop_a", "甲类地青苗", "mu", draw(amounts), "contractor", "c"),
        Rate("standing_crop", "crop_tree", "果树", "item", draw(amounts), "contractor", "c"),
        Rate("house", "house_s_u", "房屋", "m2", draw(amounts), "owner", "c"),
        Rate("house", "house_existing_unlawful", "存量两违", "m2", draw(amounts), "owner", "c"),
        Rate("attachment", "attachment_w", "附着物", "m", draw(amounts), "owner", "c"),
        Rate("resettlement_subsidy", "resettlement_subsidy", "安置补助费", "person", draw(amounts), "household", "c"),
        Rate("social_security", "social_security", "社保", "person", draw(amounts), "household", "c"),
        Rate("relocation", "relocation", "搬迁", "household", draw(amounts), "household", "c"),
        Rate(
            "transition", "transition", "过渡", draw(st.sampled_from(["month", "m2"])), draw(amounts), "household", "c"
        ),
    )
    windows = (
        RewardWindow(date(2024, 1, 1), date(2024, 6, 30), "c", amount_per_household=draw(amounts)),
        RewardWindow(date(2024, 7, 1), date(2024, 12, 31), "c", percent=draw(st.decimals(0, 100, places=1))),
    )
    standard = Standard("S", "1", rates, windows, draw(st.integers(0, 24)))
    n = st.integers(0, 4)
    inputs = HouseholdInputs(
        "H",
        resettled_persons=draw(st.integers(0, 12)),
        parcels=[ParcelIn(f"P{i}", "a", draw(areas), draw(st.booleans()), draw(st.booleans())) for i in range(draw(n))],
        buildings=[
            BuildingIn(
                f"B{i}",
                "s",
                "u",
                draw(areas),
                draw(st.sampled_from(["permitted", "existing_unlawful", "new_unlawful"])),
                draw(st.booleans()),
            )
            for i in range(draw(n))
        ],
        attachments=[AttachmentIn(f"A{i}", "w", draw(areas), "m", draw(st.booleans())) for i in range(draw(n))]
        + [AttachmentIn(f"T{i}", "tree", D(draw(st.integers(0, 500))), "plant", is_crop=True) for i in range(draw(n))],
        transition_months=draw(st.none() | st.integers(0, 36)),
        handover_on=draw(st.none() | st.dates(date(2023, 6, 1), date(2025, 6, 1))),
    )
    return standard, inputs


@given(households())
def test_totals_rounding_and_types(case: tuple[Standard, HouseholdInputs]) -> None:
    standard, inputs = case
    valuation = price(standard, inputs)
    for line in valuation.lines:
        for value in (line.quantity, line.rate, line.amount):
            assert type(value) is Decimal
        assert line.amount == line.amount.quantize(FEN)
        assert line.amount.as_tuple().exponent == -2
        assert line.amount == round_fen(line.quantity * line.rate)  # rounded once, from the shown figures
        assert line.amount >= 0
        assert line.category in CATEGORIES and line.payee in PAYEES
        assert line.clause
        if line.excluded_reason:
            assert line.amount == 0
    total = sum((line.amount for line in valuation.lines), D("0.00"))
    assert valuation.total == total
    assert sum(valuation.total_by_category.values(), D("0")) == total
    assert sum(valuation.total_by_payee.values(), D("0")) == total
    assert type(valuation.total) is Decimal and valuation.total.as_tuple().exponent == -2
    assert diff(valuation, valuation).changed_lines == ()


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_mu_conversion_is_within_half_a_ten_thousandth(area: Decimal) -> None:
    mu = m2_to_mu(area)
    assert abs(mu - area * 15 / 10000) <= D("0.00005")
    assert mu.as_tuple().exponent == -4
