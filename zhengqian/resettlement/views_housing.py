"""Pages of the housing pool: estates, their five-unifications records, units and the import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengqian.core.http import add_domain_error, paginate
from zhengqian.core.models import JurisdictionLevel
from zhengqian.core.permissions import can, require
from zhengqian.core.selectors import jurisdiction_get, jurisdictions_for
from zhengqian.domain.errors import DomainError

from . import actions_housing, selectors
from .forms import EstateForm, EstateRecordForm, ImportForm, UnitForm
from .models import UnitStatus
from .views import run_action


def estate_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    return render(
        request,
        "resettlement/estate_list.html",
        {
            "page": paginate(request, selectors.estates_for(user=request.user, search=search)),
            "search": search,
            "can_manage": can(request.user, "housing.manage"),
        },
    )


def estate_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "housing.manage")
    nodes = jurisdictions_for(user=request.user, include_inactive=False).filter(
        level__in=[JurisdictionLevel.DISTRICT, JurisdictionLevel.TOWNSHIP]
    )
    form = EstateForm(request.POST or None)
    form.fields["jurisdiction"].choices = [(n.pk, n.name) for n in nodes]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            data["jurisdiction"] = jurisdiction_get(user=request.user, pk=data["jurisdiction"])
            estate = actions_housing.estate_create(actor=request.user, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已登记安置房小区 {estate.name}。")
            return redirect("resettlement:estate", pk=estate.pk)
    return render(request, "resettlement/form.html", {"form": form, "title": "登记安置房小区"})


def estate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    estate = selectors.estate_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    status = status if status in UnitStatus.values else ""
    return render(
        request,
        "resettlement/estate_detail.html",
        {
            "estate": estate,
            "page": paginate(request, selectors.units_of(estate, status), per_page=100),
            "status": status,
            "statuses": UnitStatus.choices,
            "records": estate.records.all(),
            "record_form": EstateRecordForm(),
            "unit_form": UnitForm(),
            "import_form": ImportForm(),
            "can_manage": can(request.user, "housing.manage"),
            "problems": request.session.pop("unit_import_problems", []),
        },
    )


@require_POST
def estate_record(request: HttpRequest, pk: int) -> HttpResponse:
    estate = selectors.estate_get(user=request.user, pk=pk)
    return run_action(
        request,
        EstateRecordForm(request.POST),
        lambda data: actions_housing.estate_record_add(actor=request.user, estate=estate, **data),
        "已登记。",
        redirect("resettlement:estate", pk=estate.pk),
    )


@require_POST
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    estate = selectors.estate_get(user=request.user, pk=pk)
    return run_action(
        request,
        UnitForm(request.POST),
        lambda data: actions_housing.unit_create(actor=request.user, estate=estate, **data),
        "已登记房屋。",
        redirect("resettlement:estate", pk=estate.pk),
    )


@require_POST
def unit_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import units from a workbook: all or nothing; the problems are listed by row."""
    estate = selectors.estate_get(user=request.user, pk=pk)
    back = redirect("resettlement:estate", pk=estate.pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的 .xlsx 文件。")
        return back
    try:
        units = actions_housing.units_import(
            actor=request.user, estate=estate, content=form.cleaned_data["file"].read()
        )
    except actions_housing.ImportRefused as refused:
        messages.error(request, str(refused))
        request.session["unit_import_problems"] = refused.problems[:200]
        return back
    except DomainError as error:
        messages.error(request, str(error))
        return back
    messages.success(request, f"已导入 {len(units)} 套房屋。")
    return back


def import_template(request: HttpRequest) -> HttpResponse:
    """An empty workbook with the import columns and one example row."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("房源")
    sheet.write_row(0, 0, list(actions_housing.UNIT_COLUMNS))
    sheet.write_row(1, 0, ["1", "101", 1, "90.50", "三室两厅", "南", "可分配"])
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''units-template.xlsx"
    return response


@require_POST
def unit_status(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, pk=pk)
    back = redirect("resettlement:estate", pk=unit.estate_id)
    data: dict[str, Any] = {"status": request.POST.get("status", ""), "reason": request.POST.get("reason", "")}
    try:
        actions_housing.unit_status_set(actor=request.user, unit=unit, **data)
    except DomainError as error:
        messages.error(request, str(error))
        return back
    messages.success(request, f"{unit.label} 状态已更新。")
    return back
