"""Salvage page (banan-2015 (六)) and the support-case entry by household code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhengqian.core.forms import StyledForm
from zhengqian.core.http import add_domain_error, paginate
from zhengqian.core.models import User
from zhengqian.core.permissions import can, require
from zhengqian.core.selectors import scope_q
from zhengqian.domain.coordination import OwnerType
from zhengqian.domain.errors import DomainError, InvalidInput
from zhengqian.households.models import Building
from zhengqian.households.selectors import households_for
from zhengqian.projects.selectors import projects_for

from .actions import Upload
from .actions_salvage import salvage_record
from .forms import DATE
from .models import Salvage


class SalvageForm(StyledForm):
    project = forms.TypedChoiceField(label="征地项目", coerce=int)
    household = forms.CharField(label="户编号", max_length=40)
    building = forms.CharField(label="房屋编号", max_length=40)
    owner_type = forms.ChoiceField(label="业主性质", choices=[(o.value, o.label) for o in OwnerType])
    valued_amount = forms.DecimalField(label="残值评估价（元）", min_value=0, max_digits=14, decimal_places=2)
    proceeds = forms.DecimalField(label="处置收入（元）", min_value=0, max_digits=14, decimal_places=2)
    disposed_on = forms.DateField(label="处置日期", widget=DATE)
    buyer = forms.CharField(label="受让方", max_length=120)
    filing_reference = forms.CharField(label="国资办备案号（包干项目必填）", max_length=60, required=False)
    evidence = forms.FileField(label="处置凭证")

    def __init__(self, *args: Any, projects: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]  # type: ignore[attr-defined]


def salvages_for(user: User) -> QuerySet[Salvage]:
    return (
        Salvage.objects.filter(
            scope_q(user, "jurisdiction_path"), project__in=projects_for(user=user).order_by().values("pk")
        )
        .select_related("project", "building__household", "entry")
        .order_by("-disposed_on", "-id")
    )


def building_by_codes(user: User, project_id: int, household_code: str, building_code: str) -> Building:
    household = households_for(user=user, project_id=project_id).filter(code=household_code.strip()).first()
    if household is None:
        raise InvalidInput("找不到该户（或不在您的辖区）。", field="household")
    building = Building.objects.filter(household=household, code=building_code.strip()).first()
    if building is None:
        raise InvalidInput("该户没有此编号的房屋。", field="building")
    return building


@require_http_methods(["GET", "POST"])
def salvage_list(request: HttpRequest) -> HttpResponse:
    form = SalvageForm(request.POST or None, request.FILES or None, projects=projects_for(user=request.user))
    if request.method == "POST":
        require(request.user, "funds.manage")
        if form.is_valid():
            data = form.cleaned_data
            try:
                upload = data["evidence"]
                salvage_record(
                    actor=request.user,
                    building=building_by_codes(request.user, data["project"], data["household"], data["building"]),
                    owner_type=data["owner_type"],
                    valued_amount=data["valued_amount"],
                    proceeds=data["proceeds"],
                    disposed_on=data["disposed_on"],
                    buyer=data["buyer"],
                    filing_reference=data["filing_reference"],
                    evidence=Upload(upload.read(), upload.name, upload.content_type or ""),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "残值处置已入账。")
                return redirect("coordination:salvage")
    return render(
        request,
        "coordination/salvage.html",
        {
            "page": paginate(request, salvages_for(request.user)),
            "form": form,
            "querystring": "",
            "can_manage": can(request.user, "funds.manage"),
        },
    )


class SupportStartForm(StyledForm):
    project = forms.TypedChoiceField(label="征地项目", coerce=int)
    household = forms.CharField(label="户编号", max_length=40)

    def __init__(self, *args: Any, projects: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]  # type: ignore[attr-defined]


def support_start(request: HttpRequest) -> HttpResponse:
    """Find the household by code, then open the support form for it."""
    form = SupportStartForm(request.GET or None, projects=projects_for(user=request.user))
    if form.is_valid():
        household = (
            households_for(user=request.user, project_id=form.cleaned_data["project"])
            .filter(code=form.cleaned_data["household"].strip())
            .first()
        )
        if household is not None:
            return redirect("coordination:support_create", household_id=household.pk)
        form.add_error("household", "找不到该户（或不在您的辖区）。")
    return render(request, "coordination/form.html", {"form": form, "title": "困难帮扶：选择户", "method": "get"})
