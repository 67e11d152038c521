"""Pages of incidents, petitions, support cases and the assessment dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core import clock
from zhengqian.core.http import add_domain_error, paginate, querystring_without_page
from zhengqian.core.models import Department
from zhengqian.core.permissions import can, require
from zhengqian.core.selectors import townships_for
from zhengqian.domain.coordination import Severity
from zhengqian.domain.errors import DomainError, InvalidInput
from zhengqian.households.models import Household
from zhengqian.households.selectors import household_get, households_for
from zhengqian.projects.selectors import project_get, projects_for

from . import actions_incidents, actions_petitions, assessment, selectors
from .forms import (
    ArrivalForm,
    IncidentForm,
    NoteForm,
    PetitionAnswerForm,
    PetitionAssignForm,
    PetitionForm,
    RewardForm,
    SupportForm,
)
from .models import IncidentStatus, PetitionStatus, RewardPenalty
from .views import owners_from


def _households(request: HttpRequest, project_id: int, codes: str) -> list[Household]:
    wanted = [c.strip() for c in codes.replace("，", ",").split(",") if c.strip()]
    found = {h.code: h for h in households_for(user=request.user, project_id=project_id).filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(f"找不到户：{'、'.join(missing)}", field="households")
    return [found[c] for c in wanted]


# --------------------------------------------------------------------------- incidents


def incident_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in IncidentStatus.values else ""
    incidents = selectors.incidents_for(user=request.user, status=status)
    return render(
        request,
        "coordination/incident_list.html",
        {
            "page": paginate(request, incidents),
            "status": status,
            "statuses": IncidentStatus.choices,
            "querystring": querystring_without_page(request),
            "can_report": can(request.user, "incident.report"),
        },
    )


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "incident.report")
    form = IncidentForm(
        request.POST or None,
        initial={"occurred_at": clock.now().astimezone(clock.LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M")},
        projects=projects_for(user=request.user),
        townships=townships_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = project_get(user=request.user, pk=data["project"])
            incident = actions_incidents.incident_report(
                actor=request.user,
                project=project,
                township=townships_for(user=request.user).get(pk=data["township"]),
                occurred_at=data["occurred_at"],
                place=data["place"],
                size=data["size"],
                severity=data["severity"],
                summary=data["summary"],
                first_response=data["first_response"],
                households=_households(request, project.pk, data["households"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已报告项目指挥部。")
            return redirect("coordination:incident", pk=incident.pk)
    return render(request, "coordination/form.html", {"form": form, "title": "报告突发事件"})


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, pk=pk)
    return render(
        request,
        "coordination/incident_detail.html",
        {
            "incident": incident,
            "state": selectors.incident_escalation(incident),
            "arrival_form": ArrivalForm(),
            "note_form": NoteForm(),
            "can_manage": can(request.user, "incident.manage") and incident.status == IncidentStatus.OPEN,
            "can_note": can(request.user, "incident.report") and incident.status == IncidentStatus.OPEN,
            "needs_meeting": incident.severity == Severity.MAJOR.value,
        },
    )


@require_POST
def incident_action(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, pk=pk)
    try:
        if what == "arrival":
            form = ArrivalForm(request.POST)
            if not form.is_valid():
                raise InvalidInput("；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
            actions_incidents.incident_arrival(actor=request.user, incident=incident, **form.cleaned_data)
        elif what in ("note", "close"):
            text = request.POST.get("text", "")
            if what == "note":
                actions_incidents.incident_note(actor=request.user, incident=incident, text=text)
            else:
                actions_incidents.incident_close(actor=request.user, incident=incident, text=text)
        else:
            raise InvalidInput("未知操作。")
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已记录。")
    return redirect("coordination:incident", pk=incident.pk)


# --------------------------------------------------------------------------- petitions


def petition_list(request: HttpRequest) -> HttpResponse:
    overdue_only = request.GET.get("overdue") == "1"
    status = request.GET.get("status", "")
    status = status if status in PetitionStatus.values else ""
    return render(
        request,
        "coordination/petition_list.html",
        {
            "page": paginate(
                request, selectors.petitions_for(user=request.user, status=status, overdue_only=overdue_only)
            ),
            "status": status,
            "statuses": PetitionStatus.choices,
            "overdue_only": overdue_only,
            "querystring": querystring_without_page(request),
            "today": clock.today(),
            "can_create": can(request.user, "petition.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
def petition_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "petition.manage")
    form = PetitionForm(
        request.POST or None,
        initial={"received_on": clock.today()},
        projects=projects_for(user=request.user),
        townships=townships_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = project_get(user=request.user, pk=data["project"])
            households = _households(request, project.pk, data["household"])
            petition = actions_petitions.petition_receive(
                actor=request.user,
                project=project,
                township=townships_for(user=request.user).get(pk=data["township"]),
                petitioner=data["petitioner"],
                channel=data["channel"],
                summary=data["summary"],
                received_on=data["received_on"],
                household=households[0] if households else None,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已受理，答复期限 {petition.due_on}。")
            return redirect("coordination:petition", pk=petition.pk)
    return render(request, "coordination/form.html", {"form": form, "title": "受理信访件"})


@require_http_methods(["GET", "POST"])
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_get(user=request.user, pk=pk)
    assign = PetitionAssignForm(request.POST if request.POST.get("what") == "assign" else None)
    answer = PetitionAnswerForm(request.POST if request.POST.get("what") == "answer" else None)
    if request.method == "POST":
        form = assign if request.POST.get("what") == "assign" else answer
        if form.is_valid():
            try:
                if form is assign:
                    actions_petitions.petition_assign(actor=request.user, petition=petition, **form.cleaned_data)
                else:
                    actions_petitions.petition_answer(actor=request.user, petition=petition, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "已保存。")
                return redirect("coordination:petition", pk=petition.pk)
    return render(
        request,
        "coordination/petition_detail.html",
        {
            "petition": petition,
            "assign": assign,
            "answer": answer,
            "today": clock.today(),
            "can_assign": can(request.user, "petition.manage") and petition.status != PetitionStatus.ANSWERED,
            "can_answer": can(request.user, "petition.answer") and petition.status != PetitionStatus.ANSWERED,
        },
    )


# --------------------------------------------------------------------------- support cases


def support_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coordination/support_list.html",
        {"page": paginate(request, selectors.support_cases_for(user=request.user)), "querystring": ""},
    )


@require_http_methods(["GET", "POST"])
def support_create(request: HttpRequest, household_id: int) -> HttpResponse:
    household = household_get(user=request.user, pk=household_id)
    require(request.user, "support.manage")
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions_petitions.support_case_open(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已交 {case.task.owner_label} 办理。")
            return redirect("coordination:task", pk=case.task.pk)
    return render(request, "coordination/form.html", {"form": form, "title": f"困难帮扶：{household}"})


# --------------------------------------------------------------------------- assessment


@require_http_methods(["GET", "POST"])
def assessment_dashboard(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period") or str(clock.today().year)
    form = RewardForm(
        request.POST if request.POST.get("what") == "reward" else None,
        departments=Department.objects.order_by("pk"),
        townships=townships_for(user=request.user),
    )
    try:
        rows = assessment.dashboard(user=request.user, period=period)
    except DomainError as error:
        messages.error(request, str(error))
        period, rows = str(clock.today().year), assessment.dashboard(user=request.user, period=str(clock.today().year))
    if request.method == "POST":
        try:
            if request.POST.get("what") == "compute":
                assessment.assessment_compute(actor=request.user, period=period)
                messages.success(request, f"已生成 {period} 年度考核得分。")
                return redirect(f"{request.path}?period={period}")
            if form.is_valid():
                owner = owners_from(request.user, [form.cleaned_data["subject"]])[0]
                assessment.reward_penalty_record(
                    actor=request.user,
                    period=period,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    township=owner.township,
                    department=owner.department,
                )
                messages.success(request, "已记录奖惩。")
                return redirect(f"{request.path}?period={period}")
        except DomainError as error:
            add_domain_error(form, error)
    return render(
        request,
        "coordination/assessment.html",
        {
            "period": period,
            "rows": rows,
            "chart": assessment.dashboard_chart(rows),
            "form": form,
            "records": RewardPenalty.objects.filter(period=period)
            .filter(Q(department__isnull=False) | Q(township__in=townships_for(user=request.user)))
            .select_related("township", "department")[:50],
            "can_manage": can(request.user, "assessment.manage"),
        },
    )
