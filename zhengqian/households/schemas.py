"""Schemas of the household register and status survey API (api.py): what it answers and accepts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from .models import Household


class MemberOut(Schema):
    id: int
    household_id: int
    name: str
    id_type: str
    id_number_masked: str
    sex: str
    birth_date: date | None
    relation: str
    hukou_type: str
    is_resettlement_person: bool
    note: str


class ItemOut(Schema):
    id: int
    project_id: int
    code: str
    baseline_quantity: Decimal | None
    cutoff_flag: str
    cutoff_clause: str
    note: str


class ParcelOut(ItemOut):
    village_id: int
    household_id: int | None
    ownership: str
    land_class: str
    area: Decimal
    area_mu: Decimal
    geometry: dict[str, Any] | None
    measured_area: Decimal | None
    area_mismatch: bool


class BuildingOut(ItemOut):
    household_id: int
    parcel_id: int | None
    structure: str
    floors: int
    floor_area: Decimal
    use: str
    legality: str
    build_year: int | None


class AttachmentOut(ItemOut):
    household_id: int
    parcel_id: int | None
    kind: str
    spec: str
    quantity: Decimal
    unit: str


class CropOut(ItemOut):
    household_id: int
    parcel_id: int | None
    kind: str
    quantity: Decimal
    unit: str


class ObjectionOut(Schema):
    id: int
    survey_id: int
    filed_on: date
    filed_by_name: str
    content: str
    outcome: str
    resolved_on: date | None
    resolution: str


class SurveyOut(Schema):
    id: int
    household_id: int
    version: int
    surveyed_on: date
    surveyors: str
    state: str
    signed_on: date | None
    signed_by_name: str
    refused: bool
    served_on: date | None
    window_start: date | None
    window_due: date | None
    window_provisional: bool
    confirmed_on: date | None
    confirmation_basis: str
    clause: str
    summary: dict[str, Any]
    objections: list[ObjectionOut]

    @staticmethod
    def resolve_objections(obj: Any) -> list[Any]:
        return list(obj.objections.all())


class HouseholdOut(Schema):
    id: int
    project_id: int
    code: str
    head_name: str
    village_id: int
    group_id: int | None
    address: str
    phone: str
    contract_certificate_no: str
    homestead_certificate_no: str
    bank_name: str
    bank_account_no: str
    bank_account_holder_id: int | None
    status: str
    survey_state: str
    note: str
    created_at: datetime
    updated_at: datetime


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]
    parcels: list[ParcelOut]
    buildings: list[BuildingOut]
    attachments: list[AttachmentOut]
    crops: list[CropOut]
    surveys: list[SurveyOut]

    @staticmethod
    def resolve_members(obj: Household) -> list[Any]:
        return list(obj.members.all())

    @staticmethod
    def resolve_parcels(obj: Household) -> list[Any]:
        return list(obj.parcels.all())

    @staticmethod
    def resolve_buildings(obj: Household) -> list[Any]:
        return list(obj.buildings.all())

    @staticmethod
    def resolve_attachments(obj: Household) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_crops(obj: Household) -> list[Any]:
        return list(obj.crops.all())

    @staticmethod
    def resolve_surveys(obj: Household) -> list[Any]:
        return list(obj.surveys.all())


class HouseholdPage(Schema):
    count: int
    page: int
    items: list[HouseholdOut]


class HouseholdFilter(Schema):
    project_id: int | None = None
    village_id: int | None = None
    q: str = ""
    survey_state: str = ""
    status: str = ""
    flagged: bool = False
    page: int = 1


class HouseholdCreateIn(Schema):
    project_id: int
    code: str
    head_name: str
    village_id: int
    group_id: int | None = None
    address: str = ""
    phone: str = ""
    contract_certificate_no: str = ""
    homestead_certificate_no: str = ""
    note: str = ""


class HouseholdUpdateIn(Schema):
    head_name: str
    village_id: int
    group_id: int | None = None
    address: str = ""
    phone: str = ""
    contract_certificate_no: str = ""
    homestead_certificate_no: str = ""
    status: str = "registered"
    note: str = ""
    reason: str = ""


class BankAccountIn(Schema):
    bank_name: str = ""
    bank_account_no: str = ""
    holder_member_id: int | None = None
    reason: str = ""


class MemberIn(Schema):
    name: str
    id_type: str = "resident_id"
    id_number: str
    relation: str = "other"
    hukou_type: str = "agricultural"
    is_resettlement_person: bool = True
    sex: str = ""
    birth_date: date | None = None
    note: str = ""


class MemberUpdateIn(MemberIn):
    reason: str = ""


class FullIdOut(Schema):
    member_id: int
    id_type: str
    id_number: str


class ReasonIn(Schema):
    reason: str = ""


class ParcelIn(Schema):
    project_id: int
    village_id: int
    household_id: int | None = None
    code: str = ""
    ownership: str = "contract"
    land_class: str
    area: Decimal
    geometry: dict[str, Any] | None = None
    note: str = ""


class ParcelUpdateIn(Schema):
    village_id: int
    household_id: int | None = None
    ownership: str = "contract"
    land_class: str
    area: Decimal
    geometry: dict[str, Any] | None = None
    note: str = ""
    reason: str = ""


class BuildingIn(Schema):
    code: str = ""
    structure: str
    floors: int = 1
    floor_area: Decimal
    use: str = "residential"
    legality: str = "permitted"
    build_year: int | None = None
    parcel_id: int | None = None
    note: str = ""


class AttachmentIn(Schema):
    code: str = ""
    kind: str
    spec: str = ""
    quantity: Decimal
    unit: str
    parcel_id: int | None = None
    note: str = ""


class CropIn(Schema):
    code: str = ""
    kind: str
    quantity: Decimal
    unit: str
    parcel_id: int | None = None
    note: str = ""


class BuildingUpdateIn(BuildingIn):
    reason: str = ""


class AttachmentUpdateIn(AttachmentIn):
    reason: str = ""


class CropUpdateIn(CropIn):
    reason: str = ""


class SurveyIn(Schema):
    surveyed_on: date
    surveyors: str = ""


class SignIn(Schema):
    signed_on: date
    signed_by_name: str


class RefuseIn(Schema):
    served_on: date
    reason: str = ""


class ObjectionIn(Schema):
    filed_on: date
    filed_by_name: str
    content: str


class ResolveIn(Schema):
    outcome: str
    resolved_on: date
    resolution: str
    surveyors: str = ""


class FreezeIn(Schema):
    notified_on: date


class FreezeOut(Schema):
    project_id: int
    notified_on: date
    frozen_at: datetime
    counts: dict[str, int]


class BoardRowOut(Schema):
    household_id: int
    code: str
    head_name: str
    survey_state: str
    survey_id: int | None
    version: int | None
    window_due: date | None
    window_provisional: bool
    working_days_left: int | None


class BoardOut(Schema):
    count: int
    page: int
    counts: dict[str, int]
    items: list[BoardRowOut]


class CloseOut(Schema):
    closed_survey_ids: list[int]


class EvidenceOut(Schema):
    id: int
    sha256: str
    original_name: str
    content_type: str
    size: int
    target: str
    taken_by: str
    taken_at: datetime
    place: str
    caption: str

    @staticmethod
    def resolve_sha256(obj: Any) -> str:
        return obj.file.sha256

    @staticmethod
    def resolve_original_name(obj: Any) -> str:
        return obj.file.original_name

    @staticmethod
    def resolve_content_type(obj: Any) -> str:
        return obj.file.content_type

    @staticmethod
    def resolve_size(obj: Any) -> int:
        return obj.file.size

    @staticmethod
    def resolve_target(obj: Any) -> str:
        return f"{obj.content_type.model}:{obj.object_id}"
