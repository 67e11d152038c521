"""Pages of departments, tasks and joint meetings (plain functions: parse, one action or
selector, render)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core import clock
from zhengqian.core.audit import history_for
from zhengqian.core.http import add_domain_error, paginate, querystring_without_page
from zhengqian.core.models import Department, User
from zhengqian.core.permissions import can, require
from zhengqian.core.selectors import townships_for
from zhengqian.domain.errors import DomainError, InvalidInput
from zhengqian.projects.selectors import project_get, projects_for

from . import actions, selectors
from .forms import DecisionForm, MeetingForm, TaskCancelForm, TaskCompleteForm, TaskForm
from .models import MeetingKind, TaskStatus


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def owners_from(user: User, values: Iterable[str]) -> list[actions.Owner]:
    """ "d<pk>" → a department, "t<pk>" → one of the user's townships."""
    townships = {t.pk: t for t in townships_for(user=user)}
    departments = {d.pk: d for d in Department.objects.all()}
    owners = []
    for value in values:
        pk = _int_or_none(value[1:])
        if value.startswith("d") and pk in departments:
            owners.append(actions.Owner(department=departments[pk]))
        elif value.startswith("t") and pk in townships:
            owners.append(actions.Owner(township=townships[pk]))
        else:
            raise InvalidInput("责任部门/镇街不正确。", field="owners")
    return owners


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "coordination/index.html",
        {
            "overdue": selectors.overdue_task_count(user),
            "open_tasks": selectors.tasks_for(user=user, status=TaskStatus.OPEN).count(),
            "open_incidents": selectors.incidents_for(user=user, status="open")[:10],
            "meetings": selectors.meetings_for(user=user)[:5],
            "open_decisions": selectors.open_decisions(user=user),
            "petitions_overdue": selectors.petitions_for(user=user, overdue_only=True).count(),
        },
    )


# --------------------------------------------------------------------------- departments


def department_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "coordination/department_list.html", {"rows": selectors.departments_with_counts(user=request.user)}
    )


def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get(pk=pk)
    open_tasks = selectors.tasks_for(user=request.user, department_id=department.pk, status=TaskStatus.OPEN)
    done = selectors.tasks_for(user=request.user, department_id=department.pk, status=TaskStatus.DONE)
    return render(
        request,
        "coordination/department_detail.html",
        {
            "department": department,
            "tasks": open_tasks,
            "done": done.order_by("-completed_on", "-id")[:20],
            "users": department.users.filter(is_active=True).order_by("username"),
            "today": clock.today(),
        },
    )


# --------------------------------------------------------------------------- tasks


