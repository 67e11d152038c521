"""Test helpers: a hand-computable standard, households with a confirmed survey, signing."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from zhengqian.core.models import Jurisdiction, User
from zhengqian.households import actions as household_actions
from zhengqian.households.models import Household
from zhengqian.households.tests.factories import group_of, resident_id, village_of
from zhengqian.projects.models import Project

from .. import actions
from ..models import Agreement, CompensationStandard

_SERIALS = itertools.count(701)

# category, item, name, unit, amount, payee, clause
RATES: list[tuple[str, str, str, str, str, str, str]] = [
    ("land_compensation", "land_0101", "水田土地补偿费", "mu", "45000", "collective", "putian-2014 (十二)"),
    ("land_compensation", "land_0702", "宅基地土地补偿费", "m2", "60", "collective", "putian-2014 (十二)"),
    ("standing_crop", "crop_0101", "水田青苗补偿费", "mu", "1500", "contractor", "putian-2014 (十二)"),
    ("standing_crop", "crop_水稻", "水稻青苗", "m2", "2.5", "contractor", "putian-2014 (十二)"),
    ("resettlement_subsidy", "resettlement_subsidy", "安置补助费", "person", "30000", "household", "banan-2015 (五)"),
    ("house", "house_brick_concrete_residential", "砖混住宅", "m2", "1200", "owner", "banan-2015 (五)"),
    ("house", "house_simple_ancillary", "简易附属房", "m2", "300", "owner", "banan-2015 (五)"),
    ("attachment", "attachment_well", "水井", "item", "800", "owner", "banan-2015 (五)"),
    ("attachment", "attachment_fence", "围墙", "m", "45", "owner", "banan-2015 (五)"),
    ("relocation", "relocation", "搬迁费", "household", "2000", "household", "banan-2015 (五)"),
    ("transition", "transition", "过渡费", "month", "800", "household", "banan-2015 (五)"),
    ("social_security", "social_security", "社会保障费", "person", "10000", "household", "putian-2014 (十五)"),
]


def approved_standard(
    office: User,
    leader: User,
    project: Project,
    *,
    rates: list[tuple[str, str, str, str, str, str, str]] | None = None,
    reward: tuple[str, str, str] | None = ("2026-02-01", "2026-03-31", "5000"),
    months: int = 6,
    reason: str = "",
    changes: dict[str, str] | None = None,
) -> CompensationStandard:
    """Draft, fill, submit and approve a version (later versions copy the current one)."""
    standard = actions.standard_create(
        actor=office, project=project, reason=reason or ("首版" if not project.standards.exists() else "调整"),
        transition_months_default=months,
    )
    if not standard.rates.exists():
        for category, item, name, unit, amount, payee, clause in rates or RATES:
            actions.rate_set(actor=office, standard=standard, category=category, item=item, name=name, unit=unit,
                             amount_value=amount, payee=payee, clause=clause)
        if reward:
            actions.reward_window_add(actor=office, standard=standard, start=reward[0], end=reward[1],
                                      amount_per_household=reward[2])
    for item, amount in (changes or {}).items():
        rate = standard.rates.get(item=item)
        actions.rate_set(actor=office, standard=standard, category=rate.category, item=item, name=rate.name,
                         unit=rate.unit, amount_value=amount, payee=rate.payee, clause=rate.clause, rate=rate)
    actions.standard_submit(actor=office, standard=standard)
    return actions.standard_approve(actor=leader, standard=standard, approval_reference="领导小组会议纪要〔2026〕3号")


def confirm_survey(actor: User, household: Household, head: str) -> Household:
    """Survey signed on 2026-01-20; the 5-working-day window ends 2026-01-27 (putian-2014 (二))."""
    survey = household_actions.survey_record(actor=actor, household=household, surveyed_on=date(2026, 1, 19))
    household_actions.survey_sign(actor=actor, survey=survey, signed_on=date(2026, 1, 20), signed_by_name=head)
    household_actions.survey_close_windows(today=date(2026, 2, 2))
    household.refresh_from_db()
    return household


def priced_household(
    actor: User, project: Project, township: Jurisdiction, code: str = "C-001", *, confirm: bool = True,
    persons: int = 3, head: str = "王建国",
) -> Household:
    """The hand-computed household: 2000 m² paddy (3 亩), 3 resettled persons, a 120.50 m²
    brick-concrete house, a well, 600 m² of rice. See test_pricing.EXPECTED."""
    village = village_of(township)
    household = household_actions.household_create(
        actor=actor, project=project, code=code, head_name=head, village=village, group=group_of(village),
    )
    people = []
    for index in range(persons):
        people.append(household_actions.member_add(
            actor=actor, household=household, name=head if index == 0 else f"{head[0]}成员{index}",
            id_number=resident_id(serial=next(_SERIALS) % 500), relation="head" if index == 0 else "child",
        ))
    household_actions.household_set_bank_account(
        actor=actor, household=household, bank_name="重庆农村商业银行",
        bank_account_no=f"62213{sum(map(ord, code)):08d}", holder=people[0],
    )
    parcel = household_actions.parcel_create(actor=actor, project=project, village=village, household=household,
                                             land_class="0101", area="2000")
    household_actions.building_create(actor=actor, household=household, structure="brick_concrete",
                                      floor_area="120.50", parcel=parcel)
    household_actions.attachment_create(actor=actor, household=household, kind="well", quantity="1", unit="mouth")
    household_actions.crop_create(actor=actor, household=household, kind="水稻", quantity="600", unit="m2",
                                  parcel=parcel)
    if confirm:
        household = confirm_survey(actor, household, head)
    return household


def sign(actor: User, agreement: Agreement, on: str = "2026-03-02") -> Agreement:
    return actions.agreement_sign(actor=actor, agreement=agreement, signed_on=on, signatories="王建国；区征地办 李科长",
                                  scan=b"%PDF-1.4 signed " + agreement.number.encode(), scan_name="签字件.pdf")


def line_amounts(valuation: Any) -> dict[str, Decimal]:
    return {line.item: line.amount for line in valuation.lines.all()}
