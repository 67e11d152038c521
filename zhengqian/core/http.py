"""Small helpers shared by every app's views."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from zhengqian.domain.errors import DomainError

PAGE_SIZE = 20


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
