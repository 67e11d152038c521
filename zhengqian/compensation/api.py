"""API of compensation: standards, valuations, re-pricing jobs, publicity lists and agreements.
The same selectors (scoped; 404 outside the user's subtree) and actions as the staff pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from zhengqian.core.api import page_slice
from zhengqian.core.models import Jurisdiction
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.selectors import project_get

from . import actions, selectors
from .models import Valuation

router = Router(tags=["补偿"])


# --- schemas -----------------------------------------------------------------------------------


class RateOut(Schema):
    id: int
    category: str
    item: str
    name: str
    unit: str
    amount: Decimal
    payee: str
    clause: str


class RewardWindowOut(Schema):
    id: int
    start: date
    end: date
    amount_per_household: Decimal | None
    percent: Decimal | None
    clause: str


class StandardOut(Schema):
    id: int
    project_id: int
    version: int
    status: str
    reason: str
    transition_months_default: int
    approval_reference: str
    review_note: str
    approved_at: datetime | None
    rates: list[RateOut]
    reward_windows: list[RewardWindowOut]

    @staticmethod
    def resolve_rates(obj: Any) -> list[Any]:
        return list(obj.rates.all())

    @staticmethod
    def resolve_reward_windows(obj: Any) -> list[Any]:
        return list(obj.reward_windows.all())


class StandardIn(Schema):
    reason: str = ""
    transition_months_default: int | None = None


class RateIn(Schema):
    category: str
    item: str
    name: str
    unit: str
    amount: str
    payee: str
    clause: str


class ApproveIn(Schema):
    approval_reference: str
    note: str = ""


class LineOut(Schema):
    position: int
    category: str
    item: str
    source: str
    description: str
    quantity: Decimal
    unit: str
    rate: Decimal
    formula: str
    amount: Decimal
    payee: str
    clause: str
    excluded_reason: str
    case_by_case: bool


class ValuationOut(Schema):
    id: int
    household_id: int
    standard_id: int
    sequence: int
    is_current: bool
    total: Decimal
    total_in_words: str
    total_household: Decimal
    total_collective: Decimal
    resettled_persons: int
    transition_months: int | None
    handover_on: date | None
    created_at: datetime
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class ValuationIn(Schema):
    transition_months: int | None = None
    handover_on: date | None = None


class JobOut(Schema):
    id: int
    project_id: int
    standard_id: int
    status: str
    total: int
    done: int
    percent: int
    changed: int
    needs_supplement: int
    skipped: int
    failed: int
    message: str


class ChangeOut(Schema):
    household_id: int
    old_total: Decimal | None
    new_total: Decimal | None
    changed_lines: list[dict[str, Any]]
    needs_supplement: bool
    error: str


class ChangePage(Schema):
    count: int
    page: int
    items: list[ChangeOut]


class EntryOut(Schema):
    household_id: int
    household_code: str
    head_name_masked: str
    id_number_masked: str
    resettled_persons: int
    by_category: dict[str, str]
    total: Decimal


class PublicitySummaryOut(Schema):
    id: int
    project_id: int
    village_id: int
    standard_id: int
    status: str
    total: Decimal
    published_on: date | None
    ends_on: date | None
    ends_provisional: bool
    period_rule: str
    period_clause: str


class PublicityOut(PublicitySummaryOut):
    entries: list[EntryOut]

    @staticmethod
    def resolve_entries(obj: Any) -> list[Any]:
        return list(obj.entries.all())


class PublicityIn(Schema):
    village_id: int


class PublishIn(Schema):
    published_on: date


class ObjectionIn(Schema):
    filed_on: date
    filed_by_name: str
    content: str
    household_id: int | None = None


class ObjectionOut(Schema):
    id: int
    publicity_id: int
    household_id: int | None
    filed_on: date
    filed_by_name: str
    content: str
    outcome: str


class AgreementOut(Schema):
    id: int
    project_id: int
    household_id: int
    valuation_id: int
    kind: str
    parent_id: int | None
    number: str
    status: str
    amount: Decimal
    amount_in_words: str
    amount_household: Decimal
    amount_collective: Decimal
    resettlement_choice: str
    bank_name: str
    bank_account_no: str
    bank_account_holder: str
    queue_position: int
    signed_on: date | None
    signatories: str
    signed_copy_sha256: str | None
    payment_due: date | None
    payment_due_provisional: bool
    payment_clause: str

    @staticmethod
    def resolve_signed_copy_sha256(obj: Any) -> str | None:
        return obj.signed_copy.sha256 if obj.signed_copy_id else None


class AgreementPage(Schema):
    count: int
    page: int
    items: list[AgreementOut]


class AgreementIn(Schema):
    resettlement_choice: str = "undecided"


class AgreementFilter(Schema):
    village_id: int | None = None
    status: str = ""
    q: str = ""
    page: int = 1


# --- standards ---------------------------------------------------------------------------------


@router.get("/projects/{int:project_id}/standards", response=list[StandardOut], summary="项目的补偿标准各版本")
def standard_list(request: HttpRequest, project_id: int) -> list[Any]:
    project = project_get(user=request.user, pk=project_id)
    return [selectors.standard_get(user=request.user, pk=s.pk) for s in selectors.standards_for(
        user=request.user, project=project)]


@router.post("/projects/{int:project_id}/standards", response={201: StandardOut}, summary="起草补偿标准新版本")
def standard_create(request: HttpRequest, project_id: int, payload: StandardIn) -> Status:
    project = project_get(user=request.user, pk=project_id)
    standard = actions.standard_create(actor=request.user, project=project, **payload.dict())
    return Status(201, selectors.standard_get(user=request.user, pk=standard.pk))


@router.get("/standards/{int:standard_id}", response=StandardOut, summary="补偿标准")
def standard_detail(request: HttpRequest, standard_id: int) -> object:
    return selectors.standard_get(user=request.user, pk=standard_id)


@router.post("/standards/{int:standard_id}/rates", response={201: RateOut}, summary="添加单价（草稿）")
def rate_create(request: HttpRequest, standard_id: int, payload: RateIn) -> Status:
    standard = selectors.standard_get(user=request.user, pk=standard_id)
    data = payload.dict()
    data["amount_value"] = data.pop("amount")
    return Status(201, actions.rate_set(actor=request.user, standard=standard, **data))


@router.post("/standards/{int:standard_id}/submit", response=StandardOut, summary="提交领导小组审定")
def standard_submit(request: HttpRequest, standard_id: int) -> object:
    standard = selectors.standard_get(user=request.user, pk=standard_id)
    actions.standard_submit(actor=request.user, standard=standard)
    return selectors.standard_get(user=request.user, pk=standard_id)


@router.post("/standards/{int:standard_id}/approve", response=StandardOut, summary="领导小组审定批准")
def standard_approve(request: HttpRequest, standard_id: int, payload: ApproveIn) -> object:
    standard = selectors.standard_get(user=request.user, pk=standard_id)
    actions.standard_approve(actor=request.user, standard=standard, **payload.dict())
    return selectors.standard_get(user=request.user, pk=standard_id)


@router.get("/jobs/{int:job_id}", response=JobOut, summary="重新计价任务进度")
def job_detail(request: HttpRequest, job_id: int) -> object:
    return selectors.job_get(user=request.user, pk=job_id)


@router.get("/jobs/{int:job_id}/changes", response=ChangePage, summary="重新计价差异")
def job_changes(request: HttpRequest, job_id: int, page: int = 1, signed: bool | None = None) -> dict[str, Any]:
    job = selectors.job_get(user=request.user, pk=job_id)
    qs = selectors.job_changes(user=request.user, job=job, needs_supplement=signed)
    return {"count": qs.count(), "page": max(page, 1), "items": list(qs[page_slice(page)])}


# --- valuations ----------------------------------------------------------------------------------


@router.get("/households/{int:household_id}/valuation", response=ValuationOut, summary="该户现行估价")
def household_valuation(request: HttpRequest, household_id: int) -> object:
    household = selectors.household_scoped(user=request.user, pk=household_id)
    valuation = selectors.current_valuation(household=household)
    if valuation is None:
        from django.http import Http404

        raise Http404("尚未计价")
    return valuation


@router.post("/households/{int:household_id}/valuations", response={201: ValuationOut}, summary="按现行标准计价")
def valuation_create(request: HttpRequest, household_id: int, payload: ValuationIn) -> Status:
    household = selectors.household_scoped(user=request.user, pk=household_id)
    valuation = actions.valuation_run(actor=request.user, household=household, **payload.dict())
    return Status(201, selectors.valuation_get(user=request.user, pk=valuation.pk))


@router.get("/valuations/{int:valuation_id}", response=ValuationOut, summary="估价明细")
def valuation_detail(request: HttpRequest, valuation_id: int) -> Valuation:
    return selectors.valuation_get(user=request.user, pk=valuation_id)


# --- publicity ------------------------------------------------------------------------------------


@router.get("/projects/{int:project_id}/publicity", response=list[PublicitySummaryOut], summary="公示名单")
def publicity_list(request: HttpRequest, project_id: int) -> list[Any]:
    project = project_get(user=request.user, pk=project_id)
    return list(selectors.publicity_lists_for(user=request.user, project=project))


@router.post("/projects/{int:project_id}/publicity", response={201: PublicityOut}, summary="生成村补偿公示名单")
def publicity_create(request: HttpRequest, project_id: int, payload: PublicityIn) -> Status:
    project = project_get(user=request.user, pk=project_id)
    village = selectors.villages_of(user=request.user, project=project).filter(pk=payload.village_id).first()
    if not isinstance(village, Jurisdiction):
        raise InvalidInput("村/社区不存在或不在本项目。", field="village_id")
    publicity = actions.publicity_create(actor=request.user, project=project, village=village)
    return Status(201, selectors.publicity_get(user=request.user, pk=publicity.pk))


@router.get("/publicity/{int:publicity_id}", response=PublicityOut, summary="公示（姓名、证件号脱敏）")
def publicity_detail(request: HttpRequest, publicity_id: int) -> object:
    return selectors.publicity_get(user=request.user, pk=publicity_id)


@router.post("/publicity/{int:publicity_id}/publish", response=PublicityOut, summary="发布公示")
def publicity_publish(request: HttpRequest, publicity_id: int, payload: PublishIn) -> object:
    publicity = selectors.publicity_get(user=request.user, pk=publicity_id)
    actions.publicity_publish(actor=request.user, publicity=publicity, published_on=payload.published_on)
    return selectors.publicity_get(user=request.user, pk=publicity_id)


@router.post("/publicity/{int:publicity_id}/objections", response={201: ObjectionOut}, summary="登记公示异议")
def publicity_objection(request: HttpRequest, publicity_id: int, payload: ObjectionIn) -> Status:
    publicity = selectors.publicity_get(user=request.user, pk=publicity_id)
    household = None
    if payload.household_id is not None:
        entry = publicity.entries.filter(household_id=payload.household_id).select_related("household").first()
        if entry is None:
            raise InvalidInput("该户不在本公示名单中。", field="household_id")
        household = entry.household
    objection = actions.publicity_objection_file(
        actor=request.user, publicity=publicity, filed_on=payload.filed_on, filed_by_name=payload.filed_by_name,
        content=payload.content, household=household,
    )
    return Status(201, objection)


# --- agreements ------------------------------------------------------------------------------------


@router.get("/projects/{int:project_id}/agreements", response=AgreementPage, summary="补偿协议（签约顺序）")
def agreement_list(request: HttpRequest, project_id: int, filters: Query[AgreementFilter]) -> dict[str, Any]:
    project = project_get(user=request.user, pk=project_id)
    qs = selectors.agreements_for(user=request.user, project=project, village_id=filters.village_id,
                                  status=filters.status, search=filters.q).select_related("signed_copy")
    return {"count": qs.count(), "page": max(filters.page, 1), "items": list(qs[page_slice(filters.page)])}


@router.post("/households/{int:household_id}/agreements", response={201: AgreementOut}, summary="生成补偿协议")
def agreement_create(request: HttpRequest, household_id: int, payload: AgreementIn) -> Status:
    household = selectors.household_scoped(user=request.user, pk=household_id)
    agreement = actions.agreement_generate(actor=request.user, household=household, **payload.dict())
    return Status(201, selectors.agreement_get(user=request.user, pk=agreement.pk))


@router.get("/agreements/{int:agreement_id}", response=AgreementOut, summary="补偿协议")
def agreement_detail(request: HttpRequest, agreement_id: int) -> object:
    return selectors.agreement_get(user=request.user, pk=agreement_id)


@router.post("/agreements/{int:agreement_id}/sign", response=AgreementOut, summary="记录签订（上传签字扫描件）")
def agreement_sign(
    request: HttpRequest,
    agreement_id: int,
    signed_on: Form[str] = "",
    signatories: Form[str] = "",
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> object:
    agreement = selectors.agreement_get(user=request.user, pk=agreement_id)
    if file is None:
        raise InvalidInput("请上传签字后的协议扫描件。", field="file")
    actions.agreement_sign(
        actor=request.user, agreement=agreement, signed_on=signed_on, signatories=signatories, scan=file.read(),
        scan_name=file.name or "", scan_content_type=file.content_type or "application/octet-stream",
    )
    return selectors.agreement_get(user=request.user, pk=agreement_id)
