"""Staff pages of the bank exchange and the reconciliation: export a batch, download it as CSV
or XLSX, import the bank's return, see agreements ↔ payments ↔ bank ↔ ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core.http import add_domain_error, paginate
from zhengqian.core.permissions import can, require
from zhengqian.domain.errors import DomainError
from zhengqian.domain.money import format_yuan
from zhengqian.projects.selectors import project_get

from . import bank, reports, selectors
from .forms import ReturnForm
from .models import BankBatch


def batch_response(batch: BankBatch, file_format: str, user: Any) -> HttpResponse:
    """The batch file (docs/bank-batch-format.md) as an attachment; it carries full account
    numbers, so only the roles that exchange files with the bank may download it."""
    require(user, "bank.exchange")
    if file_format == "csv":
        response = HttpResponse(("\ufeff" + batch.content).encode("utf-8"), content_type="text/csv; charset=utf-8")
    elif file_format == "xlsx":
        response = HttpResponse(
            bank.batch_xlsx(batch), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404("文件格式不存在")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.{file_format}"'
    return response


def batch_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    return render(request, "funds/batches.html", {
        "project": project, "page": paginate(request, selectors.batches_for(user=request.user, project=project)),
        "can_download": can(request.user, "bank.exchange"),
    })


@require_POST
def batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    try:
        batch = bank.batch_create(actor=request.user, account=account)
    except DomainError as error:
        messages.error(request, str(error))
        if account.project_id is None:
            raise Http404("账户不存在") from None
        return redirect("funds:payments", project_id=account.project_id)
    messages.success(request, f"已生成银行批次 {batch.number}：{batch.line_count} 笔，"
                              f"合计 {format_yuan(batch.total)} 元，已标记为已发送银行。")
    return redirect("funds:batch_detail", pk=batch.pk)


@require_http_methods(["GET", "POST"])
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = ReturnForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            received = bank.return_import(actor=request.user, batch=batch, content=upload.read(),
                                          file_name=upload.name)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            problems = sum(len(v) for v in received.problems.values())
            summary = f"已导入回盘：成功 {received.paid_count} 笔（{format_yuan(received.paid_total)} 元），"
            summary += f"失败 {received.failed_count} 笔已重新排队"
            messages.success(request, summary + (f"，{problems} 处差异见下表。" if problems else "。"))
            return redirect("funds:batch_detail", pk=batch.pk)
    return render(request, "funds/batch_detail.html", {
        "batch": batch, "lines": batch.lines.select_related("payment", "payment__household"),
        "returns": batch.returns.all(), "form": form, "can_import": can(request.user, "bank.exchange"),
    })


def batch_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    return batch_response(selectors.batch_get(user=request.user, pk=pk), file_format, request.user)


def reconciliation(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    selectors.require_district_view(user=request.user, project=project)
    return render(request, "funds/reconciliation.html", {"project": project,
                                                         "report": reports.reconciliation(project)})
