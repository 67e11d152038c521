"""API of the household register and status survey: the same selectors and actions as the
staff pages, scoped the same way (village in the user's subtree and project visible)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from zhengqian.core.api import page_slice
from zhengqian.core.models import Jurisdiction, JurisdictionLevel
from zhengqian.core.selectors import jurisdictions_for
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.selectors import project_get

from . import actions, selectors
from .models import Household, HouseholdMember, Parcel
from .schemas import (
    AttachmentIn,
    AttachmentOut,
    AttachmentUpdateIn,
    BankAccountIn,
    BoardOut,
    BuildingIn,
    BuildingOut,
    BuildingUpdateIn,
    CloseOut,
    CropIn,
    CropOut,
    CropUpdateIn,
    EvidenceOut,
    FreezeIn,
    FreezeOut,
    FullIdOut,
    HouseholdCreateIn,
    HouseholdDetailOut,
    HouseholdFilter,
    HouseholdPage,
    HouseholdUpdateIn,
    MemberIn,
    MemberOut,
    MemberUpdateIn,
    ObjectionIn,
    ObjectionOut,
    ParcelIn,
    ParcelOut,
    ParcelUpdateIn,
    ReasonIn,
    RefuseIn,
    ResolveIn,
    SignIn,
    SurveyIn,
    SurveyOut,
)

router = Router(tags=["户籍与现状调查"])


# --- helpers ------------------------------------------------------------------------------


def _node(request: HttpRequest, pk: int | None, level: str, field: str, label: str) -> Jurisdiction | None:
    if pk is None:
        return None
    node = jurisdictions_for(user=request.user, level=level).filter(pk=pk).first()
    if node is None:
        raise InvalidInput(f"{label}不存在或不在您的辖区。", field=field)
    return node


def _member(household: Household, pk: int | None) -> HouseholdMember | None:
    if pk is None:
        return None
    member = HouseholdMember.objects.filter(pk=pk).first()
    if member is None:
        raise InvalidInput("账户户名所指的成员不存在。", field="holder_member_id")
    return member


def _parcel(request: HttpRequest, pk: int | None) -> Parcel | None:
    if pk is None:
        return None
    parcel = selectors.parcels_for(user=request.user).filter(pk=pk).first()
    if parcel is None:
        raise InvalidInput("所在地块不存在或不在您的辖区。", field="parcel_id")
    return parcel


def _household_ref(request: HttpRequest, pk: int | None) -> Household | None:
    if pk is None:
        return None
    household = selectors.households_for(user=request.user).filter(pk=pk).first()
    if household is None:
        raise InvalidInput("承包户不存在或不在您的辖区。", field="household_id")
    return household


def _detail(request: HttpRequest, pk: int) -> Household:
    return selectors.household_detail(user=request.user, pk=pk)


# --- households ---------------------------------------------------------------------------


@router.get("", response=HouseholdPage, summary="户列表（本人辖区）")
def household_list(request: HttpRequest, filters: Query[HouseholdFilter]) -> dict[str, object]:
    qs = selectors.households_for(
        user=request.user, project_id=filters.project_id, village_id=filters.village_id, search=filters.q,
        survey_state=filters.survey_state, status=filters.status, flagged=filters.flagged,
    )
    return {"count": qs.count(), "page": max(filters.page, 1), "items": list(qs[page_slice(filters.page)])}


@router.post("", response={201: HouseholdDetailOut}, summary="登记新户")
def household_create(request: HttpRequest, payload: HouseholdCreateIn) -> Status:
    project = project_get(user=request.user, pk=payload.project_id)
    household = actions.household_create(
        actor=request.user, project=project, code=payload.code, head_name=payload.head_name,
        village=_node(request, payload.village_id, JurisdictionLevel.VILLAGE, "village_id", "村/社区"),
        group=_node(request, payload.group_id, JurisdictionLevel.GROUP, "group_id", "村民小组"),
        address=payload.address, phone=payload.phone, contract_certificate_no=payload.contract_certificate_no,
        homestead_certificate_no=payload.homestead_certificate_no, note=payload.note,
    )
    return Status(201, _detail(request, household.pk))


@router.get("/{int:household_id}", response=HouseholdDetailOut, summary="户详情（成员证件号脱敏）")
def household_detail(request: HttpRequest, household_id: int) -> object:
    return _detail(request, household_id)


@router.put("/{int:household_id}", response=HouseholdDetailOut, summary="修改户信息")
def household_update(request: HttpRequest, household_id: int, payload: HouseholdUpdateIn) -> object:
    household = selectors.household_get(user=request.user, pk=household_id)
    actions.household_update(
        actor=request.user, household=household, head_name=payload.head_name,
        village=_node(request, payload.village_id, JurisdictionLevel.VILLAGE, "village_id", "村/社区"),
        group=_node(request, payload.group_id, JurisdictionLevel.GROUP, "group_id", "村民小组"),
        address=payload.address, phone=payload.phone, contract_certificate_no=payload.contract_certificate_no,
        homestead_certificate_no=payload.homestead_certificate_no, status=payload.status, note=payload.note,
        reason=payload.reason,
    )
    return _detail(request, household_id)


@router.put("/{int:household_id}/bank-account", response=HouseholdDetailOut, summary="设置实名账户（户名须为本户成员）")
def household_bank_account(request: HttpRequest, household_id: int, payload: BankAccountIn) -> object:
    household = selectors.household_get(user=request.user, pk=household_id)
    actions.household_set_bank_account(
        actor=request.user, household=household, bank_name=payload.bank_name, bank_account_no=payload.bank_account_no,
        holder=_member(household, payload.holder_member_id), reason=payload.reason,
    )
    return _detail(request, household_id)


# --- members ------------------------------------------------------------------------------


@router.post("/{int:household_id}/members", response={201: MemberOut}, summary="添加家庭成员")
def member_create(request: HttpRequest, household_id: int, payload: MemberIn) -> Status:
    household = selectors.household_get(user=request.user, pk=household_id)
    member = actions.member_add(actor=request.user, household=household, **payload.dict())
    return Status(201, member)


@router.put("/members/{int:member_id}", response=MemberOut, summary="修改家庭成员")
def member_update(request: HttpRequest, member_id: int, payload: MemberUpdateIn) -> object:
    member = selectors.member_get(user=request.user, pk=member_id)
    return actions.member_update(actor=request.user, member=member, **payload.dict())


@router.delete("/members/{int:member_id}", response={204: None}, summary="删除家庭成员")
def member_delete(request: HttpRequest, member_id: int) -> Status:
    member = selectors.member_get(user=request.user, pk=member_id)
    actions.member_remove(actor=request.user, member=member)
    return Status(204, None)


@router.post("/members/{int:member_id}/full-id", response=FullIdOut, summary="查看完整证件号码（记入审计日志）")
def member_full_id(request: HttpRequest, member_id: int, payload: ReasonIn) -> dict[str, object]:
    member = selectors.member_get(user=request.user, pk=member_id)
    number = actions.member_reveal_id(actor=request.user, member=member, reason=payload.reason)
    return {"member_id": member.pk, "id_type": member.id_type, "id_number": number}


# --- parcels and items --------------------------------------------------------------------


@router.get("/parcels/list", response=list[ParcelOut], summary="地块列表（按项目）")
def parcel_list(request: HttpRequest, project_id: int, q: str = "", page: int = 1) -> list[Parcel]:
    return list(selectors.parcels_for(user=request.user, project_id=project_id, search=q)[page_slice(page)])


@router.post("/parcels", response={201: ParcelOut}, summary="登记地块")
def parcel_create(request: HttpRequest, payload: ParcelIn) -> Status:
    project = project_get(user=request.user, pk=payload.project_id)
    parcel = actions.parcel_create(
        actor=request.user, project=project,
        village=_node(request, payload.village_id, JurisdictionLevel.VILLAGE, "village_id", "村/社区"),
        household=_household_ref(request, payload.household_id), code=payload.code, ownership=payload.ownership,
        land_class=payload.land_class, area=payload.area, geometry=payload.geometry, note=payload.note,
    )
    return Status(201, parcel)


@router.get("/parcels/{int:parcel_id}", response=ParcelOut, summary="地块")
def parcel_detail(request: HttpRequest, parcel_id: int) -> object:
    return selectors.parcel_get(user=request.user, pk=parcel_id)


@router.put("/parcels/{int:parcel_id}", response=ParcelOut, summary="修改地块")
def parcel_update(request: HttpRequest, parcel_id: int, payload: ParcelUpdateIn) -> object:
    parcel = selectors.parcel_get(user=request.user, pk=parcel_id)
    return actions.parcel_update(
        actor=request.user, parcel=parcel,
        village=_node(request, payload.village_id, JurisdictionLevel.VILLAGE, "village_id", "村/社区"),
        household=_household_ref(request, payload.household_id), ownership=payload.ownership,
        land_class=payload.land_class, area=payload.area, geometry=payload.geometry, note=payload.note,
        reason=payload.reason,
    )


@router.delete("/parcels/{int:parcel_id}", response={204: None}, summary="删除地块")
def parcel_delete(request: HttpRequest, parcel_id: int) -> Status:
    actions.item_delete(actor=request.user, item=selectors.parcel_get(user=request.user, pk=parcel_id))
    return Status(204, None)


def _item_data(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    data = payload.dict()
    data["parcel"] = _parcel(request, data.pop("parcel_id", None))
    return data


@router.post("/{int:household_id}/buildings", response={201: BuildingOut}, summary="登记房屋")
def building_create(request: HttpRequest, household_id: int, payload: BuildingIn) -> Status:
    household = selectors.household_get(user=request.user, pk=household_id)
    return Status(201, actions.building_create(actor=request.user, household=household, **_item_data(request, payload)))


@router.post("/{int:household_id}/attachments", response={201: AttachmentOut}, summary="登记地上附着物")
def attachment_create(request: HttpRequest, household_id: int, payload: AttachmentIn) -> Status:
    household = selectors.household_get(user=request.user, pk=household_id)
    item = actions.attachment_create(actor=request.user, household=household, **_item_data(request, payload))
    return Status(201, item)


@router.post("/{int:household_id}/crops", response={201: CropOut}, summary="登记青苗")
def crop_create(request: HttpRequest, household_id: int, payload: CropIn) -> Status:
    household = selectors.household_get(user=request.user, pk=household_id)
    return Status(201, actions.crop_create(actor=request.user, household=household, **_item_data(request, payload)))


def _update_item(request: HttpRequest, item: Any, payload: Schema) -> Any:
    data = _item_data(request, payload)
    data.pop("code", None)
    return actions.item_update(actor=request.user, item=item, **data)


@router.get("/buildings/{int:building_id}", response=BuildingOut, summary="房屋")
def building_detail(request: HttpRequest, building_id: int) -> object:
    return selectors.building_get(user=request.user, pk=building_id)


@router.put("/buildings/{int:building_id}", response=BuildingOut, summary="修改房屋")
def building_update(request: HttpRequest, building_id: int, payload: BuildingUpdateIn) -> object:
    return _update_item(request, selectors.building_get(user=request.user, pk=building_id), payload)


@router.delete("/buildings/{int:building_id}", response={204: None}, summary="删除房屋")
def building_delete(request: HttpRequest, building_id: int) -> Status:
    actions.item_delete(actor=request.user, item=selectors.building_get(user=request.user, pk=building_id))
    return Status(204, None)


@router.get("/attachments/{int:attachment_id}", response=AttachmentOut, summary="地上附着物")
def attachment_detail(request: HttpRequest, attachment_id: int) -> object:
    return selectors.attachment_get(user=request.user, pk=attachment_id)


@router.put("/attachments/{int:attachment_id}", response=AttachmentOut, summary="修改地上附着物")
def attachment_update(request: HttpRequest, attachment_id: int, payload: AttachmentUpdateIn) -> object:
    return _update_item(request, selectors.attachment_get(user=request.user, pk=attachment_id), payload)


@router.delete("/attachments/{int:attachment_id}", response={204: None}, summary="删除地上附着物")
def attachment_delete(request: HttpRequest, attachment_id: int) -> Status:
    actions.item_delete(actor=request.user, item=selectors.attachment_get(user=request.user, pk=attachment_id))
    return Status(204, None)


@router.get("/crops/{int:crop_id}", response=CropOut, summary="青苗")
def crop_detail(request: HttpRequest, crop_id: int) -> object:
    return selectors.crop_get(user=request.user, pk=crop_id)


@router.put("/crops/{int:crop_id}", response=CropOut, summary="修改青苗")
def crop_update(request: HttpRequest, crop_id: int, payload: CropUpdateIn) -> object:
    return _update_item(request, selectors.crop_get(user=request.user, pk=crop_id), payload)


@router.delete("/crops/{int:crop_id}", response={204: None}, summary="删除青苗")
def crop_delete(request: HttpRequest, crop_id: int) -> Status:
    actions.item_delete(actor=request.user, item=selectors.crop_get(user=request.user, pk=crop_id))
    return Status(204, None)


# --- survey confirmation ------------------------------------------------------------------


def _survey_out(request: HttpRequest, pk: int) -> Any:
    return selectors.survey_get(user=request.user, pk=pk)


@router.post("/{int:household_id}/surveys", response={201: SurveyOut}, summary="记录现状调查结果（新版本）")
def survey_create(request: HttpRequest, household_id: int, payload: SurveyIn) -> Status:
    household = selectors.household_get(user=request.user, pk=household_id)
    survey = actions.survey_record(actor=request.user, household=household, **payload.dict())
    return Status(201, _survey_out(request, survey.pk))


@router.get("/surveys/{int:survey_id}", response=SurveyOut, summary="调查记录")
def survey_detail(request: HttpRequest, survey_id: int) -> object:
    return _survey_out(request, survey_id)


@router.post("/surveys/{int:survey_id}/sign", response=SurveyOut, summary="户签字确认，异议期开始")
def survey_sign(request: HttpRequest, survey_id: int, payload: SignIn) -> object:
    survey = selectors.survey_get(user=request.user, pk=survey_id)
    actions.survey_sign(actor=request.user, survey=survey, **payload.dict())
    return _survey_out(request, survey_id)


@router.post("/surveys/{int:survey_id}/refuse", response=SurveyOut, summary="登记拒签并书面送达，异议期开始")
def survey_refuse(request: HttpRequest, survey_id: int, payload: RefuseIn) -> object:
    survey = selectors.survey_get(user=request.user, pk=survey_id)
    actions.survey_refuse(actor=request.user, survey=survey, **payload.dict())
    return _survey_out(request, survey_id)


@router.post("/surveys/{int:survey_id}/objections", response={201: ObjectionOut}, summary="登记书面异议")
def objection_create(request: HttpRequest, survey_id: int, payload: ObjectionIn) -> Status:
    survey = selectors.survey_get(user=request.user, pk=survey_id)
    return Status(201, actions.objection_file(actor=request.user, survey=survey, **payload.dict()))


@router.post("/objections/{int:objection_id}/resolve", response=ObjectionOut, summary="复核异议（重新调查或复核无误）")
def objection_resolve(request: HttpRequest, objection_id: int, payload: ResolveIn) -> object:
    objection = selectors.objection_get(user=request.user, pk=objection_id)
    return actions.objection_resolve(actor=request.user, objection=objection, **payload.dict())


@router.post("/surveys/close-windows", response=CloseOut, summary="关闭已届满的异议期（幂等）")
def survey_close(request: HttpRequest) -> dict[str, object]:
    closed = actions.survey_close_windows(actor=request.user)
    return {"closed_survey_ids": [s.pk for s in closed]}


@router.get("/projects/{int:project_id}/board", response=BoardOut, summary="调查确认看板")
def survey_board(request: HttpRequest, project_id: int, survey_state: str = "", page: int = 1) -> dict[str, object]:
    project = project_get(user=request.user, pk=project_id)
    qs = selectors.board_households(user=request.user, project_id=project.pk, survey_state=survey_state)
    rows = selectors.board_rows(qs[page_slice(page)])
    items = [
        {
            "household_id": r.household.pk, "code": r.household.code, "head_name": r.household.head_name,
            "survey_state": r.household.survey_state, "survey_id": r.survey.pk if r.survey else None,
            "version": r.survey.version if r.survey else None, "window_due": r.survey.window_due if r.survey else None,
            "window_provisional": bool(r.survey and r.survey.window_provisional),
            "working_days_left": r.working_days_left,
        }
        for r in rows
    ]
    counts = selectors.board_counts(user=request.user, project_id=project.pk)
    return {"count": qs.count(), "page": max(page, 1), "counts": counts, "items": items}


@router.post("/projects/{int:project_id}/freeze", response={201: FreezeOut}, summary="冻结调查基线（征地告知）")
def register_freeze(request: HttpRequest, project_id: int, payload: FreezeIn) -> Status:
    project = project_get(user=request.user, pk=project_id)
    freeze = actions.register_freeze(actor=request.user, project=project, notified_on=payload.notified_on)
    return Status(201, freeze)


# --- evidence -----------------------------------------------------------------------------

_TARGETS = {
    "household": selectors.household_get,
    "member": selectors.member_get,
    "parcel": selectors.parcel_get,
    "building": selectors.building_get,
    "attachment": selectors.attachment_get,
    "crop": selectors.crop_get,
    "survey": selectors.survey_get,
}


@router.post("/evidence/{target_kind}/{int:target_id}", response={201: EvidenceOut}, summary="上传证据（照片、文件）")
def evidence_upload(
    request: HttpRequest,
    target_kind: str,
    target_id: int,
    taken_by: Form[str] = "",
    taken_at: Form[str] = "",
    place: Form[str] = "",
    caption: Form[str] = "",
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    if target_kind not in _TARGETS:
        raise InvalidInput(f"不能在 {target_kind} 上附加证据。", field="target_kind")
    target = _TARGETS[target_kind](user=request.user, pk=target_id)
    if file is None:
        raise InvalidInput("请选择文件。", field="file")
    link = actions.evidence_attach(
        actor=request.user, target=target, content=file.read(), original_name=file.name or "",
        content_type=file.content_type or "application/octet-stream", taken_by=taken_by, taken_at=taken_at,
        place=place, caption=caption,
    )
    return Status(201, selectors.evidence_link_get(user=request.user, pk=link.pk))


@router.get("/evidence/{int:evidence_id}", response=EvidenceOut, summary="证据信息")
def evidence_detail(request: HttpRequest, evidence_id: int) -> object:
    return selectors.evidence_link_get(user=request.user, pk=evidence_id)
