"""Staff pages of the funds: overview, a project's accounts, budget, gate, deposits,
appropriations, transfers, reviews and journal. Payments are in views_payments.py, bank files
and the reconciliation in views_bank.py, statements in views_reports.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core.http import add_domain_error, paginate
from zhengqian.core.models import Jurisdiction, JurisdictionLevel
from zhengqian.core.permissions import can, require
from zhengqian.domain.errors import DomainError
from zhengqian.domain.ledger import AccountKind, Category
from zhengqian.domain.money import format_yuan
from zhengqian.projects.models import Project
from zhengqian.projects.selectors import project_get, projects_for

from . import actions, facts, selectors
from .forms import (
    AccountsOpenForm,
    AppropriationForm,
    BudgetForm,
    CollectiveAccountForm,
    DecisionForm,
    DepositForm,
    ReasonForm,
    ReviewForm,
    TransferForm,
)

FACT_LABELS = {
    "special_account_opened": "已建立资金管理专户并按项目建立专帐（巴南 (五)）",
    "funds_in_place": "前置资金足额到位（巴南 (五)）",
    "social_security_funds_in_place": "被征地农民社会保障资金足额到位（莆田 (十五)）",
    "social_security_funds_reviewed": "社保资金落实情况已经人社部门审核（莆田 (十五)）",
    "paid_in_full": "补偿费用已足额支付到位（莆田 (七)）",
}


def _project_page(project: Project | int) -> HttpResponse:
    return redirect("funds:project", project_id=project if isinstance(project, int) else project.pk)


def _file(form: Any, name: str) -> dict[str, Any]:
    upload = form.cleaned_data.pop(name)
    return {"content": upload.read(), "name": upload.name, "type": upload.content_type or "application/octet-stream"}


def _form_page(
    request: HttpRequest, form: Any, title: str, project: Project, run: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """Render ``form``; on a valid POST call ``run(cleaned_data)`` (an action), flash its message
    and go back to the project's funds page; a refused action is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            message = run(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, message)
            return _project_page(project)
    return render(request, "funds/form.html", {
        "form": form, "title": title, "project": project, "cancel": reverse("funds:project", args=[project.pk]),
    })


def overview(request: HttpRequest) -> HttpResponse:
    projects = paginate(request, projects_for(user=request.user, search=request.GET.get("q", "").strip()))
    rows = []
    for project in projects:
        gate = selectors.funding_gate(project)
        rows.append({"project": project, "gate": gate, "in_place": selectors.funds_in_place(project),
                     "paid_in_full": selectors.paid_in_full(project)})
    return render(request, "funds/overview.html", {"page": projects, "rows": rows,
                                                    "search": request.GET.get("q", "")})


def project_funds(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    balances = selectors.balances_for(user=request.user, project=project)
    gate = selectors.funding_gate(project)
    values = facts.compute(project)
    return render(request, "funds/project.html", {
        "project": project,
        "balances": balances,
        "opened": any(row.account.kind == AccountKind.project_special for row in balances),
        "budget": selectors.budget_get(project),
        "budget_amounts": sorted((selectors.budget_amounts(project) or {}).items(),
                                 key=lambda item: list(Category).index(item[0])),
        "gate": gate,
        "facts": [(FACT_LABELS[name], values[name]) for name in FACT_LABELS],
        "deposits": selectors.deposits_for(user=request.user, project=project)[:50],
        "appropriations": selectors.appropriations_for(user=request.user, project=project)[:50],
        "transfers": selectors.transfers_for(user=request.user, project=project)[:50],
        "reviews": selectors.reviews_for(project=project),
        "collectives": [row.account for row in balances if row.account.kind == AccountKind.collective],
        "decision_form": DecisionForm(),
        "can_manage": can(request.user, "funds.manage"),
        "can_approve": can(request.user, "appropriation.approve"),
    })


@require_POST
def accounts_open(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    form = AccountsOpenForm(request.POST)
    form.is_valid()
    try:
        opened = actions.accounts_open(actor=request.user, project=project, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已开立 {len(opened)} 个账户。" if opened else "账户均已开立。")
    return _project_page(project)


@require_http_methods(["GET", "POST"])
def collective_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "funds.manage")
    villages = Jurisdiction.objects.filter(level=JurisdictionLevel.VILLAGE, parent__in=project.townships.all(),
                                           path__startswith=request.user.scope_path or "\0")
    form = CollectiveAccountForm(request.POST or None, villages=villages.select_related("parent"))

    def run(data: dict[str, Any]) -> str:
        account = actions.collective_account_open(actor=request.user, project=project, **data)
        return f"已开立集体账户 {account.name}。"

    return _form_page(request, form, "开立村集体账户", project, run)


@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "funds.manage")
    budget = selectors.budget_get(project)
    initial: dict[str, Any] = {}
    if budget is not None:
        initial = {name: getattr(budget, name) for name in ("approval_document", "approved_on", "social_security",
                                                              "work_funds", "resettlement_housing")}
        initial.update({f"estimate_{key}": value for key, value in budget.estimates.items()})
    form = BudgetForm(request.POST or None, initial=initial)

    def run(data: dict[str, Any]) -> str:
        actions.budget_set(actor=request.user, project=project, **form.action_kwargs())
        return "已保存前置资金预算。"

    return _form_page(request, form, "前置资金预算（巴南 (五)）", project, run)


@require_http_methods(["GET", "POST"])
def deposit_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "funds.manage")
    form = DepositForm(request.POST or None, request.FILES or None)

    def run(data: dict[str, Any]) -> str:
        receipt = _file(form, "receipt")
        deposit = actions.deposit_record(actor=request.user, project=project, receipt=receipt["content"],
                                         receipt_name=receipt["name"], receipt_type=receipt["type"], **data)
        return f"已登记资金到位 {format_yuan(deposit.amount)} 元（凭证 {deposit.entry_id}）。"

    return _form_page(request, form, "登记资金到位", project, run)


