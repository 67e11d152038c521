"""Export a project's register to the import layout (so it round-trips), audited.

The workbook carries full ID numbers (an import needs them), so exporting needs the
capability to see them and is itself one audit event `household.export` (design §5).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from django.db import transaction

from zhengqian.core import audit, crypto
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.projects.models import Project

from ..landclass import land_class_label
from ..models import (
    Attachment,
    Building,
    BuildingUse,
    Crop,
    HouseholdMember,
    HouseholdStatus,
    HukouType,
    IdType,
    Legality,
    Ownership,
    Relation,
    Sex,
    Structure,
    Unit,
)
from ..selectors import households_for, parcels_for
from .layout import BUILDINGS, HOUSEHOLDS, ITEMS, MEMBERS, PARCELS, Sheet
from .writer import write_register

MAX_CELL = 32767


def _labels(choices: Any) -> dict[str, str]:
    return dict(choices.choices)


_RELATION, _ID_TYPE, _SEX, _HUKOU = _labels(Relation), _labels(IdType), _labels(Sex), _labels(HukouType)
_OWNERSHIP, _STRUCTURE, _USE = _labels(Ownership), _labels(Structure), _labels(BuildingUse)
_LEGALITY, _UNIT = _labels(Legality), _labels(Unit)
_KIND = dict(Attachment._meta.get_field("kind").choices)


def _ordered(spec: Sheet, rows: Iterator[dict[str, Any]]) -> Iterator[list[Any]]:
    keys = [column.key for column in spec.columns]
    for row in rows:
        yield [row.get(key) for key in keys]


def _geometry_text(geometry: Any) -> str:
    if not geometry:
        return ""
    text = json.dumps(geometry, separators=(",", ":"))
    if len(text) <= MAX_CELL:
        return text
    import shapely
    from shapely.geometry import shape

    return shapely.to_wkt(shape(geometry), rounding_precision=8)[:MAX_CELL]


def register_rows(*, user: User, project: Project) -> dict[str, Iterator[list[Any]]]:
    """Row iterators for every sheet, limited to what the user may see."""
    households = households_for(user=user, project_id=project.pk, status=HouseholdStatus.REGISTERED)
    household_ids = households.values("pk")
    codes = dict(households.values_list("pk", "code"))

    def household_rows() -> Iterator[dict[str, Any]]:
        for household in households.select_related("village__parent", "group", "bank_account_holder").order_by("code"):
            yield {
                "code": household.code,
                "head_name": household.head_name,
                "township": household.village.parent.name if household.village.parent_id else "",
                "village": household.village.name,
                "group": household.group.name if household.group_id else "",
                "address": household.address,
                "phone": household.phone,
                "contract_certificate_no": household.contract_certificate_no,
                "homestead_certificate_no": household.homestead_certificate_no,
                "bank_name": household.bank_name,
                "bank_account_no": household.bank_account_no,
                "bank_account_holder": household.bank_account_holder.name if household.bank_account_holder_id else "",
                "note": household.note,
            }

    def member_rows() -> Iterator[dict[str, Any]]:
        members = HouseholdMember.objects.filter(household_id__in=household_ids).order_by("household__code", "id")
        for member in members.values(
            "household_id", "name", "relation", "id_type", "id_number_encrypted", "sex", "birth_date",
            "hukou_type", "is_resettlement_person", "note",
        ).iterator(chunk_size=5000):
            yield {
                "household_code": codes[member["household_id"]],
                "name": member["name"],
                "relation": _RELATION.get(member["relation"], member["relation"]),
                "id_type": _ID_TYPE.get(member["id_type"], member["id_type"]),
                "id_number": crypto.decrypt(member["id_number_encrypted"]),
                "sex": _SEX.get(member["sex"], ""),
                "birth_date": member["birth_date"],
                "hukou_type": _HUKOU.get(member["hukou_type"], member["hukou_type"]),
                "is_resettlement_person": member["is_resettlement_person"],
                "note": member["note"],
            }

    parcels = parcels_for(user=user, project_id=project.pk).filter(
        household__isnull=True
    ) | parcels_for(user=user, project_id=project.pk).filter(household_id__in=household_ids)
    parcel_codes = dict(parcels.values_list("pk", "code"))

    def parcel_rows() -> Iterator[dict[str, Any]]:
        for parcel in parcels.select_related("village__parent").order_by("code").iterator(chunk_size=5000):
            yield {
                "code": parcel.code,
                "household_code": codes.get(parcel.household_id, "") if parcel.household_id else "",
                "township": parcel.village.parent.name if parcel.village.parent_id else "",
                "village": parcel.village.name,
                "ownership": _OWNERSHIP.get(parcel.ownership, parcel.ownership),
                "land_class": land_class_label(parcel.land_class),
                "area": parcel.area,
                "geometry": _geometry_text(parcel.geometry),
                "note": parcel.note,
            }

    def building_rows() -> Iterator[dict[str, Any]]:
        buildings = Building.objects.filter(household_id__in=household_ids).order_by("code")
        for building in buildings.values(
            "code", "household_id", "parcel_id", "structure", "floors", "floor_area", "use", "legality",
            "build_year", "note",
        ).iterator(chunk_size=5000):
            yield {
                **building,
                "household_code": codes[building["household_id"]],
                "parcel_code": parcel_codes.get(building["parcel_id"], ""),
                "structure": _STRUCTURE.get(building["structure"], building["structure"]),
                "use": _USE.get(building["use"], building["use"]),
                "legality": _LEGALITY.get(building["legality"], building["legality"]),
            }

    def item_rows() -> Iterator[dict[str, Any]]:
        attachments = Attachment.objects.filter(household_id__in=household_ids).order_by("code")
        for item in attachments.values(
            "code", "household_id", "parcel_id", "kind", "spec", "quantity", "unit", "note"
        ).iterator(chunk_size=5000):
            yield {
                **item,
                "category": "附着物",
                "household_code": codes[item["household_id"]],
                "parcel_code": parcel_codes.get(item["parcel_id"], ""),
                "kind": _KIND.get(item["kind"], item["kind"]),
                "unit": _UNIT.get(item["unit"], item["unit"]),
            }
        crops = Crop.objects.filter(household_id__in=household_ids).order_by("code")
        for item in crops.values("code", "household_id", "parcel_id", "kind", "quantity", "unit", "note").iterator(
            chunk_size=5000
        ):
            yield {
                **item,
                "category": "青苗",
                "household_code": codes[item["household_id"]],
                "parcel_code": parcel_codes.get(item["parcel_id"], ""),
                "unit": _UNIT.get(item["unit"], item["unit"]),
            }

    return {
        HOUSEHOLDS.key: _ordered(HOUSEHOLDS, household_rows()),
        MEMBERS.key: _ordered(MEMBERS, member_rows()),
        PARCELS.key: _ordered(PARCELS, parcel_rows()),
        BUILDINGS.key: _ordered(BUILDINGS, building_rows()),
        ITEMS.key: _ordered(ITEMS, item_rows()),
    }


def register_export(*, actor: User, project: Project, target: str | IO[bytes]) -> int:
    """Write the project's register (what `actor` may see) to `target`; returns households."""
    require(actor, "person.view_full_id")
    project = Project.objects.select_related("district").get(pk=project.pk)
    count = households_for(user=actor, project_id=project.pk, status=HouseholdStatus.REGISTERED).count()
    write_register(target, register_rows(user=actor, project=project))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="household.export",
            obj=project,
            after={"households": count, "contains": "full ID numbers"},
            jurisdiction_path=actor.scope_path or project.district.path,
            object_label=f"{project.code} 户信息导出",
        )
    return count
