"""Test helpers: valid ID numbers and a small household with one of everything."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from stdnum.cn import ric

from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, User
from zhengqian.projects.models import Project

from .. import actions
from ..models import Household

SQUARE = {  # about 100 m × 100 m near Banan (lon 106.5, lat 29.4)
    "type": "Polygon",
    "coordinates": [[[106.5, 29.4], [106.501028, 29.4], [106.501028, 29.400902], [106.5, 29.400902], [106.5, 29.4]]],
}


_SERIALS = itertools.count(501)


def _serial() -> int:
    """501–998 (same parity as the counter), so a long session stays three digits and never
    meets the compensation factory's 000–499."""
    return 501 + (next(_SERIALS) - 501) % 498


def resident_id(birth: date = date(1980, 5, 17), serial: int = 123, region: str = "500113") -> str:
    """A resident ID number with a correct check digit (serial odd = male)."""
    body = f"{region}{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def village_of(township: Jurisdiction) -> Jurisdiction:
    return Jurisdiction.objects.get(parent=township, level="village")


def group_of(village: Jurisdiction) -> Jurisdiction:
    return Jurisdiction.objects.get(parent=village, level="group")


def make_household(
    actor: User, project: Project, township: Jurisdiction, code: str = "H-001", **extra: Any
) -> Household:
    village = village_of(township)
    data: dict[str, Any] = {"head_name": "张三", "village": village, "group": group_of(village)}
    data.update(extra)
    return actions.household_create(actor=actor, project=project, code=code, **data)


def full_household(actor: User, project: Project, township: Jurisdiction, code: str = "H-001") -> dict[str, Any]:
    household = make_household(actor, project, township, code=code)
    member = actions.member_add(actor=actor, household=household, name="张三",
                                id_number=resident_id(serial=_serial()), relation="head")
    parcel = actions.parcel_create(actor=actor, project=project, village=household.village, household=household,
                                   land_class="0101", area="10000", geometry=SQUARE)
    building = actions.building_create(actor=actor, household=household, structure="brick_concrete",
                                       floor_area="120.50", floors=2, parcel=parcel)
    attachment = actions.attachment_create(actor=actor, household=household, kind="well", quantity="1", unit="mouth")
    crop = actions.crop_create(actor=actor, household=household, kind="水稻", quantity="600", unit="m2")
    survey = actions.survey_record(actor=actor, household=household, surveyed_on=clock.today())
    return {"household": household, "member": member, "parcel": parcel, "building": building,
            "attachment": attachment, "crop": crop, "survey": survey}
