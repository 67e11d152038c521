from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhengqian.domain.errors import DomainError

from . import actions, selectors
from .forms import JurisdictionCreateForm, JurisdictionEditForm
from .http import add_domain_error, paginate, querystring_without_page
from .models import JurisdictionLevel
from .permissions import can, require


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    from zhengqian.projects.selectors import project_counts_for

    return render(request, "core/home.html", {"project_counts": project_counts_for(user=request.user)})


def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    if level not in JurisdictionLevel.values:
        level = ""
    nodes = selectors.jurisdictions_for(user=request.user, level=level or None, search=search)
    return render(
        request,
        "core/jurisdiction_list.html",
        {
            "page": paginate(request, nodes, per_page=50),
            "search": search,
            "level": level,
            "levels": JurisdictionLevel.choices,
            "querystring": querystring_without_page(request),
            "can_manage": can(request.user, "jurisdiction.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
def jurisdiction_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "jurisdiction.manage")
    parents = selectors.jurisdictions_for(user=request.user, include_inactive=False).exclude(
        level=JurisdictionLevel.GROUP
    )
    form = JurisdictionCreateForm(request.POST or None, parents=parents, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            node = actions.jurisdiction_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已新增{node.get_level_display()}“{node.name}”。")
            return redirect("core:jurisdiction_list")
    return render(request, "core/jurisdiction_form.html", {"form": form, "title": "新增行政区划"})


@require_http_methods(["GET", "POST"])
def jurisdiction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = selectors.jurisdiction_get(user=request.user, pk=pk)
    require(request.user, "jurisdiction.manage")
    form = JurisdictionEditForm(request.POST or None, initial={"name": node.name, "is_active": node.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            actions.jurisdiction_update(actor=request.user, node=node, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("core:jurisdiction_list")
    from .audit import history_for

    return render(
        request,
        "core/jurisdiction_form.html",
        {"form": form, "title": f"编辑：{node.name}（{node.code}）", "node": node, "history": history_for(node)[:50]},
    )


def audit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    search = request.GET.get("q", "").strip()
    action = request.GET.get("action", "").strip()
    events = selectors.audit_events_for(user=request.user, action=action, search=search)
    return render(
        request,
        "core/audit_list.html",
        {
            "page": paginate(request, events, per_page=50),
            "search": search,
            "action": action,
            "querystring": querystring_without_page(request),
        },
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = getattr(exception, "message", "") or "您的角色无权执行此操作。"
    return render(request, "403.html", {"message": message}, status=403)
