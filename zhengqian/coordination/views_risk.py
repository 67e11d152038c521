"""Pages of the social stability risk assessment (实施条例 第二十六条, putian-2014 (八))."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhengqian.core import clock
from zhengqian.core.forms import StyledForm
from zhengqian.core.http import add_domain_error
from zhengqian.core.permissions import can, require
from zhengqian.domain.coordination import RiskLevel
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get, projects_for

from . import actions_risk
from .actions import Upload
from .forms import DATE
from .models import RiskAssessment

LEVELS = [(r.value, r.label) for r in RiskLevel]


class RiskOpenForm(StyledForm):
    project = forms.TypedChoiceField(label="征地项目", coerce=int)
    title = forms.CharField(label="评估事项", max_length=200)

    def __init__(self, *args: Any, projects: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]  # type: ignore[attr-defined]


class RiskItemForm(StyledForm):
    description = forms.CharField(label="风险点", widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label="等级", choices=LEVELS)
    mitigation = forms.CharField(label="化解措施", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RiskConcludeForm(StyledForm):
    conclusion = forms.CharField(label="评估结论", widget=forms.Textarea(attrs={"rows": 3}))
    concluded_on = forms.DateField(label="结论日期", widget=DATE)
    report = forms.FileField(label="评估报告")
    minutes = forms.FileField(label="评估会议记录")


def risk_get(request: HttpRequest, pk: Any) -> RiskAssessment:
    try:
        return (
            RiskAssessment.objects.filter(project__in=projects_for(user=request.user).order_by().values("pk"))
            .select_related("project")
            .prefetch_related("items")
            .get(pk=int(pk))
        )
    except (RiskAssessment.DoesNotExist, ValueError, TypeError):
        raise Http404("评估不存在") from None


@require_http_methods(["GET", "POST"])
def risk_list(request: HttpRequest) -> HttpResponse:
    projects = projects_for(user=request.user)
    form = RiskOpenForm(request.POST or None, projects=projects)
    if request.method == "POST":
        require(request.user, "coordination.manage")
        if form.is_valid():
            try:
                assessment = actions_risk.risk_assessment_open(
                    actor=request.user,
                    project=project_get(user=request.user, pk=form.cleaned_data["project"]),
                    title=form.cleaned_data["title"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("coordination:risk", pk=assessment.pk)
    rows = RiskAssessment.objects.filter(project__in=projects.order_by().values("pk")).select_related("project")
    return render(
        request,
        "coordination/risk_list.html",
        {"rows": rows[:200], "form": form, "can_manage": can(request.user, "coordination.manage")},
    )


@require_http_methods(["GET", "POST"])
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = risk_get(request, pk)
    what = request.POST.get("what", "")
    item_form = RiskItemForm(request.POST if what == "item" else None)
    conclude_form = RiskConcludeForm(
        request.POST if what == "conclude" else None,
        request.FILES if what == "conclude" else None,
        initial={"concluded_on": clock.today()},
    )
    if request.method == "POST":
        form = item_form if what == "item" else conclude_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is item_form:
                    actions_risk.risk_item_add(actor=request.user, assessment=assessment, **data)
                else:
                    actions_risk.risk_assessment_conclude(
                        actor=request.user,
                        assessment=assessment,
                        conclusion=data["conclusion"],
                        concluded_on=data["concluded_on"],
                        report=Upload(data["report"].read(), data["report"].name, data["report"].content_type or ""),
                        minutes=Upload(
                            data["minutes"].read(), data["minutes"].name, data["minutes"].content_type or ""
                        ),
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "已保存。")
                return redirect("coordination:risk", pk=assessment.pk)
    return render(
        request,
        "coordination/risk_detail.html",
        {
            "assessment": assessment,
            "item_form": item_form,
            "conclude_form": conclude_form,
            "can_manage": can(request.user, "coordination.manage") and assessment.status == "draft",
        },
    )
