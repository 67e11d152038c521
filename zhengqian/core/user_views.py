"""Staff account management for system administrators, within their own jurisdiction."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhengqian.domain.errors import DomainError

from . import actions, selectors
from .audit import history_for
from .forms import PasswordResetForm, UserForm
from .http import add_domain_error, paginate, querystring_without_page
from .models import Role
from .permissions import require


def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.manage")
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    users = selectors.users_for(user=request.user, search=search, role=role)
    return render(
        request,
        "core/user_list.html",
        {
            "page": paginate(request, users),
            "search": search,
            "role": role,
            "roles": Role.choices,
            "querystring": querystring_without_page(request),
        },
    )


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.manage")
    form = UserForm(request.POST or None, jurisdictions=selectors.jurisdictions_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.user_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已创建用户 {user.username}。")
            return redirect("core:user_list")
    return render(request, "core/user_form.html", {"form": form, "title": "新建用户"})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get(user=request.user, pk=pk)
    require(request.user, "user.manage")
    initial = {
        "username": target.username,
        "full_name": target.full_name,
        "phone": target.phone,
        "role": target.role,
        "jurisdiction": target.jurisdiction,
        "department": target.department,
        "is_active": target.is_active,
    }
    form = UserForm(
        request.POST if "save" in request.POST else None,
        initial=initial,
        editing=True,
        jurisdictions=selectors.jurisdictions_for(user=request.user),
    )
    reset_form = PasswordResetForm(request.POST if "reset_password" in request.POST else None)
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            actions.user_update(actor=request.user, user=target, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("core:user_list")
    if request.method == "POST" and "reset_password" in request.POST and reset_form.is_valid():
        try:
            actions.user_password_reset(actor=request.user, user=target, password=reset_form.cleaned_data["password"])
        except DomainError as error:
            add_domain_error(reset_form, error)
        else:
            messages.success(request, f"已为 {target.username} 设置临时密码，并解除登录锁定。")
            return redirect("core:user_edit", pk=target.pk)
    return render(
        request,
        "core/user_form.html",
        {
            "form": form,
            "reset_form": reset_form,
            "target": target,
            "title": f"编辑用户：{target.username}",
            "history": history_for(target)[:50],
        },
    )
