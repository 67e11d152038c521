"""Staff pages of payments: the project's payment list (plan, approve in bulk), one payment,
and the 3-month full-payment clocks (putian-2014 (七))."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengqian.compensation.models import Agreement
from zhengqian.core.http import paginate, querystring_without_page
from zhengqian.core.permissions import can, require
from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.errors import DomainError
from zhengqian.domain.ledger import AccountKind
from zhengqian.domain.money import format_yuan
from zhengqian.projects.selectors import project_get, projects_for

from . import agreements, payments, selectors
from .forms import ReasonForm

STATES = [(state.value, state.label) for state in PaymentState]
CLOCK_STATES = [("overdue", "已逾期"), ("due_soon", "即将到期"), ("open", "支付期内"), ("paid", "已足额支付"),
                ("paid_late", "逾期后付清")]


def payment_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    state = request.GET.get("state", "")
    state = state if state in PaymentState.__members__ else ""
    search = request.GET.get("q", "").strip()
    qs = selectors.payments_for(user=request.user, project=project, state=state, search=search)
    townships = selectors.accounts_for(user=request.user, project=project, kind=AccountKind.township_special)
    return render(request, "funds/payments.html", {
        "project": project, "page": paginate(request, qs, per_page=50), "state": state, "states": STATES,
        "search": search, "querystring": querystring_without_page(request), "townships": townships,
        "can_plan": can(request.user, "funds.manage"), "can_approve": can(request.user, "payment.approve"),
        "can_send": can(request.user, "bank.exchange"),
    })


@require_POST
def payments_plan(request: HttpRequest, project_id: int) -> HttpResponse:
    """Plan the payments of every governing agreement of households the user may see."""
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "funds.manage")
    visible = selectors.payments_scope_households(user=request.user, project=project)
    created, refused = 0, []
    for agreement in Agreement.objects.filter(pk__in=agreements.governing_ids(project.pk), household__in=visible):
        try:
            created += len(payments.payments_plan(actor=request.user, agreement=agreement))
        except DomainError as error:
            refused.append(f"{agreement.number}：{error}")
    messages.success(request, f"已生成 {created} 笔付款计划。")
    for line in refused[:10]:
        messages.error(request, line)
    return redirect("funds:payments", project_id=project.pk)


@require_POST
def payments_approve(request: HttpRequest, project_id: int) -> HttpResponse:
    """Approve the ticked payments, each in its own transaction; refusals are listed."""
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "payment.approve")
    ids = [value for value in request.POST.getlist("payment") if value.isdigit()]
    chosen = selectors.payments_for(user=request.user, project=project).filter(pk__in=ids)
    approved, total = 0, []
    for payment in chosen:
        try:
            payments.payment_approve(actor=request.user, payment=payment)
        except DomainError as error:
            messages.error(request, f"{payment.number}：{error}")
        else:
            approved += 1
            total.append(payment.amount)
    if not ids:
        messages.error(request, "请勾选要审批的付款。")
    elif approved:
        messages.success(request, f"已审批 {approved} 笔付款，合计 {format_yuan(sum(total))} 元。")
    return redirect("funds:payments", project_id=project.pk)


def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payment = selectors.payment_get(user=request.user, pk=pk)
    return render(request, "funds/payment_detail.html", {
        "payment": payment, "lines": payment.batch_lines.select_related("batch", "bank_return"),
        "history": selectors.history(payment), "reason_form": ReasonForm(),
        "can_approve": can(request.user, "payment.approve"), "can_manage": can(request.user, "funds.manage"),
    })


@require_POST
def payment_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    payment = selectors.payment_get(user=request.user, pk=pk)
    try:
        if verb == "approve":
            payments.payment_approve(actor=request.user, payment=payment)
            messages.success(request, f"已审批付款 {payment.number}。")
        elif verb == "cancel":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            payments.payment_cancel(actor=request.user, payment=payment, reason=reason)
            messages.success(request, f"已取消付款 {payment.number}。")
        else:
            payments.payment_use_household_account(actor=request.user, payment=payment)
            messages.success(request, "已改用本户现登记的实名账户。")
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("funds:payment_detail", pk=payment.pk)


def payment_clocks(request: HttpRequest) -> HttpResponse:
    project_id = request.GET.get("project", "")
    project = project_get(user=request.user, pk=project_id) if project_id.isdigit() else None
    state = request.GET.get("state", "")
    state = state if state in dict(CLOCK_STATES) else ""
    clocks = selectors.payment_clocks(request.user, project=project, state=state)
    counts: dict[str, int] = {}
    for item in selectors.payment_clocks(request.user, project=project):
        counts[item.state] = counts.get(item.state, 0) + 1
    return render(request, "funds/clocks.html", {
        "page": paginate(request, clocks, per_page=50), "state": state, "states": CLOCK_STATES,
        "counts": [(value, label, counts.get(value, 0)) for value, label in CLOCK_STATES],
        "project": project, "projects": projects_for(user=request.user),
        "querystring": querystring_without_page(request),
    })
