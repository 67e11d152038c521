"""Statements: the project fund statement with its chart, a township's special account ledgers,
and a collective account's half-year statement for publication (putian-2014 (十))."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhengqian.core import clock
from zhengqian.core.http import add_domain_error
from zhengqian.core.permissions import can
from zhengqian.core.selectors import jurisdiction_get
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get

from . import actions, reports, selectors
from .forms import PublicationForm
from .views import _date_param


def project_statement(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    on = _date_param(request.GET.get("on"))
    rows = reports.project_statement(project, on=on)
    chart = {
        "categories": [row.category.label for row in rows],
        "series": [
            {"name": name, "type": "bar", "stack": stack, "data": [str(getattr(row, field)) for row in rows]}
            for name, field, stack in (
                ("预算", "budget", "budget"), ("项目专户结存", "special", "held"), ("镇街专户结存", "township", "held"),
                ("已付农户", "households", "held"), ("已付集体", "collectives", "held"),
                ("社保资金", "social_security", "held"),
            )
        ],
    }
    return render(request, "funds/statement.html", {
        "project": project, "rows": rows, "on": on, "chart": json.dumps(chart, ensure_ascii=False),
        "townships": project.townships.filter(path__startswith=request.user.scope_path or "\0"),
    })


def township_statement(request: HttpRequest, pk: int) -> HttpResponse:
    township = jurisdiction_get(user=request.user, pk=pk)
    if township.level != "township":
        raise Http404("镇街不存在")
    on = _date_param(request.GET.get("on"))
    return render(request, "funds/township_statement.html", {
        "township": township, "on": on, "rows": reports.township_statement(user=request.user, township=township, on=on),
    })


@require_http_methods(["GET", "POST"])
def collective_statement(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    day = _date_param(request.GET.get("day")) or clock.today()
    statement = reports.collective_statement(account, day)
    form = PublicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photo = form.cleaned_data["photo"]
        try:
            actions.collective_publish(
                actor=request.user, account=account, period_start=statement.start,
                published_on=form.cleaned_data["published_on"], place=form.cleaned_data["place"], photo=photo.read(),
                photo_name=photo.name, photo_type=photo.content_type or "application/octet-stream")
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已登记 {statement.start}—{statement.end} 收支公布。")
            return redirect(request.get_full_path())
    publications = selectors.publications_for(account=account)
    return render(request, "funds/collective.html", {
        "account": account, "statement": statement, "form": form, "publications": publications,
        "published": any(p.period_start == statement.start for p in publications),
        "can_publish": can(request.user, "funds.manage") and statement.end < clock.today(),
        "previous": statement.start.replace(month=1) if statement.start.month == 7 else statement.start.replace(
            year=statement.start.year - 1, month=7),
        "next": statement.end.replace(day=1, month=7) if statement.end.month == 6 else statement.end.replace(
            year=statement.end.year + 1, month=1, day=1),
    })
