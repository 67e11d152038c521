"""Small helpers shared by every app's views."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from zhengqian.domain.errors import DomainError

PAGE_SIZE = 20


def client_address(request: HttpRequest) -> str:
    """The address a request came from, for throttling and logs. Behind a reverse proxy
    REMOTE_ADDR is the proxy for every request, so one villager's mistakes would lock out all;
    when REMOTE_ADDR is one of settings.TRUSTED_PROXIES the right-most X-Forwarded-For entry that
    is not a trusted proxy is taken (entries further left are written by the client and can be
    forged)."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    trusted = set(getattr(settings, "TRUSTED_PROXIES", ()))
    if remote in trusted:
        hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
        for hop in reversed(hops):
            if hop not in trusted:
                return hop[:64]
    return remote[:64] or "unknown"


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    """One page of `queryset`; a bad or too-large page number gives the nearest real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused action on the field it names, or on the whole form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def qr_svg(data: str) -> str:
    """An inline SVG QR code (TOTP enrolment, printable notices linking to the public page)."""
    buffer = io.BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue().decode("utf-8")
