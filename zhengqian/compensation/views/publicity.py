"""Pages of publicity lists (公示): staff view with names, the masked public version and PDF,
objections during the period."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core import clock
from zhengqian.core.http import add_domain_error
from zhengqian.core.permissions import can, require
from zhengqian.domain.errors import DomainError
from zhengqian.households.models import Household
from zhengqian.projects.selectors import project_get

from .. import actions, documents, selectors
from ..forms import ObjectionForm, ObjectionResolveForm, PublicityCreateForm, PublishForm
from ..models import PublicityStatus


@require_http_methods(["GET", "POST"])
def publicity_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    form = PublicityCreateForm(request.POST or None, villages=selectors.villages_of(user=request.user, project=project))
    if request.method == "POST":
        require(request.user, "publicity.manage")
        if form.is_valid():
            try:
                publicity = actions.publicity_create(actor=request.user, project=project,
                                                     village=form.cleaned_data["village"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"已生成{publicity.village.name}补偿公示名单。")
                return redirect("compensation:publicity_detail", pk=publicity.pk)
    return render(request, "compensation/publicity_list.html", {
        "project": project, "lists": selectors.publicity_lists_for(user=request.user, project=project),
        "form": form, "can_manage": can(request.user, "publicity.manage"),
    })


def publicity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = selectors.publicity_get(user=request.user, pk=pk)
    return render(request, "compensation/publicity_detail.html", {
        "publicity": publicity, "project": publicity.project, "entries": list(publicity.entries.all()),
        "objections": list(publicity.objections.all()), "publish_form": PublishForm(initial={
            "published_on": clock.today()}),
        "can_manage": can(request.user, "publicity.manage"), "today": clock.today(),
        "can_close": publicity.status == PublicityStatus.PUBLISHED and publicity.ends_on is not None
        and clock.today() > publicity.ends_on,
    })


def publicity_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The version to post: names and ID numbers masked (core.crypto.mask_name / mask_id_number)."""
    publicity = selectors.publicity_get(user=request.user, pk=pk)
    return render(request, "compensation/publicity_public.html", {
        "publicity": publicity, "entries": list(publicity.entries.all()),
    })


def publicity_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = selectors.publicity_get(user=request.user, pk=pk)
    response = HttpResponse(documents.publicity_pdf(publicity), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="publicity-{publicity.pk}.pdf"'
    return response


@require_POST
def publicity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = selectors.publicity_get(user=request.user, pk=pk)
    form = PublishForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请填写公示日期。")
        publicity = actions.publicity_publish(actor=request.user, publicity=publicity,
                                              published_on=form.cleaned_data["published_on"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已公示，届满日 {publicity.ends_on}。")
    return redirect("compensation:publicity_detail", pk=publicity.pk)


@require_POST
def publicity_close(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = selectors.publicity_get(user=request.user, pk=pk)
    try:
        actions.publicity_close(actor=request.user, publicity=publicity)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "公示已结束。")
    return redirect("compensation:publicity_detail", pk=publicity.pk)


@require_http_methods(["GET", "POST"])
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = selectors.publicity_get(user=request.user, pk=pk)
    require(request.user, "publicity.manage")
    households = Household.objects.filter(pk__in=[e.household_id for e in publicity.entries.all()]).order_by("code")
    form = ObjectionForm(request.POST or None, households=households, initial={"filed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.publicity_objection_file(actor=request.user, publicity=publicity, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已登记公示异议。")
            return redirect("compensation:publicity_detail", pk=publicity.pk)
    return render(request, "compensation/form.html", {
        "form": form, "title": f"登记公示异议：{publicity.village.name}",
        "back": reverse("compensation:publicity_detail", args=[publicity.pk]),
    })


@require_http_methods(["GET", "POST"])
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.publicity_objection_get(user=request.user, pk=pk)
    require(request.user, "publicity.manage")
    form = ObjectionResolveForm(request.POST or None, initial={"resolved_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.publicity_objection_resolve(actor=request.user, objection=objection, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已处理公示异议。")
            return redirect("compensation:publicity_detail", pk=objection.publicity_id)
    return render(request, "compensation/form.html", {
        "form": form, "title": f"处理公示异议：{objection.filed_by_name}", "intro": objection.content,
        "back": reverse("compensation:publicity_detail", args=[objection.publicity_id]),
    })
