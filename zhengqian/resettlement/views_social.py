"""Pages of social-security enrolment lists (putian-2014 (十五)(十六))."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengqian.core import audit
from zhengqian.core.models import Jurisdiction
from zhengqian.core.permissions import can
from zhengqian.core.selectors import jurisdiction_get
from zhengqian.projects.selectors import project_get

from . import actions_social, selectors
from .forms import EnrolmentForm
from .views import run_action


def _villages(request: HttpRequest, project: Any) -> list[tuple[int, str]]:
    scope = request.user.scope_path or "\x00"
    nodes = Jurisdiction.objects.filter(households__project=project, path__startswith=scope).distinct()
    return [(v.pk, v.name) for v in nodes.order_by("path")]


def enrolment_lists(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    form = EnrolmentForm(initial={"share_government": 60, "share_collective": 30, "share_person": 10})
    form.fields["village"].choices = _villages(request, project)  # type: ignore[attr-defined]
    return render(
        request,
        "resettlement/enrolment_lists.html",
        {
            "project": project,
            "lists": selectors.enrolment_lists_for(user=request.user, project=project),
            "form": form,
            "can_manage": can(request.user, "resettlement.manage"),
        },
    )


@require_POST
def enrolment_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    form = EnrolmentForm(request.POST)
    form.fields["village"].choices = _villages(request, project)  # type: ignore[attr-defined]

    def call(data: dict[str, Any]) -> Any:
        village = jurisdiction_get(user=request.user, pk=data.pop("village"))
        return actions_social.enrolment_list_create(actor=request.user, project=project, village=village, **data)

    return run_action(
        request, form, call, "已生成社会保障对象名单。", redirect("resettlement:enrolment_lists", project_id=project.pk)
    )


def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.enrolment_list_get(user=request.user, pk=pk)
    entries = list(listing.entries.select_related("member__household").order_by("member__household__code", "id"))
    totals = {
        "government": sum((e.government for e in entries), start=0),
        "collective": sum((e.collective for e in entries), start=0),
        "person": sum((e.person for e in entries), start=0),
    }
    return render(
        request,
        "resettlement/enrolment_detail.html",
        {
            "listing": listing,
            "entries": entries,
            "totals": totals,
            "can_manage": can(request.user, "resettlement.manage"),
            "can_review": can(request.user, "resettlement.review"),
        },
    )


@require_POST
def enrolment_review(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.enrolment_list_get(user=request.user, pk=pk)
    return _simple(
        request,
        listing,
        lambda: actions_social.enrolment_list_review(
            actor=request.user, enrolment_list=listing, reviewed_on=request.POST.get("on", "")
        ),
        "已审核。",
    )


@require_POST
def enrolment_publish(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.enrolment_list_get(user=request.user, pk=pk)
    return _simple(
        request,
        listing,
        lambda: actions_social.enrolment_list_publish(
            actor=request.user, enrolment_list=listing, published_on=request.POST.get("on", "")
        ),
        "已公布。",
    )


def _simple(request: HttpRequest, listing: Any, call: Any, success: str) -> HttpResponse:
    from django import forms

    class Empty(forms.Form):
        pass

    return run_action(
        request, Empty({}), lambda _: call(), success, redirect("resettlement:enrolment_detail", pk=listing.pk)
    )


def enrolment_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch for the social-security bureau; full ID numbers for roles that may see them,
    each such export written to the audit log."""
    listing = selectors.enrolment_list_get(user=request.user, pk=pk)
    full = can(request.user, "person.view_full_id") and request.GET.get("full") == "1"
    if full:
        audit.record(
            actor=request.user,
            action="resettlement.enrolment.export_full",
            obj=listing,
            after={"persons": listing.entries.count()},
            jurisdiction_path=listing.jurisdiction_path,
        )
    content = actions_social.enrolment_export(listing, full_ids=full)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''enrolment-{listing.pk}.xlsx"
    return response
