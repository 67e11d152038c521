"""A staff user's own account: password, second factor, API tokens."""

from __future__ import annotations

import pyotp
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.domain.errors import DomainError

from . import actions
from .forms import PasswordChangeStyledForm, TotpConfirmForm
from .http import add_domain_error, qr_svg
from .models import ApiToken


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    password_form = PasswordChangeStyledForm(request.POST if "change_password" in request.POST else None)
    if request.method == "POST" and "change_password" in request.POST and password_form.is_valid():
        try:
            actions.password_change(actor=user, **password_form.cleaned_data)
        except DomainError as error:
            add_domain_error(password_form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("core:account")
    return render(
        request,
        "core/account.html",
        {
            "password_form": password_form,
            "tokens": ApiToken.objects.filter(user=user).order_by("-created_at"),
        },
    )


@require_http_methods(["GET", "POST"])
def account_totp(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TotpConfirmForm(request.POST or None)
    if request.method == "GET":
        secret = actions.totp_begin(actor=user)
    else:
        secret = actions.totp_secret(user)
        if form.is_valid():
            try:
                actions.totp_confirm(actor=user, code=form.cleaned_data["code"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "动态口令已启用，今后登录须填写。")
                return redirect("core:account")
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="征迁系统")
    return render(
        request, "core/totp_setup.html", {"form": form, "secret": secret, "qr_svg": qr_svg(uri), "pending": user}
    )


@require_POST
def account_totp_disable(request: HttpRequest) -> HttpResponse:
    try:
        actions.totp_disable(actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "动态口令已关闭。")
    return redirect("core:account")


@require_POST
def account_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        from django.http import Http404

        raise Http404("令牌不存在")
    actions.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"令牌 {token.prefix}… 已吊销。")
    return redirect("core:account")