def task_list(request: HttpRequest) -> HttpResponse:
    overdue_only = request.GET.get("overdue") == "1"
    status = request.GET.get("status", "")
    status = status if status in TaskStatus.values else ""
    tasks = selectors.tasks_for(
        user=request.user,
        project_id=_int_or_none(request.GET.get("project")),
        department_id=_int_or_none(request.GET.get("department")),
        status=status,
        overdue_only=overdue_only,
    )
    return render(
        request,
        "coordination/task_list.html",
        {
            "page": paginate(request, tasks),
            "overdue_only": overdue_only,
            "status": status,
            "statuses": TaskStatus.choices,
            "querystring": querystring_without_page(request),
            "today": clock.today(),
            "can_create": can(request.user, "coordination.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "coordination.manage")
    projects = projects_for(user=request.user)
    form = TaskForm(
        request.POST or None,
        projects=projects,
        departments=Department.objects.order_by("pk"),
        townships=townships_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = actions.task_create(
                actor=request.user,
                project=project_get(user=request.user, pk=data["project"]),
                owner=owners_from(request.user, [data["owner"]])[0],
                title=data["title"],
                detail=data["detail"],
                period_count=data["period_count"],
                period_unit=data["period_unit"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已交办，办结期限 {task.due_on}。")
            return redirect("coordination:task", pk=task.pk)
    return render(request, "coordination/form.html", {"form": form, "title": "交办任务", "multipart": False})


@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, pk=pk)
    form = TaskCompleteForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request.user, "task.complete")
        if form.is_valid():
            upload = form.cleaned_data["evidence"]
            try:
                actions.task_complete(
                    actor=request.user,
                    task=task,
                    note=form.cleaned_data["note"],
                    completed_on=form.cleaned_data["completed_on"],
                    evidence=actions.Upload(upload.read(), upload.name, upload.content_type or ""),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "任务已办结。")
                return redirect("coordination:task", pk=task.pk)
    return render(
        request,
        "coordination/task_detail.html",
        {
            "task": task,
            "form": form,
            "today": clock.today(),
            "can_complete": task.status == TaskStatus.OPEN and actions.may_complete(request.user, task),
            "can_cancel": task.status == TaskStatus.OPEN and can(request.user, "coordination.manage"),
            "cancel_form": TaskCancelForm(),
            "history": history_for(task)[:50],
        },
    )


@require_POST
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, pk=pk)
    form = TaskCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤销理由。")
        return redirect("coordination:task", pk=task.pk)
    try:
        actions.task_cancel(actor=request.user, task=task, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "任务已撤销。")
    return redirect("coordination:task", pk=task.pk)


# --------------------------------------------------------------------------- joint meetings


def meeting_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    return render(
        request,
        "coordination/meeting_list.html",
        {
            "page": paginate(request, selectors.meetings_for(user=request.user, kind=kind)),
            "kind": kind,
            "kinds": MeetingKind.choices,
            "querystring": querystring_without_page(request),
            "can_create": can(request.user, "coordination.manage"),
        },
    )


def _carried_agenda(user: User) -> str:
    """The next meeting's agenda starts with the open decisions (yongzhou-linkage 四(一)(四))."""
    lines = [
        f"{i}. 督办：{d.meeting.held_on:%Y-%m-%d}会议决议{d.number}（{d.project.code}）{d.text}"
        for i, d in enumerate(selectors.open_decisions(user=user), start=1)
    ]
    return "\n".join(lines)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "coordination.manage")
    incidents = selectors.incidents_for(user=request.user, status="open")
    initial: dict[str, Any] = {"held_on": clock.today(), "agenda": _carried_agenda(request.user)}
    incident_id = _int_or_none(request.GET.get("incident"))
    if incident_id:
        initial.update(incident=incident_id, title="研究处置突发事件")
    form = MeetingForm(request.POST or None, initial=initial, incidents=incidents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.meeting_record(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                place=data["place"],
                chair=data["chair"],
                agenda=data["agenda"],
                departments=list(data["departments"]),
                attendees=data["attendees"],
                minutes=data["minutes"],
                incident=selectors.incident_get(user=request.user, pk=data["incident"]) if data["incident"] else None,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已记录会议，请逐条录入决议。")
            return redirect("coordination:meeting", pk=meeting.pk)
    return render(request, "coordination/form.html", {"form": form, "title": "记录联席会议 / 联合行动"})


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = DecisionForm(
        request.POST or None,
        projects=projects_for(user=request.user).filter(district_id=meeting.district_id),
        departments=Department.objects.order_by("pk"),
        townships=townships_for(user=request.user),
    )
    if request.method == "POST":
        require(request.user, "coordination.manage")
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = actions.decision_record(
                    actor=request.user,
                    meeting=meeting,
                    text=data["text"],
                    project=project_get(user=request.user, pk=data["project"]),
                    owners=owners_from(request.user, data["owners"]),
                    period_count=data["period_count"],
                    period_unit=data["period_unit"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"已录入决议{decision.number}，交办 {decision.tasks.count()} 项任务。")
                return redirect("coordination:meeting", pk=meeting.pk)
    return render(
        request,
        "coordination/meeting_detail.html",
        {
            "meeting": meeting,
            "form": form,
            "carried": selectors.open_decisions(user=request.user, before=meeting),
            "can_manage": can(request.user, "coordination.manage"),
            "today": clock.today(),
        },
    )


@require_POST
def scan_now(request: HttpRequest) -> HttpResponse:
    """Run the daily scan by hand (office), as ``manage.py coordination_scan`` does."""
    require(request.user, "coordination.manage")
    from .actions_petitions import coordination_scan

    tasks, incidents = coordination_scan()
    messages.success(request, f"新增逾期任务 {tasks} 项，超时未到场事件 {incidents} 起，已通知。")
    return redirect("coordination:index")
