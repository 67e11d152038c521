"""Pricing through the Django layer: stored valuation rows match a hand computation, category by
category; exclusions are zero lines with their reason; the payee split; the amount in words;
bad input is refused with the clause and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhengqian.core.models import AuditEvent
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households import actions as household_actions
from zhengqian.households.models import Building

from .. import actions
from ..models import Valuation, ValuationLine
from .factories import RATES, approved_standard, line_amounts, priced_household

pytestmark = pytest.mark.django_db

# 2000 m² = 3.0000 亩; 3 resettled persons; 6 months of transition (the standard's default).
EXPECTED = {
    "land_0101": Decimal("135000.00"),  # 3.0000 亩 × 45,000
    "crop_0101": Decimal("4500.00"),  # 3.0000 亩 × 1,500
    "resettlement_subsidy": Decimal("90000.00"),  # 3 人 × 30,000
    "house_brick_concrete_residential": Decimal("144600.00"),  # 120.50 m² × 1,200
    "attachment_well": Decimal("800.00"),  # 1 口 at 800 per item
    "crop_水稻": Decimal("1500.00"),  # 600 m² × 2.5
    "relocation": Decimal("2000.00"),  # 1 户
    "transition": Decimal("4800.00"),  # 6 月 × 800
    "social_security": Decimal("30000.00"),  # 3 人 × 10,000
    "reward": Decimal("5000.00"),  # handed over 2026-03-01, inside 2026-02-01..03-31
}


@pytest.fixture
def setup(today, office_user, leader, project_a, township_a):
    standard = approved_standard(office_user, leader, project_a)
    household = priced_household(office_user, project_a, township_a)
    return standard, household


def test_hand_computed_household(setup, office_user):
    standard, household = setup
    valuation = actions.valuation_run(actor=office_user, household=household, handover_on="2026-03-01")
    assert line_amounts(valuation) == EXPECTED
    assert valuation.standard == standard and valuation.is_current and valuation.sequence == 1
    assert valuation.total == Decimal("418200.00") == sum(EXPECTED.values())
    assert valuation.total_in_words == "肆拾壹万捌仟贰佰元整"
    # payee split: land compensation to the collective (putian-2014 (十二)), the rest to the household
    assert valuation.total_collective == Decimal("135000.00")
    assert valuation.total_household == Decimal("283200.00")
    land = valuation.lines.get(item="land_0101")
    assert land.quantity == Decimal("3.0000") and land.unit == "mu" and land.payee == "collective"
    assert land.formula == "3.0000 亩 × 45,000.00 元/亩" and land.clause == "putian-2014 (十二)"
    crop = valuation.lines.get(item="crop_水稻")
    assert crop.payee == "contractor"
    assert [line.position for line in valuation.lines.all()] == list(range(1, 11))
    assert AuditEvent.objects.filter(action="valuation.run", object_id=str(valuation.pk)).exists()


def test_history_keeps_every_run_and_terms_carry_over(setup, office_user):
    _, household = setup
    first = actions.valuation_run(actor=office_user, household=household, handover_on="2026-03-01",
                                  transition_months=3)
    second = actions.valuation_run(actor=office_user, household=household)
    first.refresh_from_db()
    assert not first.is_current and second.is_current and second.sequence == 2
    assert second.transition_months == 3 and second.handover_on == first.handover_on
    assert line_amounts(second)["transition"] == Decimal("2400.00")
    assert Valuation.objects.filter(household=household).count() == 2


def test_rushed_and_unlawful_items_are_zero_lines_with_reason(today, office_user, leader, project_b, township_b):
    """banan-2015: a building added after the notification is a new unlawful building (三);
    an enlargement is priced up to the baseline and the increase excluded."""
    approved_standard(office_user, leader, project_b)
    household = priced_household(office_user, project_b, township_b, confirm=False)
    household_actions.register_freeze(actor=office_user, project=project_b, notified_on="2026-01-10")
    building = household.buildings.get()
    household_actions.item_update(actor=office_user, item=building, structure=building.structure,
                                  floor_area="150.50", floors=building.floors, use=building.use,
                                  legality=building.legality, build_year=None, parcel=building.parcel,
                                  reason="告知后加建")
    household_actions.building_create(actor=office_user, household=household, structure="simple",
                                      use="ancillary", floor_area="20")
    household_actions.crop_create(actor=office_user, household=household, kind="苗木", quantity="300", unit="plant")
    from .factories import confirm_survey

    household = confirm_survey(office_user, household, "王建国")
    valuation = actions.valuation_run(actor=office_user, household=household)
    excluded = {line.source: line for line in valuation.lines.exclude(excluded_reason="")}
    enlarged = excluded[f"{building.code}+"]
    assert enlarged.amount == 0 and enlarged.quantity == Decimal("30.0000")
    assert "两违" in enlarged.excluded_reason and enlarged.clause
    kept = valuation.lines.get(source=building.code)
    assert kept.amount == Decimal("144600.00")  # the baseline 120.50 m² only
    new_building = Building.objects.get(household=household, structure="simple")
    assert excluded[new_building.code].amount == 0 and "两违" in excluded[new_building.code].excluded_reason
    rushed = [line for line in excluded.values() if line.category == "standing_crop"]
    assert rushed and rushed[0].amount == 0 and "抢栽" in rushed[0].excluded_reason
    assert all(line.formula == "不予计价" for line in excluded.values())


def test_unconfirmed_household_is_refused(today, office_user, leader, project_a, township_a):
    approved_standard(office_user, leader, project_a)
    household = priced_household(office_user, project_a, township_a, confirm=False)
    events = AuditEvent.objects.count()
    with pytest.raises(GateClosed) as refused:
        actions.valuation_run(actor=office_user, household=household)
    assert refused.value.clause == "putian-2014 (二)"
    assert not Valuation.objects.exists() and AuditEvent.objects.count() == events


def test_no_approved_standard_is_refused(today, office_user, leader, project_a, township_a):
    household = priced_household(office_user, project_a, township_a)
    draft = actions.standard_create(actor=office_user, project=project_a, transition_months_default=0)
    actions.rate_set(actor=office_user, standard=draft, category="relocation", item="relocation", name="搬迁费",
                     unit="household", amount_value="1", payee="household", clause="banan-2015 (五)")
    with pytest.raises(GateClosed) as refused:
        actions.valuation_run(actor=office_user, household=household)
    assert refused.value.clause == "banan-2015 (二)"
    assert not Valuation.objects.exists()


def test_unit_mismatch_names_the_item_and_saves_nothing(today, office_user, leader, project_a, township_a):
    household = priced_household(office_user, project_a, township_a)
    approved_standard(office_user, leader, project_a)
    assert Valuation.objects.filter(household=household).count() == 1  # priced by the approval's job
    household_actions.attachment_create(actor=office_user, household=household, kind="fence", quantity="12",
                                        unit="m2")
    lines = ValuationLine.objects.count()
    with pytest.raises(InvalidInput) as refused:
        actions.valuation_run(actor=office_user, household=household)
    assert "计量单位不符" in refused.value.message and refused.value.field.endswith("FZ2")
    assert refused.value.clause == "yongzhou-linkage 五(二)"
    assert ValuationLine.objects.count() == lines and Valuation.objects.filter(household=household).count() == 1


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"amount_value": "-1"}, "amount", "负数"),
        ({"unit": "person"}, "unit", "不能按"),
        ({"item": "house_villa_residential"}, "item", "house_"),
        ({"category": "attachment", "item": "land_0101"}, "item", "attachment_"),
        ({"amount_value": 1.5}, "amount", "浮点"),
    ],
)
def test_bad_rates_are_refused(today, office_user, project_a, values, field, words):
    standard = actions.standard_create(actor=office_user, project=project_a)
    data = {"category": "house", "item": "house_brick_concrete_residential", "name": "砖混", "unit": "m2",
            "amount_value": "1200", "payee": "owner", "clause": "banan-2015 (五)", **values}
    with pytest.raises(InvalidInput) as refused:
        actions.rate_set(actor=office_user, standard=standard, **data)
    assert refused.value.field == field and words in refused.value.message
    assert refused.value.clause == "banan-2015 (二)"
    assert not standard.rates.exists()


def test_negative_quantity_cannot_reach_pricing(today, office_user, project_a, township_a):
    household = priced_household(office_user, project_a, township_a, confirm=False)
    with pytest.raises(InvalidInput):
        household_actions.attachment_create(actor=office_user, household=household, kind="well", quantity="-1",
                                            unit="mouth")


def test_percent_reward_and_transition_per_square_metre(today, office_user, leader, project_a, township_a):
    """A reward of 2% of the household's own lines (not the collective's land compensation), and
    transition priced per m² of permitted floor area per month."""
    rates = [r for r in RATES if r[1] != "transition"]
    rates.append(("transition", "transition", "过渡费", "m2", "10", "household", "banan-2015 (五)"))
    approved_standard(office_user, leader, project_a, rates=rates, reward=None, months=4)
    standard = actions.standard_create(actor=office_user, project=project_a, reason="按比例奖励")
    standard.reward_windows.all().delete()
    actions.reward_window_add(actor=office_user, standard=standard, start="2026-02-01", end="2026-03-31", percent="2")
    actions.standard_submit(actor=office_user, standard=standard)
    actions.standard_approve(actor=leader, standard=standard, approval_reference="纪要")
    household = priced_household(office_user, project_a, township_a)
    valuation = actions.valuation_run(actor=office_user, household=household, handover_on="2026-03-01")
    amounts = line_amounts(valuation)
    assert amounts["transition"] == Decimal("4820.00")  # 120.50 m² × 4 月 × 10
    own = sum(amount for item, amount in amounts.items() if item not in ("land_0101", "reward"))
    assert own == Decimal("278220.00")  # 4,500 + 90,000 + 144,600 + 800 + 1,500 + 2,000 + 4,820 + 30,000
    assert amounts["reward"] == Decimal("5564.40")  # 2% of 278,220.00
    assert valuation.lines.get(item="reward").formula == "278,220.00 元 × 2.00%"
