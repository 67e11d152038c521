"""Pages of villager assemblies (live tally with HTMX) and hearings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core import clock
from zhengqian.core.permissions import can
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get

from . import actions, selectors
from .engine import pack_of
from .forms import (
    AssemblyCloseForm,
    AssemblyForm,
    HearingHoldForm,
    HearingRequestForm,
    ObjectionsForm,
    OpinionForm,
    RepresentativeForm,
    VoteForm,
    as_upload,
)
from .models import Attendance, Hearing
from .views_documents import _refused


@require_http_methods(["GET", "POST"])
def assembly_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get(user=request.user, pk=pk)
    form = AssemblyForm(request.POST or None, initial={"held_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            assembly = actions.assembly_open(actor=request.user, project=project, **form.cleaned_data)
        except (DomainError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, f"已建立会议，参会名册 {assembly.total} 户（按土地承包经营权证）。")
            return redirect("procedure:assembly", pk=assembly.pk)
    return render(
        request,
        "procedure/form.html",
        {
            "form": form,
            "title": f"召开村民代表和被征地农民大会 · {project.name}",
            "cancel": reverse("procedure:project", args=[project.pk]),
            "note": "参会名册按土地承包经营权证生成；须三分之二以上被征地农户代表参加（莆田 (一)），可委托他人参加。",
        },
    )


def _assembly_context(request: HttpRequest, assembly: object) -> dict[str, object]:
    return {
        "assembly": assembly,
        "roll": selectors.assembly_roll(assembly),  # type: ignore[arg-type]
        "tally": actions.assembly_tally(assembly),  # type: ignore[arg-type]
        "can_act": can(request.user, "procedure.act"),
        "attendance_choices": Attendance.choices,
    }


def assembly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assembly = selectors.assembly_get(user=request.user, pk=pk)
    context = _assembly_context(request, assembly)
    context["close_form"] = AssemblyCloseForm() if not assembly.closed else None
    return render(request, "procedure/assembly.html", context)


@require_POST
def assembly_attendance(request: HttpRequest, pk: int, household_id: int) -> HttpResponse:
    assembly = selectors.assembly_get(user=request.user, pk=pk)
    error = ""
    try:
        actions.attendance_set(
            actor=request.user,
            assembly=assembly,
            household_id=household_id,
            attendance=request.POST.get("attendance", ""),
            proxy_name=request.POST.get("proxy_name", ""),
        )
    except (DomainError, PermissionDenied) as problem:
        error = str(problem) or "您的角色无权执行此操作。"
    assembly.refresh_from_db()
    if request.htmx:  # type: ignore[attr-defined]
        context = _assembly_context(request, assembly)
        context.update(
            {
                "entry": next((e for e in context["roll"] if e.household_id == household_id), None),  # type: ignore[attr-defined]
                "error": error,
                "oob": True,
            }
        )
        return render(request, "procedure/includes/attendance_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("procedure:assembly", pk=assembly.pk)


@require_POST
def assembly_close(request: HttpRequest, pk: int) -> HttpResponse:
    assembly = selectors.assembly_get(user=request.user, pk=pk)
    form = AssemblyCloseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            assembly = actions.assembly_close(
                actor=request.user,
                assembly=assembly,
                minutes=as_upload(form.cleaned_data["minutes"], "minutes"),
                signature_list=as_upload(form.cleaned_data["signature_list"], "signature_list"),
                photos=[p for p in [as_upload(form.cleaned_data.get("photo"), "photo")] if p],
            )
        except (DomainError, PermissionDenied) as error:
            _refused(form, error)
        else:
            if assembly.quorum_met:
                messages.success(
                    request, f"会议已结束并达到法定人数，「村民代表和被征地农民大会」步骤完成。{assembly.quorum_text}"
                )
            else:
                messages.warning(
                    request, f"会议已结束但未达到法定人数，不能作为本步骤的证据，须另行召开。{assembly.quorum_text}"
                )
            return redirect("procedure:assembly", pk=assembly.pk)
    context = _assembly_context(request, assembly)
    context["close_form"] = form
    return render(request, "procedure/assembly.html", context)


# --- hearings ---------------------------------------------------------------------------------


def hearing(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get(user=request.user, pk=pk)
    pack = pack_of(project)
    record = Hearing.objects.filter(project=project).prefetch_related("representatives").first()
    reps = list(record.representatives.all()) if record else []
    today = {"initial": {"requested_on": clock.today()}}
    return render(
        request,
        "procedure/hearing.html",
        {
            "project": project,
            "pack": pack,
            "hearing": record,
            "representatives": reps,
            "has_request": pack.has_step("hearing_request"),
            "has_opinion": pack.has_step("coordination_opinion"),
            "request_form": HearingRequestForm(**today),
            "rep_form": RepresentativeForm(initial={"elected_on": clock.today()}),
            "hold_form": HearingHoldForm(initial={"held_on": clock.today()}),
            "opinion_form": OpinionForm(initial={"issued_on": clock.today()}),
            "vote_form": VoteForm(representatives=reps, initial={"voted_on": clock.today()}),
            "objections_form": ObjectionsForm(initial={"recorded_on": clock.today()}),
            "trigger": pack.threshold("hearing_trigger"),
            "rejection": next((t for t in pack.thresholds if t.code == "hearing_rejection"), None),
            "can_act": can(request.user, "procedure.act"),
        },
    )


FORMS = {
    "request": HearingRequestForm,
    "representative": RepresentativeForm,
    "hold": HearingHoldForm,
    "opinion": OpinionForm,
    "objections": ObjectionsForm,
}


@require_POST
def hearing_action(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    project = project_get(user=request.user, pk=pk)
    if what not in (*FORMS, "vote"):
        raise Http404("没有该操作")
    if what == "vote":
        record = Hearing.objects.filter(project=project).first()
        form = VoteForm(
            request.POST, request.FILES, representatives=list(record.representatives.all()) if record else []
        )
    else:
        form = FORMS[what](request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label if f in form.fields else ''}：{e}"
                for f, errors in form.errors.items()
                for e in errors
            ),
        )
        return redirect("procedure:hearing", pk=project.pk)
    data = form.cleaned_data
    try:
        if what == "request":
            actions.hearing_request_record(
                actor=request.user,
                project=project,
                requested_on=data["requested_on"],
                requested_by=data["requested_by"],
                document=as_upload(data["document"], "document"),
            )
        elif what == "representative":
            actions.representative_add(
                actor=request.user, project=project, name=data["name"], elected_on=data["elected_on"]
            )
        elif what == "hold":
            actions.hearing_hold(
                actor=request.user,
                project=project,
                held_on=data["held_on"],
                minutes=as_upload(data["minutes"], "minutes"),
                signature_list=as_upload(data["signature_list"], "signature_list"),
                document=as_upload(data["document"], "document"),
            )
        elif what == "opinion":
            actions.opinion_issue(
                actor=request.user,
                project=project,
                issued_on=data["issued_on"],
                opinion=data["opinion"],
                document=as_upload(data["document"], "document"),
            )
        elif what == "vote":
            actions.opinion_vote(
                actor=request.user,
                project=project,
                voted_on=data["voted_on"],
                votes=form.votes(),  # type: ignore[attr-defined]
                signature_list=as_upload(data.get("signature_list"), "signature_list"),
            )
        else:
            actions.plan_objections_record(
                actor=request.user,
                project=project,
                members=data["members"],
                objecting=data["objecting"],
                recorded_on=data["recorded_on"],
            )
    except (DomainError, PermissionDenied) as error:
        messages.error(request, str(error) or "您的角色无权执行此操作。")
    else:
        messages.success(request, "已登记。")
    return redirect("procedure:hearing", pk=project.pk)
