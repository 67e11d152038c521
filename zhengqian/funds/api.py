"""API of the funds: the same selectors and actions as the staff pages, scoped the same way.
Money-moving calls accept an ``Idempotency-Key`` header (idempotency.py)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status, UploadedFile

from zhengqian.compensation.models import Agreement
from zhengqian.core import clock
from zhengqian.core.api import page_slice
from zhengqian.core.selectors import jurisdiction_get
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.selectors import project_get

from . import actions, bank, facts, idempotency, payments, reports, selectors
from .schemas import (
    AccountOut,
    AccountsOpenIn,
    AppropriationIn,
    AppropriationOut,
    BalanceOut,
    BatchIn,
    BatchOut,
    BudgetIn,
    ClockOut,
    CollectiveAccountIn,
    CollectiveOut,
    DecisionIn,
    DepositOut,
    EntryOut,
    EntryPage,
    GateOut,
    PayeeIn,
    PaymentFilter,
    PaymentOut,
    PaymentPage,
    PlanIn,
    PublicationOut,
    ReasonIn,
    ReconciliationOut,
    ReturnOut,
    ReviewOut,
    StatementRowOut,
    TownshipRowOut,
    TransferOut,
)

router = Router(tags=["资金管理"])


def _file(upload: UploadedFile | None, what: str) -> tuple[bytes, str, str]:
    if upload is None:
        raise InvalidInput(f"请上传{what}。", field="file")
    return upload.read(), upload.name or what, upload.content_type or "application/octet-stream"


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("日期格式应为 YYYY-MM-DD。", field=field) from None


# --- accounts, budget, gate ---------------------------------------------------------------


@router.get("/projects/{int:project_id}/accounts", response=list[BalanceOut], summary="账户及余额（可按日期）")
def account_balances(request: HttpRequest, project_id: int, on: date | None = None) -> Any:
    project = project_get(user=request.user, pk=project_id)
    return [{"account": row.account, "by_category": row.by_category, "total": row.total}
            for row in selectors.balances_for(user=request.user, project=project, on=on)]


@router.post("/projects/{int:project_id}/accounts", response={201: list[AccountOut]}, summary="开立项目专户及镇街专帐")
def accounts_open(request: HttpRequest, project_id: int, payload: AccountsOpenIn) -> Status:
    project = project_get(user=request.user, pk=project_id)
    return Status(201, actions.accounts_open(actor=request.user, project=project, **payload.dict()))


@router.post("/projects/{int:project_id}/collective-accounts", response={201: AccountOut}, summary="开立村集体账户")
def collective_account_open(request: HttpRequest, project_id: int, payload: CollectiveAccountIn) -> Status:
    project = project_get(user=request.user, pk=project_id)
    village = jurisdiction_get(user=request.user, pk=payload.village_id)
    data = payload.dict(exclude={"village_id"})
    return Status(201, actions.collective_account_open(actor=request.user, project=project, village=village, **data))


@router.put("/projects/{int:project_id}/budget", response=GateOut, summary="设定前置资金预算")
def budget_set(request: HttpRequest, project_id: int, payload: BudgetIn) -> Any:
    project = project_get(user=request.user, pk=project_id)
    if payload.approved_on is None:
        raise InvalidInput("请填写批准日期。", field="approved_on")
    actions.budget_set(actor=request.user, project=project, **payload.dict())
    return _gate(project)


def _gate(project: Any) -> dict[str, Any]:
    gate = selectors.funding_gate(project)
    return {
        "budget": selectors.budget_amounts(project), "met": selectors.funds_in_place(project),
        "shortfall": dict(gate.shortfall) if gate else {}, "clause": "banan-2015 (五)",
        "message": gate.message if gate else "尚未设定前置资金预算或未开立专户", "facts": facts.compute(project),
    }


@router.get("/projects/{int:project_id}/gate", response=GateOut, summary="前置资金闸门与程序事实")
def funding_gate(request: HttpRequest, project_id: int) -> Any:
    return _gate(project_get(user=request.user, pk=project_id))


# --- deposits, reviews, appropriations, transfers, entries --------------------------------


@router.get("/projects/{int:project_id}/deposits", response=list[DepositOut], summary="资金到位记录")
def deposit_list(request: HttpRequest, project_id: int) -> Any:
    project = project_get(user=request.user, pk=project_id)
    return list(selectors.deposits_for(user=request.user, project=project))


@router.post("/projects/{int:project_id}/deposits", response={201: DepositOut}, summary="登记资金到位（附银行回单）")
def deposit_record(
    request: HttpRequest, project_id: int, category: Form[str] = "", amount: Form[str] = "",
    received_on: Form[str] = "", bank_reference: Form[str] = "", receipt: File[UploadedFile] = None,  # type: ignore[assignment]
) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    content, name, kind = _file(receipt, "银行回单")
    body = {"category": category, "amount": amount, "received_on": received_on, "bank_reference": bank_reference,
            "receipt_sha256": hashlib.sha256(content).hexdigest()}

    def run() -> tuple[int, Any]:
        deposit = actions.deposit_record(
            actor=request.user, project=project, category=category, amount=amount,
            received_on=_day(received_on, "received_on"), bank_reference=bank_reference, receipt=content,
            receipt_name=name, receipt_type=kind)
        return 201, DepositOut.from_orm(deposit).model_dump(mode="json")

    return idempotency.run(request, body, run)


@router.post("/projects/{int:project_id}/social-security-reviews", response={201: ReviewOut},
             summary="登记社保资金审核意见（莆田 (十五)）")
def review_record(
    request: HttpRequest, project_id: int, reviewed_on: Form[str] = "", reviewer: Form[str] = "",
    document_no: Form[str] = "", amount_confirmed: Form[str] = "", opinion: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    project = project_get(user=request.user, pk=project_id)
    content, name, kind = _file(opinion, "审核意见")
    review = actions.social_security_review_record(
        actor=request.user, project=project, reviewed_on=_day(reviewed_on, "reviewed_on"), reviewer=reviewer,
        document_no=document_no, amount_confirmed=amount_confirmed, opinion=content, opinion_name=name,
        opinion_type=kind)
    return Status(201, review)


@router.get("/projects/{int:project_id}/appropriations", response=list[AppropriationOut], summary="拨付镇街")
def appropriation_list(request: HttpRequest, project_id: int, state: str = "") -> Any:
    project = project_get(user=request.user, pk=project_id)
    return list(selectors.appropriations_for(user=request.user, project=project, state=state))


@router.post("/projects/{int:project_id}/appropriations", response={201: AppropriationOut}, summary="申请拨付镇街专户")
def appropriation_request(request: HttpRequest, project_id: int, payload: AppropriationIn) -> Status:
    project = project_get(user=request.user, pk=project_id)
    township = jurisdiction_get(user=request.user, pk=payload.township_id)
    appropriation = actions.appropriation_request(
        actor=request.user, project=project, township=township, category=payload.category, amount=payload.amount,
        purpose=payload.purpose)
    return Status(201, appropriation)


@router.post("/appropriations/{int:appropriation_id}/approve", response=AppropriationOut, summary="审批并拨付")
def appropriation_approve(request: HttpRequest, appropriation_id: int, payload: DecisionIn) -> HttpResponse:
    appropriation = selectors.appropriation_get(user=request.user, pk=appropriation_id)

    def run() -> tuple[int, Any]:
        done = actions.appropriation_approve(actor=request.user, appropriation=appropriation, note=payload.note)
        return 200, AppropriationOut.from_orm(done).model_dump(mode="json")

    return idempotency.run(request, payload.dict(), run)


@router.post("/appropriations/{int:appropriation_id}/reject", response=AppropriationOut, summary="退回拨付申请")
def appropriation_reject(request: HttpRequest, appropriation_id: int, payload: DecisionIn) -> Any:
    appropriation = selectors.appropriation_get(user=request.user, pk=appropriation_id)
    return actions.appropriation_reject(actor=request.user, appropriation=appropriation, note=payload.note)


@router.post("/accounts/{int:account_id}/transfers", response={201: TransferOut},
             summary="资金调剂（跨项目须附区政府主要领导批准）")
def transfer_record(
    request: HttpRequest, account_id: int, target_id: Form[int] = 0, category: Form[str] = "",
    to_category: Form[str] = "", amount: Form[str] = "", reason: Form[str] = "", approver_name: Form[str] = "",
    approval: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    source = selectors.account_get(user=request.user, pk=account_id)
    target = selectors.account_get(user=request.user, pk=target_id)
    content, name, kind = _file(approval, "批准文件") if approval is not None else (None, "", "")
    transfer = actions.transfer_record(
        actor=request.user, source=source, target=target, category=category, to_category=to_category or None,
        amount=amount, reason=reason, approver_name=approver_name, approval=content, approval_name=name,
        approval_type=kind or "application/octet-stream")
    return Status(201, transfer)


@router.get("/projects/{int:project_id}/transfers", response=list[TransferOut], summary="资金调剂记录")
def transfer_list(request: HttpRequest, project_id: int) -> Any:
    project = project_get(user=request.user, pk=project_id)
    return list(selectors.transfers_for(user=request.user, project=project))


@router.get("/projects/{int:project_id}/entries", response=EntryPage, summary="记账凭证（总账）")
def entry_list(request: HttpRequest, project_id: int, page: int = 1) -> Any:
    project = project_get(user=request.user, pk=project_id)
    entries = selectors.entries_for(user=request.user, project=project)
    return {"count": entries.count(), "page": max(page, 1), "items": list(entries[page_slice(page)])}


@router.post("/entries/{int:entry_id}/reverse", response={201: EntryOut}, summary="冲销凭证")
def entry_reverse(request: HttpRequest, entry_id: int, payload: ReasonIn) -> Status:
    entry = selectors.entry_get(user=request.user, pk=entry_id)
    return Status(201, actions.entry_reverse(actor=request.user, entry=entry, reason=payload.reason))


# --- payments -----------------------------------------------------------------------------


def _payment_json(payment: Any) -> dict[str, Any]:
    return PaymentOut.from_orm(payment).model_dump(mode="json")


@router.get("/projects/{int:project_id}/payments", response=PaymentPage, summary="付款列表")
def payment_list(request: HttpRequest, project_id: int, filters: Query[PaymentFilter]) -> Any:
    project = project_get(user=request.user, pk=project_id)
    qs = selectors.payments_for(user=request.user, project=project, state=filters.state, search=filters.q)
    return {"count": qs.count(), "page": max(filters.page, 1), "items": list(qs[page_slice(filters.page)])}


@router.post("/projects/{int:project_id}/payments", response={201: list[PaymentOut]}, summary="按已签协议生成付款计划")
def payments_plan(request: HttpRequest, project_id: int, payload: PlanIn) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    try:
        agreement = Agreement.objects.get(pk=payload.agreement_id, project=project)
    except Agreement.DoesNotExist:
        raise InvalidInput("协议不存在。", field="agreement_id") from None
    selectors.household_in_scope(user=request.user, household_id=agreement.household_id)

    def run() -> tuple[int, Any]:
        created = payments.payments_plan(actor=request.user, agreement=agreement)
        return 201, [_payment_json(p) for p in created]

    return idempotency.run(request, payload.dict(), run)


@router.get("/payments/{int:payment_id}", response=PaymentOut, summary="付款详情")
def payment_detail(request: HttpRequest, payment_id: int) -> Any:
    return selectors.payment_get(user=request.user, pk=payment_id)


@router.post("/payments/{int:payment_id}/approve", response=PaymentOut, summary="审批付款（支持 Idempotency-Key）")
def payment_approve(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = selectors.payment_get(user=request.user, pk=payment_id)

    def run() -> tuple[int, Any]:
        return 200, _payment_json(payments.payment_approve(actor=request.user, payment=payment))

    return idempotency.run(request, {"payment_id": payment_id}, run)


@router.post("/payments/{int:payment_id}/cancel", response=PaymentOut, summary="取消付款")
def payment_cancel(request: HttpRequest, payment_id: int, payload: ReasonIn) -> Any:
    payment = selectors.payment_get(user=request.user, pk=payment_id)
    return payments.payment_cancel(actor=request.user, payment=payment, reason=payload.reason)


@router.post("/payments/{int:payment_id}/payee", response=PaymentOut, summary="更换收款账户")
def payment_payee(request: HttpRequest, payment_id: int, payload: PayeeIn) -> Any:
    payment = selectors.payment_get(user=request.user, pk=payment_id)
    account = selectors.account_get(user=request.user, pk=payload.account_id)
    return payments.payment_set_payee(actor=request.user, payment=payment, account=account, reason=payload.reason)


# --- bank ---------------------------------------------------------------------------------


@router.post("/projects/{int:project_id}/batches", response={201: BatchOut}, summary="导出银行批次并标记已发送")
def batch_create(request: HttpRequest, project_id: int, payload: BatchIn) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    account = selectors.account_get(user=request.user, pk=payload.account_id)
    if account.project_id != project.pk:
        raise InvalidInput("该专户不属于本项目。", field="account_id")

    def run() -> tuple[int, Any]:
        return 201, BatchOut.from_orm(bank.batch_create(actor=request.user, account=account)).model_dump(mode="json")

    return idempotency.run(request, payload.dict(), run)


@router.get("/batches/{int:batch_id}", response=BatchOut, summary="银行批次")
def batch_detail(request: HttpRequest, batch_id: int) -> Any:
    return selectors.batch_get(user=request.user, pk=batch_id)


@router.get("/batches/{int:batch_id}/file", summary="下载批次文件（format=csv|xlsx）")
def batch_file(request: HttpRequest, batch_id: int, format: str = "csv") -> HttpResponse:
    from .views_bank import batch_response

    return batch_response(selectors.batch_get(user=request.user, pk=batch_id), format, request.user)


@router.post("/batches/{int:batch_id}/returns", response={201: ReturnOut}, summary="导入银行回盘文件")
def return_import(request: HttpRequest, batch_id: int, file: File[UploadedFile] = None) -> HttpResponse:  # type: ignore[assignment]
    batch = selectors.batch_get(user=request.user, pk=batch_id)
    content, name, _ = _file(file, "回盘文件")

    def run() -> tuple[int, Any]:
        received = bank.return_import(actor=request.user, batch=batch, content=content, file_name=name)
        return 201, ReturnOut.from_orm(received).model_dump(mode="json")

    return idempotency.run(request, {"sha256": hashlib.sha256(content).hexdigest()}, run)


# --- reports ------------------------------------------------------------------------------


@router.get("/projects/{int:project_id}/reconciliation", response=ReconciliationOut,
            summary="对账：协议↔付款↔银行↔总账")
def reconciliation(request: HttpRequest, project_id: int) -> Any:
    project = project_get(user=request.user, pk=project_id)
    selectors.require_district_view(user=request.user, project=project)
    return reports.reconciliation(project)


@router.get("/projects/{int:project_id}/statement", response=list[StatementRowOut], summary="项目资金报表（按类别）")
def project_statement(request: HttpRequest, project_id: int, on: date | None = None) -> Any:
    return reports.project_statement(project_get(user=request.user, pk=project_id), on=on)


@router.get("/townships/{int:township_id}/statement", response=list[TownshipRowOut], summary="镇街专户报表")
def township_statement(request: HttpRequest, township_id: int, on: date | None = None) -> Any:
    township = jurisdiction_get(user=request.user, pk=township_id)
    return reports.township_statement(user=request.user, township=township, on=on)


@router.get("/accounts/{int:account_id}/collective-statement", response=CollectiveOut, summary="集体账户半年收支")
def collective_statement(request: HttpRequest, account_id: int, day: date | None = None) -> Any:
    account = selectors.account_get(user=request.user, pk=account_id)
    statement = reports.collective_statement(account, day or clock.today())
    published = selectors.publications_for(account=account).filter(period_start=statement.start).exists()
    return {"account_id": account.pk, "start": statement.start, "end": statement.end, "opening": statement.opening,
            "received": statement.received, "closing": statement.closing, "by_category": statement.by_category,
            "published": published}


@router.post("/accounts/{int:account_id}/publications", response={201: PublicationOut},
             summary="登记集体收支半年公布（莆田 (十)）")
def collective_publish(
    request: HttpRequest, account_id: int, period_start: Form[str] = "", published_on: Form[str] = "",
    place: Form[str] = "", photo: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status:
    account = selectors.account_get(user=request.user, pk=account_id)
    content, name, kind = _file(photo, "公布照片")
    publication = actions.collective_publish(
        actor=request.user, account=account, period_start=_day(period_start, "period_start"),
        published_on=_day(published_on, "published_on"), place=place, photo=content, photo_name=name,
        photo_type=kind)
    return Status(201, publication)


@router.get("/payment-clocks", response=list[ClockOut], summary="三个月足额支付时钟")
def payment_clocks(request: HttpRequest, state: str = "", project_id: int | None = None) -> Any:
    project = project_get(user=request.user, pk=project_id) if project_id else None
    return [
        {"agreement_id": c.agreement.pk, "agreement_number": c.agreement.number,
         "household_id": c.agreement.household_id,
         "household_code": c.agreement.household.code, "due": c.due, "provisional": c.provisional,
         "payable": c.payable, "paid": c.paid, "outstanding": c.outstanding, "state": c.state}
        for c in selectors.payment_clocks(request.user, project=project, state=state)
    ]
