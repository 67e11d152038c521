from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhengqian.core.audit import history_for
from zhengqian.core.http import add_domain_error, paginate, querystring_without_page
from zhengqian.core.packs import pack, pack_choices
from zhengqian.core.permissions import can, require
from zhengqian.core.selectors import districts_for, townships_for
from zhengqian.domain.errors import DomainError

from . import actions, selectors
from .forms import ProjectForm
from .models import ProjectStatus


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def project_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in ProjectStatus.values else ""
    township_id = _int_or_none(request.GET.get("township"))
    policy_pack = request.GET.get("pack", "")
    projects = selectors.projects_for(
        user=request.user, search=search, status=status, township_id=township_id, policy_pack=policy_pack
    )
    return render(
        request,
        "projects/project_list.html",
        {
            "page": paginate(request, projects),
            "search": search,
            "status": status,
            "township_id": township_id,
            "pack": policy_pack,
            "statuses": ProjectStatus.choices,
            "townships": townships_for(user=request.user),
            "packs": pack_choices(),
            "querystring": querystring_without_page(request),
            "can_create": can(request.user, "project.create"),
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "pack": pack(project.policy_pack),
            "history": history_for(project)[:100],
            "can_edit": can(request.user, "project.edit"),
        },
    )


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.create")
    form = ProjectForm(
        request.POST or None, districts=districts_for(user=request.user), townships=townships_for(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.project_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已创建项目“{project.name}”。")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "title": "新建征地项目"})


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, pk=pk)
    require(request.user, "project.edit")
    initial = {
        "code": project.code,
        "name": project.name,
        "owner_name": project.owner_name,
        "district": project.district,
        "townships": list(project.townships.all()),
        "land_area": project.land_area,
        "policy_pack": project.policy_pack,
        "status": project.status,
        "purpose": project.purpose,
    }
    form = ProjectForm(
        request.POST or None,
        initial=initial,
        editing=True,
        districts=districts_for(user=request.user) | type(project.district).objects.filter(pk=project.district_id),
        townships=townships_for(user=request.user).filter(parent=project.district),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("code", "district", "policy_pack")}
        try:
            actions.project_update(actor=request.user, project=project, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/project_form.html", {"form": form, "title": f"编辑项目：{project.name}", "project": project}
    )
