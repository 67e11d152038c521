"""Pages: the resettlement overview, a project's scheme and households, a household's resettled
persons and choice, person lists. Estates/units: ``views_housing``; selection days, allocation,
handover and certificates: ``views_selection``; social security: ``views_social``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengqian.core.http import paginate, querystring_without_page
from zhengqian.core.models import Jurisdiction
from zhengqian.core.permissions import can
from zhengqian.core.selectors import jurisdiction_get
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get, projects_for

from . import actions, selectors
from .forms import ObjectionForm, OptionForm, PersonListForm, SchemeForm


def run_action(
    request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any], success: str, back: HttpResponse
) -> HttpResponse:
    """Validate ``form``, run ``call(cleaned_data)``; a refusal or bad input becomes a message in
    Chinese naming the field, and nothing is changed."""
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}：{errors[0]}" if label else str(errors[0]))
        return back
    try:
        result = call(form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
        return back
    except PermissionDenied as error:
        messages.error(request, str(error) or "您的角色无权执行此操作。")
        return back
    messages.success(request, success)
    note = getattr(result, "procedure_note", "")
    if note:
        messages.warning(request, note)
    return back


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resettlement/index.html",
        {
            "projects": projects_for(user=request.user).order_by("code")[:50],
            "estates": selectors.estates_for(user=request.user)[:50],
            "days": selectors.selection_days_for(user=request.user)[:20],
        },
    )


def project_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    search = request.GET.get("q", "").strip()
    households = selectors.households_of(user=request.user, project=project, search=search)
    scheme = actions.scheme_of(project)
    initial = {name: getattr(scheme, name) for name in actions.SCHEME_FIELDS} if scheme else {}
    villages = Jurisdiction.objects.filter(households__project=project).distinct().order_by("path")
    villages = [v for v in villages if request.user.scope_path and v.path.startswith(request.user.scope_path)]
    list_form = PersonListForm()
    list_form.fields["village"].choices = [(v.pk, v.name) for v in villages]  # type: ignore[attr-defined]
    return render(
        request,
        "resettlement/project.html",
        {
            "project": project,
            "scheme": scheme,
            "scheme_form": SchemeForm(initial=initial),
            "page": paginate(request, households, per_page=50),
            "search": search,
            "querystring": querystring_without_page(request),
            "list_form": list_form,
            "person_lists": selectors.person_lists_for(user=request.user, project=project),
            "days": selectors.selection_days_for(user=request.user, project=project),
            "can_manage": can(request.user, "resettlement.manage"),
        },
    )


@require_POST
def scheme_set(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    return run_action(
        request,
        SchemeForm(request.POST),
        lambda data: actions.scheme_set(actor=request.user, project=project, **data),
        "已保存安置方案。",
        redirect("resettlement:project", project_id=project.pk),
    )


@require_POST
def person_list_publish(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    form = PersonListForm(request.POST)
    form.fields["village"].choices = [(request.POST.get("village"), "")]  # type: ignore[attr-defined]

    def call(data: dict[str, Any]) -> Any:
        village = jurisdiction_get(user=request.user, pk=data["village"])
        return actions.person_list_publish(
            actor=request.user, project=project, village=village, published_on=data["published_on"], days=data["days"]
        )

    return run_action(
        request, form, call, "已生成安置人口公示名单。", redirect("resettlement:project", project_id=project.pk)
    )


def person_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.person_list_get(user=request.user, pk=pk)
    return render(request, "resettlement/person_list.html", {"listing": listing})


def household_page(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    option = selectors.option_of(household)
    estates = [(e.pk, e.name) for e in selectors.estates_for(user=request.user)]
    initial: dict[str, Any] = {}
    if option is not None:
        initial = {
            "form": option.form,
            "chosen_on": option.chosen_on,
            "signed_by_name": option.signed_by_name,
            "estate": option.estate_id,
            "priority_group": option.priority_group,
            "note": option.note,
        }
    allocation = household.allocations.filter(cancelled=False).select_related("unit", "unit__estate").first()
    in_place, in_place_reason = actions.resettlement_in_place(household)
    return render(
        request,
        "resettlement/household.html",
        {
            "household": household,
            "project": household.project,
            "option": option,
            "decisions": list(selectors.decisions_of(household)),
            "forms_allowed": actions.forms_for(household),
            "option_form": OptionForm(initial=initial, estates=estates),
            "objection_form": ObjectionForm(),
            "allocation": allocation,
            "in_place": in_place,
            "in_place_reason": in_place_reason,
            "can_manage": can(request.user, "resettlement.manage"),
        },
    )


@require_POST
def persons_determine(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    back = redirect("resettlement:household", pk=household.pk)
    try:
        decisions = actions.persons_determine(actor=request.user, household=household)
    except (DomainError, PermissionDenied) as error:
        messages.error(request, str(error))
        return back
    counted = sum(1 for d in decisions if d.counts)
    messages.success(request, f"已核定：{len(decisions)} 人中 {counted} 人计入安置人口。")
    return back


@require_POST
def option_choose(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)
    estates = [(e.pk, e.name) for e in selectors.estates_for(user=request.user)]
    form = OptionForm(request.POST, request.FILES, estates=estates)

    def call(data: dict[str, Any]) -> Any:
        estate = selectors.estate_get(user=request.user, pk=data["estate"]) if data.get("estate") else None
        upload = data.get("signature")
        return actions.option_choose(
            actor=request.user,
            household=household,
            form=data["form"],
            chosen_on=data["chosen_on"],
            signed_by_name=data["signed_by_name"],
            estate=estate,
            priority_group=data["priority_group"],
            note=data.get("note", ""),
            signature=upload.read() if upload else None,
            signature_name=upload.name if upload else "签字确认书.pdf",
        )

    return run_action(request, form, call, "已记录安置方式选择。", redirect("resettlement:household", pk=household.pk))


@require_POST
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    return run_action(
        request,
        ObjectionForm(request.POST),
        lambda data: actions.person_objection_file(actor=request.user, decision=decision, **data),
        "已登记异议。",
        redirect("resettlement:household", pk=decision.household_id),
    )


@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_get(user=request.user, pk=pk)
    back = redirect("resettlement:household", pk=objection.decision.household_id)
    try:
        actions.person_objection_resolve(
            actor=request.user,
            objection=objection,
            upheld=request.POST.get("upheld") == "1",
            resolution=request.POST.get("resolution", ""),
        )
    except (DomainError, PermissionDenied) as error:
        messages.error(request, str(error))
        return back
    messages.success(request, "已复核异议。")
    return back
