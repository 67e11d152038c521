"""The public portal (no login; /public/ is open in core.middleware): projects with their
published notices and publicity lists, and a household's own lookup. Pages are built for a
phone first; nothing here shows a stack trace (public 404/500 in errors.py)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zhengqian.core.evidence import evidence_read
from zhengqian.core.http import client_address

from . import selectors
from .actions import household_lookup


def index(request: HttpRequest) -> HttpResponse:
    projects = list(selectors.public_projects())
    return render(request, "public/index.html", {"projects": projects})


def project(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.public_project(pk)
    notices = [(notice, selectors.notice_periods(notice)) for notice in selectors.notices_of(item)]
    return render(request, "public/project.html", {
        "project": item, "notices": notices, "publicity": selectors.publicity_of(item),
        "townships": [t.name for t in item.townships.all()],
    })


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.notice_get(pk)
    return render(request, "public/notice.html", {
        "document": document, "project": document.project, "periods": selectors.notice_periods(document),
        "photos": selectors.notice_photos(document),
    })


def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as issued, with a QR code to its public page: the sheet posted in villages."""
    from zhengqian.documents.render import poster_html

    document = selectors.notice_get(pk)
    return HttpResponse(poster_html(document), content_type="text/html; charset=utf-8")


def photo(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.photo_get(pk)
    response = HttpResponse(evidence_read(item.file), content_type=item.file.content_type or "image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def publicity(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.publicity_get(pk)
    return render(request, "public/publicity.html", {
        "publicity": item, "project": item.project, "rows": selectors.publicity_rows(item),
    })


class LookupForm(forms.Form):
    id_number = forms.CharField(label="身份证号码", max_length=40, strip=True,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    factor = forms.CharField(label="查询码或协议编号", max_length=60, strip=True,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """ID number + agreement number or printed code → the household's own file, or one uniform
    answer for every wrong input."""
    if request.method != "POST":
        return render(request, "public/lookup.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    data = form.data
    result = household_lookup(id_number=str(data.get("id_number", ""))[:40], factor=str(data.get("factor", ""))[:60],
                              address=client_address(request))
    if result.household is None:
        # One answer for a malformed, unknown or mismatched input: the form is shown empty again.
        return render(request, "public/lookup.html", {"form": LookupForm(), "message": result.message},
                      status=429 if result.outcome == "throttled" else 200)
    context = selectors.household_file(result.household)
    return render(request, "public/household.html", context)  # never_cache: no-store
