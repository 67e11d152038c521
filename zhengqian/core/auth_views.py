"""Login with throttling and a TOTP second factor (required for administrators), logout."""

from __future__ import annotations

import pyotp
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.domain.errors import InvalidInput

from . import actions, clock
from .forms import LoginForm, TotpConfirmForm
from .http import client_address, qr_svg
from .models import User

PENDING_KEY = "zq_pending_totp_user"


def _throttle_keys(request: HttpRequest, username: str) -> list[str]:
    return [f"user:{username.strip().lower()[:150]}", f"ip:{client_address(request)}"]


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        keys = _throttle_keys(request, username)
        locked = actions.login_locked_until(keys=keys)
        if locked is not None:
            local = locked.astimezone(clock.LOCAL_ZONE)  # type: ignore[attr-defined]
            form.add_error(None, f"登录失败次数过多，已暂时锁定，请于 {local:%H:%M} 后再试。")
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                actions.login_failure_record(keys=keys, username=username)
                form.add_error(None, "用户名或密码不正确。")
            elif isinstance(user, User) and user.totp_required and not user.totp_confirmed:
                request.session[PENDING_KEY] = user.pk
                request.session["zq_pending_next"] = _next_url(request)
                return redirect("core:totp_setup")
            elif (
                isinstance(user, User)
                and user.totp_confirmed
                and not actions.totp_check(user=user, code=form.cleaned_data["otp"] or "")
            ):
                actions.login_failure_record(keys=keys, username=username)
                form.add_error("otp", "动态口令不正确或未填写。")
            else:
                login(request, user)
                actions.login_success_record(user=user, keys=keys)  # type: ignore[arg-type]
                return redirect(_next_url(request))
    return render(request, "core/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_http_methods(["GET", "POST"])
def totp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrolment for an administrator who has passed the password step but has no device yet."""
    pending = User.objects.filter(pk=request.session.get(PENDING_KEY) or 0).first()
    if pending is None:
        return redirect("core:login")
    form = TotpConfirmForm(request.POST or None)
    if request.method == "GET" or not actions.totp_secret(pending):
        secret = actions.totp_begin(actor=pending)
    else:
        secret = actions.totp_secret(pending)
    if request.method == "POST" and form.is_valid():
        try:
            actions.totp_confirm(actor=pending, code=form.cleaned_data["code"])
        except InvalidInput as error:
            form.add_error("code", str(error))
        else:
            target = request.session.pop("zq_pending_next", "/")
            request.session.pop(PENDING_KEY, None)
            login(request, pending, backend="django.contrib.auth.backends.ModelBackend")
            actions.login_success_record(user=pending, keys=_throttle_keys(request, pending.username))
            return redirect(target)
    uri = pyotp.TOTP(secret).provisioning_uri(name=pending.username, issuer_name="征迁系统")
    return render(
        request, "core/totp_setup.html", {"form": form, "secret": secret, "qr_svg": qr_svg(uri), "pending": pending}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:login")
