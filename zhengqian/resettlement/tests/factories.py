"""Test helpers: a scheme, an estate with units, households with members and a house."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from zhengqian.core.models import Jurisdiction, User
from zhengqian.households import actions as household_actions
from zhengqian.households.tests.factories import make_household, resident_id
from zhengqian.projects.models import Project

from .. import actions, actions_housing
from ..models import Estate, HouseholdOption

_SERIALS = itertools.count(1, 2)


def scheme(actor: User, project: Project, **extra: Any) -> Any:
    data = {
        "per_person_m2": "30",
        "max_over_m2": "10",
        "price_within": "800",
        "price_above": "4500",
        "refund_unused": "2000",
        "source": "测试安置方案〔2026〕1号",
    }
    data.update(extra)
    return actions.scheme_set(actor=actor, project=project, **data)


def estate(actor: User, township: Jurisdiction, code: str = "E-1", areas: tuple[str, ...] = ()) -> Estate:
    built = actions_housing.estate_create(
        actor=actor, code=code, name=f"{township.name}安置小区{code}", jurisdiction=township, owner_name="区城投公司"
    )
    for index, area in enumerate(areas, start=1):
        actions_housing.unit_create(
            actor=actor,
            estate=built,
            building_no="1",
            number=f"{index:02d}01",
            floor=index,
            area=area,
            layout="三室",
            orientation="南",
        )
    return built


def member(actor: User, household: Any, name: str, birth: date, **extra: Any) -> Any:
    serial = next(_SERIALS) if extra.get("sex", "male") == "male" else next(_SERIALS) + 1
    return household_actions.member_add(
        actor=actor,
        household=household,
        name=name,
        id_number=resident_id(birth=birth, serial=serial % 1000, region="500115"),
        birth_date=birth,
        **extra,
    )


def family(
    actor: User,
    project: Project,
    township: Jurisdiction,
    code: str,
    persons: int = 3,
    house: bool = True,
    contract: bool = True,
) -> Any:
    """A household with ``persons`` agricultural members (the first is the head) and a house."""
    household = make_household(
        actor,
        project,
        township,
        code=code,
        head_name=f"户主{code}",
        contract_certificate_no=f"CB-{code}" if contract else "",
    )
    for index in range(persons):
        member(
            actor,
            household,
            f"户主{code}" if index == 0 else f"成员{code}-{index}",
            date(1970 + index * 10, 5, 17),
            relation="head" if index == 0 else "child",
            sex="male",
        )
    if house:
        household_actions.building_create(
            actor=actor, household=household, structure="brick_concrete", floor_area="120.00", floors=2
        )
    return household


def housing_choice(actor: User, household: Any, chosen_on: date, **extra: Any) -> HouseholdOption:
    actions.persons_determine(actor=actor, household=household, on=chosen_on)
    return actions.option_choose(
        actor=actor,
        household=household,
        form="housing",
        chosen_on=chosen_on,
        signed_by_name=household.head_name,
        **extra,
    )