@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "funds.manage")
    form = ReviewForm(request.POST or None, request.FILES or None)

    def run(data: dict[str, Any]) -> str:
        opinion = _file(form, "opinion")
        actions.social_security_review_record(actor=request.user, project=project, opinion=opinion["content"],
                                              opinion_name=opinion["name"], opinion_type=opinion["type"], **data)
        return "已登记社保资金审核意见。"

    return _form_page(request, form, "社保资金审核意见（莆田 (十五)）", project, run)


@require_http_methods(["GET", "POST"])
def appropriation_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "funds.manage")
    townships = project.townships.filter(path__startswith=request.user.scope_path or "\0")
    form = AppropriationForm(request.POST or None, townships=townships)

    def run(data: dict[str, Any]) -> str:
        appropriation = actions.appropriation_request(actor=request.user, project=project, **data)
        return f"已提交拨付申请：{appropriation.township.name} {format_yuan(appropriation.amount)} 元，待财务审批。"

    return _form_page(request, form, "申请拨付镇街专户", project, run)


@require_POST
def appropriation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appropriation = selectors.appropriation_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError
        if form.cleaned_data["decision"] == "approve":
            actions.appropriation_approve(actor=request.user, appropriation=appropriation,
                                          note=form.cleaned_data["note"])
            messages.success(request, f"已拨付 {format_yuan(appropriation.amount)} 元到{appropriation.township.name}。")
        else:
            actions.appropriation_reject(actor=request.user, appropriation=appropriation,
                                         note=form.cleaned_data["note"])
            messages.success(request, "已退回拨付申请。")
    except DomainError as error:
        messages.error(request, str(error))
    except ValueError:
        messages.error(request, "请选择批准或退回。")
    return _project_page(appropriation.project_id)


@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "funds.manage")
    held = [AccountKind.project_special, AccountKind.township_special]
    accounts = selectors.accounts_for(user=request.user)
    form = TransferForm(request.POST or None, request.FILES or None,
                        sources=accounts.filter(project=project, kind__in=held),
                        targets=accounts.filter(Q(kind__in=held) | Q(kind=AccountKind.social_security)))

    def run(data: dict[str, Any]) -> str:
        upload = data.pop("approval")
        approval = {"approval": upload.read(), "approval_name": upload.name,
                    "approval_type": upload.content_type or "application/octet-stream"} if upload else {}
        transfer = actions.transfer_record(actor=request.user, **data, **approval)
        return f"已登记资金调剂 {format_yuan(transfer.amount)} 元（凭证 {transfer.entry_id}）。"

    return _form_page(request, form, "资金调剂", project, run)


def ledger(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    on = _date_param(request.GET.get("on"))
    entries = paginate(request, selectors.entries_for(user=request.user, project=project), per_page=30)
    return render(request, "funds/ledger.html", {
        "project": project, "page": entries, "on": on,
        "balances": selectors.balances_for(user=request.user, project=project, on=on),
        "categories": list(Category), "can_reverse": can(request.user, "entry.reverse"),
        "reverse_form": ReasonForm(),
    })


@require_POST
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写冲销原因。")
    else:
        try:
            reversal = actions.entry_reverse(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已冲销凭证 {entry.pk}（冲销凭证 {reversal.pk}）。")
    return redirect("funds:ledger", project_id=entry.project_id)


def _date_param(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
