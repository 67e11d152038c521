"""Demo households for the demo projects: members, parcels with shapes near Banan (lon ≈ 106.5,
lat ≈ 29.4), buildings, attachments and crops, in every survey state. One project is frozen
at its notification, with rushed planting and an enlarged building after the cutoff.
Idempotent: a project that already has households is left alone."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from stdnum.cn import ric

from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, User
from zhengqian.projects.models import Project

from . import actions
from .geometry import ellipsoidal_area
from .models import Household

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = ["建国", "秀英", "志强", "桂兰", "德明", "玉梅", "光荣", "淑芬", "国平", "小红", "家豪", "春燕", "永福", "丽华"]
# project code -> village codes its households live in
PROJECT_VILLAGES = {
    "BN-2026-001": ["500113110201", "500113110202"],
    "BN-2026-002": ["500113005201", "500113005202"],
    "PT-2026-003": ["500113110202", "500113005201"],
    "YZ-2026-004": ["500113009201"],
}
# what happens to each household's survey, in order (every survey state appears)
SURVEY_PLAN = ["none", "recorded", "signed_recent", "refused_recent", "objected", "signed_old", "refused_old",
               "resurveyed"]
FROZEN_PROJECT = "BN-2026-001"
# a 1×1 PNG, the stand-in for a site photo
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class _Ids:
    def __init__(self) -> None:
        self.serial = 100

    def next(self, birth: date, male: bool) -> str:
        self.serial += 1
        digit = self.serial % 1000
        if (digit % 2 == 1) != male:
            digit = (digit + 1) % 1000
            self.serial += 1
        body = f"500113{birth:%Y%m%d}{digit:03d}"
        return body + ric.calc_check_digit(body + "0")


def _square(lon: float, lat: float, side_lon: float = 0.0006, side_lat: float = 0.0005) -> dict[str, Any]:
    ring = [[lon, lat], [lon + side_lon, lat], [lon + side_lon, lat + side_lat], [lon, lat + side_lat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _members(office: User, household: Household, ids: _Ids, n: int, head: str) -> list[Any]:
    people = []
    head_birth = date(1960 + n % 20, 1 + n % 12, 1 + n % 27)
    people.append(actions.member_add(actor=office, household=household, name=head,
                                     id_number=ids.next(head_birth, True), relation="head"))
    spouse = SURNAMES[(n + 3) % len(SURNAMES)] + GIVEN[(n + 1) % len(GIVEN)]
    people.append(actions.member_add(actor=office, household=household, name=spouse,
                                     id_number=ids.next(head_birth + timedelta(days=700), False), relation="spouse"))
    if n % 3 != 2:
        child = head[0] + GIVEN[(n + 5) % len(GIVEN)]
        people.append(actions.member_add(actor=office, household=household, name=child,
                                         id_number=ids.next(date(1990 + n % 15, 3, 9), n % 2 == 0), relation="child",
                                         hukou_type="resident" if n % 4 == 0 else "agricultural"))
    return people


def _items(office: User, project: Project, household: Household, n: int, lon: float, lat: float) -> None:
    land = ["0101", "0103", "0201", "0301", "1104"][n % 5]
    shape = _square(lon, lat)
    measured = ellipsoidal_area(shape)
    declared = measured if n % 4 else (measured * Decimal("1.2")).quantize(Decimal("0.01"))  # every 4th: mismatch
    parcel = actions.parcel_create(actor=office, project=project, village=household.village, household=household,
                                   land_class=land, area=declared, geometry=shape)
    yard = _square(lon, lat - 0.0004, 0.0002, 0.0002)
    homestead = actions.parcel_create(actor=office, project=project, village=household.village, household=household,
                                      land_class="0702", area=ellipsoidal_area(yard), geometry=yard)
    structure = ["brick_concrete", "brick_wood", "steel_concrete"][n % 3]
    actions.building_create(actor=office, household=household, structure=structure,
                            floors=1 + n % 3, floor_area=str(Decimal(90 + 17 * n)), build_year=1985 + n,
                            parcel=homestead, legality="existing_unlawful" if n % 5 == 4 else "permitted")
    if n % 2 == 0:
        actions.building_create(actor=office, household=household, structure="simple", floor_area="18.50",
                                use="ancillary", parcel=homestead)
    actions.attachment_create(actor=office, household=household, kind="well", quantity="1", unit="mouth",
                              parcel=homestead)
    actions.attachment_create(actor=office, household=household, kind="tree", spec="柑橘 胸径10厘米以上",
                              quantity=str(6 + n), unit="plant", parcel=parcel)
    if n % 3 == 0:
        actions.attachment_create(actor=office, household=household, kind="grave", quantity="1", unit="seat")
    actions.crop_create(actor=office, household=household, kind=["水稻", "玉米", "蔬菜", "柑橘苗"][n % 4],
                        quantity=str((declared * Decimal("0.8")).quantize(Decimal("0.01"))), unit="m2", parcel=parcel)


def _survey(office: User, household: Household, plan: str, head: str, today: date) -> None:
    if plan == "none":
        return
    old = today - timedelta(days=30)
    recent = today - timedelta(days=1)
    surveyed = old - timedelta(days=2) if plan.endswith("_old") or plan in ("objected", "resurveyed") else recent
    survey = actions.survey_record(actor=office, household=household, surveyed_on=surveyed, surveyors="调查组 周、吴")
    if plan == "recorded":
        return
    if plan in ("signed_recent", "signed_old"):
        actions.survey_sign(actor=office, survey=survey, signed_on=recent if plan == "signed_recent" else old,
                            signed_by_name=head)
    elif plan in ("refused_recent", "refused_old"):
        actions.survey_refuse(actor=office, survey=survey, served_on=recent if plan == "refused_recent" else old,
                              reason="户主对宅基地面积有意见，拒绝签字；已书面送达")
    elif plan in ("objected", "resurveyed"):
        actions.survey_sign(actor=office, survey=survey, signed_on=old, signed_by_name=head)
        objection = actions.objection_file(actor=office, survey=survey, filed_on=old + timedelta(days=1),
                                           filed_by_name=head, content="果树株数漏登 3 株，请复核。")
        if plan == "resurveyed":
            actions.objection_resolve(actor=office, objection=objection, outcome="resurvey",
                                      resolved_on=old + timedelta(days=3), resolution="经核实漏登属实，重新调查。")


def load(log: Callable[[str], None]) -> None:
    office = User.objects.get(username="office")
    today = clock.today()
    ids = _Ids()
    made = 0
    for p_index, (code, village_codes) in enumerate(PROJECT_VILLAGES.items()):
        project = Project.objects.filter(code=code).first()
        if project is None or Household.objects.filter(project=project).exists():
            continue
        villages = list(Jurisdiction.objects.filter(code__in=village_codes).order_by("code"))
        households = []
        for n, plan in enumerate(SURVEY_PLAN):
            village = villages[n % len(villages)]
            group = village.children.order_by("code").first()
            head = SURNAMES[(p_index * 7 + n) % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
            household = actions.household_create(
                actor=office, project=project, code=f"{code[-3:]}-{n + 1:03d}", head_name=head, village=village,
                group=group, address=f"{village.name}{(group.name if group else '')}{n + 1}号",
                phone=f"1390236{p_index}{n:03d}", contract_certificate_no=f"500113{village.code[-6:]}J{n + 1:04d}",
            )
            people = _members(office, household, ids, p_index * 10 + n, head)
            actions.household_set_bank_account(actor=office, household=household, bank_name="重庆农村商业银行",
                                               bank_account_no=f"62213{p_index}{n:02d}000000{n:04d}", holder=people[0])
            lon = 106.50 + 0.004 * p_index + 0.0008 * (n % 4)
            lat = 29.40 + 0.003 * p_index + 0.0012 * (n // 4)
            _items(office, project, household, n, lon, lat)
            households.append((household, plan, head))
            made += 1
        if code == FROZEN_PROJECT:
            actions.register_freeze(actor=office, project=project, notified_on=today - timedelta(days=20))
            first = households[0][0]
            actions.crop_create(actor=office, household=first, kind="苗木（告知后抢栽）", quantity="300", unit="plant",
                                note="征地告知后栽种")
            actions.building_create(actor=office, household=households[1][0], structure="simple", floor_area="40",
                                    note="征地告知后搭建")
            building = households[2][0].buildings.order_by("code").first()
            if building is not None:
                actions.item_update(actor=office, item=building, structure=building.structure,
                                    floor_area=str(building.floor_area + 30), floors=building.floors, use=building.use,
                                    legality=building.legality, build_year=building.build_year, parcel=building.parcel,
                                    reason="告知后加建")
        for household, plan, head in households:
            _survey(office, household, plan, head, today)
        first = households[0][0]
        actions.evidence_attach(actor=office, target=first, content=PHOTO + code.encode(),
                                original_name="现场照片.png",
                                content_type="image/png", taken_by="调查员 周",
                                taken_at=clock.now() - timedelta(days=25),
                                place=f"{first.village.name} 现场", caption="户主在场，丈量宅基地")
    closed = actions.survey_close_windows(actor=None, today=today)
    log(f"户 {Household.objects.count()} 户（本次新增 {made}），期满确认 {len(closed)} 户")
