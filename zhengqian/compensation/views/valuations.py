"""Pages of household valuations: the project's list, a household's lines and history, the
printable statement."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengqian.core.http import paginate, querystring_without_page
from zhengqian.core.permissions import can
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get

from .. import actions, documents, selectors
from ..forms import AgreementGenerateForm, ValuationRunForm
from ..models import AgreementKind, AgreementStatus


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def valuation_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    search = request.GET.get("q", "").strip()
    village_id = _int_or_none(request.GET.get("village"))
    state = request.GET.get("state", "")
    households = selectors.valuation_rows(user=request.user, project=project, search=search, village_id=village_id,
                                          state=state)
    return render(request, "compensation/valuation_list.html", {
        "project": project, "page": paginate(request, households), "search": search, "village_id": village_id,
        "state": state, "villages": selectors.villages_of(user=request.user, project=project),
        "totals": selectors.project_totals(user=request.user, project=project),
        "current": selectors.current_standard_of(project), "querystring": querystring_without_page(request),
    })


def household_valuation(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_scoped(user=request.user, pk=pk)
    current = selectors.current_valuation(household=household)
    agreements = list(selectors.household_agreements(household=household))
    original = next((a for a in agreements if a.kind == AgreementKind.ORIGINAL), None)
    signed_total = None
    if original is not None and original.status == AgreementStatus.SIGNED:
        signed_total = original.amount + sum(
            (a.amount for a in agreements if a.parent_id == original.pk and a.status == AgreementStatus.SIGNED), 0
        )
    return render(request, "compensation/household_valuation.html", {
        "household": household, "project": household.project, "valuation": current,
        "lines": list(current.lines.all()) if current else [],
        "history": selectors.household_valuations(household=household),
        "standard": selectors.current_standard_of(household.project),
        "agreements": agreements, "original": original, "signed_total": signed_total,
        "needs_supplement": signed_total is not None and current is not None and current.total != signed_total,
        "run_form": ValuationRunForm(initial={
            "transition_months": current.transition_months if current else None,
            "handover_on": current.handover_on if current else None,
        }),
        "generate_form": AgreementGenerateForm(initial={
            "resettlement_choice": original.resettlement_choice if original else "undecided"
        }),
        "can_run": can(request.user, "valuation.run"), "can_agree": can(request.user, "agreement.manage"),
    })


@require_POST
def valuation_run(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_scoped(user=request.user, pk=pk)
    form = ValuationRunForm(request.POST)
    if form.is_valid():
        try:
            valuation = actions.valuation_run(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已按补偿标准{valuation.standard.label}计价：合计 {valuation.total} 元。")
    else:
        messages.error(request, "；".join(f"{form.fields[name].label}：{' '.join(errors)}"
                                          for name, errors in form.errors.items() if name in form.fields))
    return redirect("compensation:household", pk=household.pk)


def valuation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    valuation = selectors.valuation_get(user=request.user, pk=pk)
    return render(request, "compensation/valuation_detail.html", {
        "valuation": valuation, "household": valuation.household, "project": valuation.household.project,
        "lines": list(valuation.lines.all()),
    })


def valuation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    valuation = selectors.valuation_get(user=request.user, pk=pk)
    response = HttpResponse(documents.valuation_pdf(valuation), content_type="application/pdf")
    name = f"valuation-{valuation.household.code}-{valuation.sequence}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
