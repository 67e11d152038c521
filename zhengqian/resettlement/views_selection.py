"""Pages of selection days (the house-selection day screen), allocations, the printable
selection confirmation, handover, property certificates and their clock (banan-2015 (四))."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengqian.core import clock
from zhengqian.core.http import add_domain_error, paginate, querystring_without_page
from zhengqian.core.permissions import can, require
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get

from . import actions_allocation, actions_handover, selectors
from .forms import CertificateForm, HandoverForm, ReasonForm, SelectionDayForm
from .views import run_action


def selection_day_create(request: HttpRequest, project_id: int) -> HttpResponse:
    require(request.user, "resettlement.manage")
    project = project_get(user=request.user, pk=project_id)
    form = SelectionDayForm(request.POST or None, initial={"on": clock.today()})
    form.fields["estate"].choices = [  # type: ignore[attr-defined]
        (e.pk, e.name) for e in selectors.estates_for(user=request.user)
    ]
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            data["estate"] = selectors.estate_get(user=request.user, pk=data["estate"])
            selection = actions_allocation.selection_day_create(actor=request.user, project=project, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已公布选房顺序（{selection.get_rule_display()}）。")
            return redirect("resettlement:day", pk=selection.pk)
    return render(
        request, "resettlement/form.html", {"form": form, "title": f"{project.name} · 安排选房日", "project": project}
    )


def selection_day(request: HttpRequest, pk: int) -> HttpResponse:
    """The house-selection day screen: the next household, its entitlement, the available units
    that fit it (closest in area first), and a confirm button per unit."""
    selection = selectors.selection_day_get(user=request.user, pk=pk)
    ticket = actions_allocation.next_ticket(selection)
    option = selectors.option_of(ticket.household) if ticket else None
    units = actions_allocation.fitting_units(selection, option) if ticket else []
    return render(
        request,
        "resettlement/selection_day.html",
        {
            "day": selection,
            "ticket": ticket,
            "option": option,
            "units": units,
            "tickets": selectors.tickets_of(selection),
            "today": clock.today(),
            "can_manage": can(request.user, "resettlement.manage"),
            "skip_form": ReasonForm(),
        },
    )


def draw_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The public draw record: rule, seed, households and the order (anyone can recompute it)."""
    selection = selectors.selection_day_get(user=request.user, pk=pk)
    return render(request, "resettlement/draw_record.html", {"day": selection, "draw": selection.draw_record})


@require_POST
def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    selection = selectors.selection_day_get(user=request.user, pk=pk)
    back = redirect("resettlement:day", pk=selection.pk)
    try:
        ticket = selectors.ticket_get(user=request.user, pk=request.POST.get("ticket"))
        unit = selectors.unit_get(user=request.user, pk=request.POST.get("unit"))
        if ticket.day_id != selection.pk:
            raise DomainError("该户不在本选房日的顺序中。", field="ticket")
        allocation = actions_allocation.unit_allocate(actor=request.user, ticket=ticket, unit=unit)
    except (DomainError, PermissionDenied) as error:
        messages.error(request, str(error))
        return back
    except Http404:
        messages.error(request, "房屋或选房顺序不存在。")
        return back
    messages.success(
        request, f"{allocation.household.code} {allocation.household.head_name} 户选定 {allocation.unit}。"
    )
    if getattr(allocation, "procedure_note", ""):
        messages.warning(request, allocation.procedure_note)
    return back


@require_POST
def ticket_skip(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    return run_action(
        request,
        ReasonForm(request.POST),
        lambda data: actions_allocation.ticket_skip(actor=request.user, ticket=ticket, **data),
        "已跳过该户。",
        redirect("resettlement:day", pk=ticket.day_id),
    )


def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    clock_row = selectors.certificate_clocks([allocation])[0]
    return render(
        request,
        "resettlement/allocation.html",
        {
            "allocation": allocation,
            "clock": clock_row,
            "handover_form": HandoverForm(),
            "certificate_form": CertificateForm(),
            "cancel_form": ReasonForm(),
            "can_manage": can(request.user, "resettlement.manage"),
        },
    )


def confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable selection confirmation (选房确认书) the household signs."""
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    return render(request, "resettlement/confirmation.html", {"allocation": allocation})


@require_POST
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    return run_action(
        request,
        HandoverForm(request.POST),
        lambda data: actions_handover.allocation_handover(actor=request.user, allocation=allocation, **data),
        "已登记交房。",
        redirect("resettlement:allocation", pk=allocation.pk),
    )


@require_POST
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    return run_action(
        request,
        CertificateForm(request.POST),
        lambda data: actions_handover.certificate_record(actor=request.user, allocation=allocation, **data),
        "已登记房屋权证。",
        redirect("resettlement:allocation", pk=allocation.pk),
    )


@require_POST
def allocation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    return run_action(
        request,
        ReasonForm(request.POST),
        lambda data: actions_allocation.allocation_cancel(actor=request.user, allocation=allocation, **data),
        "已撤销分房。",
        redirect("resettlement:allocation", pk=allocation.pk),
    )


def certificate_clocks(request: HttpRequest) -> HttpResponse:
    """Every allocation with its certificate clock (3 months, at the latest 6)."""
    state = request.GET.get("state", "open")
    state = state if state in ("open", "late", "overdue", "all") else "open"
    qs = selectors.allocations_for(user=request.user, state="" if state == "all" else state)
    page = paginate(request, qs, per_page=50)
    rows: list[Any] = selectors.certificate_clocks(list(page.object_list))
    return render(
        request,
        "resettlement/certificates.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "querystring": querystring_without_page(request),
        },
    )
