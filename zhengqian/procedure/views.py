"""Staff pages of the procedure: a project's and a household's steps, completing and waiving
steps, facts, the overdue board and notifications (docs/architecture.md: parse, call one
action or selector, render). Documents are in views_documents, meetings in views_meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core.http import add_domain_error, querystring_without_page
from zhengqian.core.permissions import can
from zhengqian.domain.errors import DomainError
from zhengqian.households.selectors import household_get
from zhengqian.projects.selectors import project_get, projects_for

from . import actions, selectors
from .engine import pack_of
from .forms import FactForm, ReasonForm, StepCompleteForm, as_upload


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _perms(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {
        "can_act": can(user, "procedure.act"),
        "can_fact": can(user, "procedure.fact"),
        "can_override": can(user, "procedure.override"),
    }


# --- project and household pages ------------------------------------------------------------


def project_procedure(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.project_procedure(user=request.user, pk=pk)
    return render(
        request,
        "procedure/project.html",
        {"p": data, "project": data.project, **_perms(request), "fact_form": FactForm()},
    )


def household_procedure(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.household_procedure(user=request.user, pk=pk)
    return render(request, "procedure/household.html", {"h": data, "household": data.household, **_perms(request)})


def _step_form(request: HttpRequest, project: Any, code: str, household: Any = None) -> HttpResponse:
    pack = pack_of(project)
    if not pack.has_step(code):
        raise Http404("没有该步骤")
    step = pack.step(code)
    if (step.scope == "project") != (household is None):
        raise Http404("没有该步骤")
    form = StepCompleteForm(
        request.POST or None,
        request.FILES or None,
        pack=pack,
        code=code,
        can_override=can(request.user, "procedure.override"),
    )
    back = (
        redirect("procedure:household", pk=household.pk) if household else redirect("procedure:project", pk=project.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.step_complete(
                actor=request.user,
                project=project,
                code=code,
                household=household,
                done_on=form.cleaned_data["done_on"],
                uploads=form.uploads(),
                note=form.cleaned_data["note"],
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except DomainError as error:
            add_domain_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or "您的角色无权执行此操作。")
        else:
            messages.success(request, f"已登记「{step.name}」完成。")
            return back
    return render(
        request,
        "procedure/step_form.html",
        {
            "form": form,
            "project": project,
            "household": household,
            "step": step,
            "multipart": True,
            "title": f"登记完成：{step.name}",
            "cancel": back.url,
        },
    )


@require_http_methods(["GET", "POST"])
def project_step_complete(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    return _step_form(request, project_get(user=request.user, pk=pk), code)


@require_http_methods(["GET", "POST"])
def household_step_complete(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    return _step_form(request, household.project, code, household)


@require_http_methods(["GET", "POST"])
def project_step_waive(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    project = project_get(user=request.user, pk=pk)
    pack = pack_of(project)
    if not pack.has_step(code):
        raise Http404("没有该步骤")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.step_waive(actor=request.user, project=project, code=code, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or "您的角色无权执行此操作。")
        else:
            messages.success(request, f"已豁免「{pack.step(code).name}」。")
            return redirect("procedure:project", pk=project.pk)
    return render(
        request,
        "procedure/form.html",
        {
            "form": form,
            "title": f"豁免：{pack.step(code).name}",
            "cancel": reverse("procedure:project", args=[project.pk]),
            "note": "只有可选步骤（如无人申请的听证）可以豁免；豁免须经领导小组办公室并说明理由，记入审计日志。",
        },
    )


def _lapse(request: HttpRequest, project: Any, code: str, household: Any = None) -> HttpResponse:
    try:
        actions.step_lapse(actor=request.user, project=project, code=code, household=household)
    except DomainError as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or "您的角色无权执行此操作。")
    else:
        messages.success(request, "期限届满未行使，已登记视为放弃。")
    return (
        redirect("procedure:household", pk=household.pk) if household else redirect("procedure:project", pk=project.pk)
    )


@require_POST
def project_step_lapse(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    return _lapse(request, project_get(user=request.user, pk=pk), code)


@require_POST
def household_step_lapse(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    household = household_get(user=request.user, pk=pk)
    return _lapse(request, household.project, code, household)


@require_POST
def fact_record(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get(user=request.user, pk=pk)
    form = FactForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.fact_record(
                actor=request.user,
                project=project,
                code=form.cleaned_data["code"],
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                upload=as_upload(form.cleaned_data.get("file"), "document"),
            )
        except DomainError as error:
            messages.error(request, str(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or "您的角色无权执行此操作。")
        else:
            messages.success(request, "已登记项目事实。")
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label if f in form.fields else ''}{e}"
                for f, errors in form.errors.items()
                for e in errors
            ),
        )
    return redirect("procedure:project", pk=project.pk)


@require_POST
def late_registration(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get(user=request.user, pk=pk)
    try:
        changed = actions.registration_apply_late(actor=request.user, project=project)
    except DomainError as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or "您的角色无权执行此操作。")
    else:
        messages.success(request, f"已对 {len(changed)} 户逾期未登记作出认定。")
    return redirect("procedure:project", pk=project.pk)


# --- the board and notifications --------------------------------------------------------------


def board(request: HttpRequest) -> HttpResponse:
    project_id = _int_or_none(request.GET.get("project"))
    township_id = _int_or_none(request.GET.get("township"))
    code = request.GET.get("step", "").strip()
    overdue_only = request.GET.get("overdue") == "1"
    page = _int_or_none(request.GET.get("page")) or 1
    qs = selectors.board_steps(
        user=request.user, project_id=project_id, township_id=township_id, code=code, overdue_only=overdue_only
    )
    rows, has_next = selectors.board_page(qs, page)
    return render(
        request,
        "procedure/board.html",
        {
            "rows": rows,
            "page": page,
            "has_next": has_next,
            "querystring": querystring_without_page(request),
            "overdue_count": selectors.board_overdue_count(qs),
            "project_id": project_id,
            "township_id": township_id,
            "step_code": code,
            "overdue_only": overdue_only,
            "projects": projects_for(user=request.user),
            "townships": selectors.townships_for_board(request.user),
            "steps": selectors.board_step_choices(request.user),
            "other_clocks": selectors.other_clocks(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        actions.notification_read(actor=request.user, pk=_int_or_none(request.POST.get("pk")))
        return redirect("procedure:notifications")
    return render(request, "procedure/notifications.html", {"notes": selectors.notifications_for(request.user)[:100]})
