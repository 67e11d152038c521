"""Scope-sweep entries for every object URL of the households app (used by
zhengqian/core/tests/test_scope_sweep.py)."""

from __future__ import annotations

from typing import Any

from zhengqian.core import clock

from .. import actions
from .factories import full_household

HOUSEHOLD_URLS: dict[str, Any] = {
    "households:freeze": lambda o: {"project_id": o["project"].pk},
    "households:detail": lambda o: {"pk": o["household"].pk},
    "households:edit": lambda o: {"pk": o["household"].pk},
    "households:bank": lambda o: {"pk": o["household"].pk},
    "households:member_create": lambda o: {"pk": o["household"].pk},
    "households:survey_create": lambda o: {"pk": o["household"].pk},
    "households:evidence_create": lambda o: {"pk": o["household"].pk},
    "households:member_edit": lambda o: {"pk": o["member"].pk},
    "households:member_delete": lambda o: {"pk": o["member"].pk},
    "households:member_reveal": lambda o: {"pk": o["member"].pk},
    "households:survey_sign": lambda o: {"pk": o["survey"].pk},
    "households:survey_refuse": lambda o: {"pk": o["survey"].pk},
    "households:objection_create": lambda o: {"pk": o["survey"].pk},
    "households:objection_resolve": lambda o: {"pk": o["objection"].pk},
    "households:evidence_download": lambda o: {"pk": o["evidence"].pk},
    "api-1:household_detail": lambda o: {"household_id": o["household"].pk},
    "api-1:household_update": lambda o: {"household_id": o["household"].pk},
    "api-1:household_bank_account": lambda o: {"household_id": o["household"].pk},
    "api-1:member_create": lambda o: {"household_id": o["household"].pk},
    "api-1:member_update": lambda o: {"member_id": o["member"].pk},
    "api-1:member_delete": lambda o: {"member_id": o["member"].pk},
    "api-1:member_full_id": lambda o: {"member_id": o["member"].pk},
    "api-1:parcel_detail": lambda o: {"parcel_id": o["parcel"].pk},
    "api-1:parcel_update": lambda o: {"parcel_id": o["parcel"].pk},
    "api-1:parcel_delete": lambda o: {"parcel_id": o["parcel"].pk},
    "api-1:building_create": lambda o: {"household_id": o["household"].pk},
    "api-1:attachment_create": lambda o: {"household_id": o["household"].pk},
    "api-1:crop_create": lambda o: {"household_id": o["household"].pk},
    "api-1:building_detail": lambda o: {"building_id": o["building"].pk},
    "api-1:building_update": lambda o: {"building_id": o["building"].pk},
    "api-1:building_delete": lambda o: {"building_id": o["building"].pk},
    "api-1:attachment_detail": lambda o: {"attachment_id": o["attachment"].pk},
    "api-1:attachment_update": lambda o: {"attachment_id": o["attachment"].pk},
    "api-1:attachment_delete": lambda o: {"attachment_id": o["attachment"].pk},
    "api-1:crop_detail": lambda o: {"crop_id": o["crop"].pk},
    "api-1:crop_update": lambda o: {"crop_id": o["crop"].pk},
    "api-1:crop_delete": lambda o: {"crop_id": o["crop"].pk},
    "api-1:survey_create": lambda o: {"household_id": o["household"].pk},
    "api-1:survey_detail": lambda o: {"survey_id": o["survey"].pk},
    "api-1:survey_sign": lambda o: {"survey_id": o["survey"].pk},
    "api-1:survey_refuse": lambda o: {"survey_id": o["survey"].pk},
    "api-1:objection_create": lambda o: {"survey_id": o["survey"].pk},
    "api-1:objection_resolve": lambda o: {"objection_id": o["objection"].pk},
    "api-1:survey_board": lambda o: {"project_id": o["project"].pk},
    "api-1:register_freeze": lambda o: {"project_id": o["project"].pk},
    "api-1:evidence_upload": lambda o: {"target_kind": "household", "target_id": o["household"].pk},
    "api-1:evidence_detail": lambda o: {"evidence_id": o["evidence"].pk},
}
for _kind in ("parcel", "building", "attachment", "crop"):
    HOUSEHOLD_URLS[f"households:{_kind}_create"] = lambda o: {"pk": o["household"].pk}
    HOUSEHOLD_URLS[f"households:{_kind}_edit"] = lambda o, k=_kind: {"pk": o[k].pk}
    HOUSEHOLD_URLS[f"households:{_kind}_delete"] = lambda o, k=_kind: {"pk": o[k].pk}


def _today() -> str:
    return clock.today().isoformat()


def _member(o: dict[str, Any]) -> dict[str, Any]:
    return {"name": "李四", "id_number": "11010519491231002X"}


def _household(o: dict[str, Any]) -> dict[str, Any]:
    return {"head_name": "x", "village_id": o["household"].village_id}


def _parcel(o: dict[str, Any]) -> dict[str, Any]:
    return {"village_id": o["household"].village_id, "land_class": "0101", "area": "1"}


def _building(o: dict[str, Any]) -> dict[str, Any]:
    return {"structure": "simple", "floor_area": "1"}


def _quantity(o: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "well", "quantity": "1", "unit": "mouth"}


HOUSEHOLD_BODIES: dict[str, Any] = {
    "api-1:household_detail": _household,
    "api-1:household_update": _household,
    "api-1:member_create": _member,
    "api-1:member_update": _member,
    "api-1:member_delete": _member,
    "api-1:parcel_detail": _parcel,
    "api-1:parcel_update": _parcel,
    "api-1:parcel_delete": _parcel,
    "api-1:building_create": _building,
    "api-1:building_detail": _building,
    "api-1:building_update": _building,
    "api-1:building_delete": _building,
    "api-1:attachment_create": _quantity,
    "api-1:attachment_detail": _quantity,
    "api-1:attachment_update": _quantity,
    "api-1:attachment_delete": _quantity,
    "api-1:crop_create": _quantity,
    "api-1:crop_detail": _quantity,
    "api-1:crop_update": _quantity,
    "api-1:crop_delete": _quantity,
    "api-1:survey_create": lambda o: {"surveyed_on": _today()},
    "api-1:survey_sign": lambda o: {"signed_on": _today(), "signed_by_name": "张三"},
    "api-1:survey_refuse": lambda o: {"served_on": _today()},
    "api-1:objection_create": lambda o: {"filed_on": _today(), "filed_by_name": "张三", "content": "x"},
    "api-1:objection_resolve": lambda o: {"outcome": "upheld", "resolved_on": _today(), "resolution": "x"},
    "api-1:register_freeze": lambda o: {"notified_on": _today()},
}


def sweep_objects(*, actor: Any, project: Any, township: Any) -> dict[str, Any]:
    """One household of township A with a member, parcel, building, attachment, crop, survey,
    objection and evidence file."""
    objects = full_household(actor, project, township, code="SWEEP-1")
    objects["objection"] = actions.objection_file(
        actor=actor, survey=objects["survey"], filed_on=clock.today(), filed_by_name="张三", content="面积有误"
    )
    objects["evidence"] = actions.evidence_attach(
        actor=actor, target=objects["household"], content=b"sweep evidence", original_name="现场.jpg",
        content_type="image/jpeg", taken_by="调查员", taken_at=clock.now(), place="桂花村",
    )
    return objects
