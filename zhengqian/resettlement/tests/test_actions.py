"""Resettled persons, choices, the housing pool and its import (banan-2015 (二)(四), putian-2014 (十二)(十四))."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter

from zhengqian.core.models import AuditEvent
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households.models import HouseholdMember

from .. import actions, actions_housing
from ..models import HouseholdOption, PersonDecision, Unit, UnitStatus
from .factories import estate, family, housing_choice, member, scheme

TODAY = date(2026, 3, 2)


@pytest.fixture
def setup(frozen_clock, office_user, project_a, township_a):
    scheme(office_user, project_a)
    return {"actor": office_user, "project": project_a, "township": township_a}


def test_persons_decided_with_reason_and_clause(setup):
    """Head and wife agricultural; the daughter moved her hukou to the city: 2 of 3 count, and
    the member flag that valuations count follows."""
    household = family(setup["actor"], setup["project"], setup["township"], "R-1", persons=2)
    daughter = member(
        setup["actor"],
        household,
        "张丽",
        date(2000, 1, 1),
        relation="child",
        sex="female",
        hukou_type="non_agricultural",
    )
    decisions = actions.persons_determine(actor=setup["actor"], household=household)
    assert [d.counts for d in decisions] == [True, True, False]
    refused = PersonDecision.objects.get(member=daughter)
    assert "非农业户口" in refused.reason and refused.clause == "banan-2015 (二)"
    assert HouseholdMember.objects.filter(household=household, is_resettlement_person=True).count() == 2


def test_objection_upheld_turns_the_decision(setup):
    household = family(setup["actor"], setup["project"], setup["township"], "R-2", persons=1)
    child = member(
        setup["actor"], household, "张学", date(2004, 1, 1), relation="child", sex="male", hukou_type="non_agricultural"
    )
    actions.persons_determine(actor=setup["actor"], household=household)
    decision = PersonDecision.objects.get(member=child)
    objection = actions.person_objection_file(
        actor=setup["actor"],
        decision=decision,
        filed_on=TODAY,
        filed_by_name="张学",
        content="在校大学生，户口临时迁出",
    )
    actions.person_objection_resolve(
        actor=setup["actor"], objection=objection, upheld=True, resolution="在校生按政策计入"
    )
    decision.refresh_from_db()
    assert decision.counts and decision.overridden
    actions.persons_determine(actor=setup["actor"], household=household)  # a re-run keeps the review
    decision.refresh_from_db()
    assert decision.counts


def test_housing_choice_fixes_the_entitlement(setup):
    household = family(setup["actor"], setup["project"], setup["township"], "R-3", persons=3)
    option = housing_choice(setup["actor"], household, TODAY)
    assert (option.persons, option.entitled_area) == (3, Decimal("90.00"))
    assert option.clause == "banan-2015 (四)"


def test_a_form_not_entitled_is_refused_and_nothing_changes(setup):
    household = family(setup["actor"], setup["project"], setup["township"], "R-4", persons=2, house=False)
    actions.persons_determine(actor=setup["actor"], household=household)
    events = AuditEvent.objects.count()
    with pytest.raises(GateClosed) as refused:
        actions.option_choose(
            actor=setup["actor"],
            household=household,
            form="housing",
            chosen_on=TODAY,
            signed_by_name=household.head_name,
        )
    assert "没有被拆除的住宅" in str(refused.value)
    with pytest.raises(GateClosed):
        actions.option_choose(
            actor=setup["actor"],
            household=household,
            form="reserved_land",
            chosen_on=TODAY,
            signed_by_name=household.head_name,
        )
    with pytest.raises(InvalidInput) as stranger:
        actions.option_choose(
            actor=setup["actor"], household=household, form="cash", chosen_on=TODAY, signed_by_name="路人甲"
        )
    assert stranger.value.field == "signed_by_name"
    assert not HouseholdOption.objects.filter(household=household).exists()
    assert AuditEvent.objects.count() == events


def test_resettle_before_demolishing(setup):
    household = family(setup["actor"], setup["project"], setup["township"], "R-5")
    assert actions.resettlement_in_place(household) == (False, "尚未选择安置方式")
    housing_choice(setup["actor"], household, TODAY)
    in_place, reason = actions.resettlement_in_place(household)
    assert not in_place and "尚未分配" in reason
    cash = family(setup["actor"], setup["project"], setup["township"], "R-6")
    actions.option_choose(
        actor=setup["actor"], household=cash, form="cash", chosen_on=TODAY, signed_by_name=cash.head_name
    )
    assert actions.resettlement_in_place(cash)[0]


def test_choice_flows_into_the_draft_agreement(setup, make_user, district):
    from zhengqian.compensation import actions as compensation
    from zhengqian.compensation.tests.factories import approved_standard, priced_household

    leader = make_user("leader_r", "leadership_office", district)
    approved_standard(setup["actor"], leader, setup["project"])
    household = priced_household(setup["actor"], setup["project"], setup["township"], "R-7")
    compensation.valuation_run(actor=setup["actor"], household=household)
    agreement = compensation.agreement_generate(actor=setup["actor"], household=household)
    actions.persons_determine(actor=setup["actor"], household=household)
    head = HouseholdMember.objects.filter(household=household).first()
    actions.option_choose(
        actor=setup["actor"], household=household, form="cash", chosen_on=TODAY, signed_by_name=head.name
    )
    agreement.refresh_from_db()
    assert agreement.resettlement_choice == "cash"


# --------------------------------------------------------------------------- the housing pool


def _workbook(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("房源")
    sheet.write_row(0, 0, ["楼栋", "房号", "楼层", "建筑面积", "户型", "朝向", "状态"])
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return buffer.getvalue()


def test_units_import_all_or_nothing(setup):
    pool = estate(setup["actor"], setup["township"])
    good = _workbook([["1", "101", 1, "89.50", "三室", "南", "可分配"], ["1", "102", 1, 95, "三室", "南", "在建"]])
    units = actions_housing.units_import(actor=setup["actor"], estate=pool, content=good)
    assert [(u.number, u.area, u.status) for u in units] == [
        ("101", Decimal("89.50"), UnitStatus.AVAILABLE),
        ("102", Decimal("95"), UnitStatus.UNDER_CONSTRUCTION),
    ]
    bad = _workbook(
        [
            ["2", "201", 2, "90", "", "", ""],
            ["2", "202", "二楼", "-3", "", "", "已分配"],
            ["1", "101", 1, "90", "", "", ""],
            ["2", "201", 2, "90", "", "", ""],
        ]
    )
    with pytest.raises(actions_housing.ImportRefused) as refused:
        actions_housing.units_import(actor=setup["actor"], estate=pool, content=bad)
    problems = refused.value.problems
    assert any(p.startswith("第3行 楼层") for p in problems)
    assert any(p.startswith("第3行 建筑面积") for p in problems)
    assert any(p.startswith("第3行 状态") for p in problems)
    assert any(p.startswith("第4行 房号") and "已在该小区登记" in p for p in problems)
    assert any(p.startswith("第5行 房号") and "与第2行重复" in p for p in problems)
    assert Unit.objects.filter(estate=pool).count() == 2  # nothing of the bad file


def test_import_refuses_what_is_not_a_workbook(setup):
    pool = estate(setup["actor"], setup["township"])
    with pytest.raises(InvalidInput) as refused:
        actions_housing.units_import(actor=setup["actor"], estate=pool, content=b"name,area\n1,2\n")
    assert refused.value.field == "file"


def test_acceptance_makes_units_available(setup):
    pool = estate(setup["actor"], setup["township"])
    actions_housing.units_import(
        actor=setup["actor"], estate=pool, content=_workbook([["1", "101", 1, "89.50", "", "", "在建"]])
    )
    actions_housing.estate_record_add(
        actor=setup["actor"], estate=pool, kind="acceptance", on=TODAY, content="竣工验收合格"
    )
    pool.refresh_from_db()
    assert pool.accepted_on == TODAY
    assert Unit.objects.get(estate=pool).status == UnitStatus.AVAILABLE


def test_estate_of_another_township_is_refused(setup, clerk_b):
    pool = estate(setup["actor"], setup["township"])
    with pytest.raises(InvalidInput):
        actions_housing.unit_create(actor=clerk_b, estate=pool, building_no="1", number="1", floor=1, area="80")


def test_resettlement_in_place_fact_for_the_procedure_gate(setup):
    """putian-2014 (八)(十四): the gate before the order to hand over land reads the fact, true
    only once every household's resettlement is in place."""
    from zhengqian.procedure.models import FactSource, ProjectFact

    first = family(setup["actor"], setup["project"], setup["township"], "F-1")
    second = family(setup["actor"], setup["project"], setup["township"], "F-2")
    actions.option_choose(
        actor=setup["actor"], household=first, form="cash", chosen_on=TODAY, signed_by_name=first.head_name
    )
    fact = ProjectFact.objects.get(project=setup["project"], code="resettlement_in_place")
    assert (fact.value, fact.source) == (False, FactSource.RESETTLEMENT)
    housing_choice(setup["actor"], second, TODAY)
    fact.refresh_from_db()
    assert not fact.value  # housing chosen, no unit yet
    actions.option_choose(
        actor=setup["actor"], household=second, form="purchase", chosen_on=TODAY, signed_by_name=second.head_name
    )
    fact.refresh_from_db()
    assert fact.value
