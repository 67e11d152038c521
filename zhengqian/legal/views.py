from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhengqian.core import clock
from zhengqian.core.http import add_domain_error
from zhengqian.core.permissions import can, require
from zhengqian.domain.calendar import MAX_YEAR, MIN_YEAR
from zhengqian.domain.deadlines import days_left
from zhengqian.domain.errors import DomainError
from zhengqian.domain.policy import ACTORS, EVIDENCE_KINDS, FACTS, SCOPES, PolicyPack
from zhengqian.projects.selectors import project_get

from . import actions, selectors
from .forms import CalendarYearForm, notice_digest
from .notice import YearNotice

SCOPE_NAMES = {"project": "项目步骤", "household": "到户步骤", "forced_vacate": "强制腾地"}
KIND_TEXT = {"within": "{rule}内完成", "after": "{rule}期满后方可", "at_least": "不少于{rule}"}


def _year_param(request: HttpRequest, default: int) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
        return int(value)
    return default


@require_GET
def calendar_year(request: HttpRequest) -> HttpResponse:
    """工作日历: one year as twelve month grids, and which years are loaded."""
    today = clock.today()
    year = _year_param(request, today.year)
    row = selectors.calendar_year_get(year)
    days = selectors.official_days_of(year) if row else []
    holidays, workdays = selectors.notice_ranges(days)
    return render(
        request,
        "legal/calendar_year.html",
        {
            "year": year,
            "row": row,
            "grid": selectors.year_grid(year, {d.day: (d.kind, d.name) for d in days}, today),
            "holidays": holidays,
            "workdays": workdays,
            "years": selectors.calendar_years(),
            "unloaded": selectors.unloaded_years(today),
            "can_manage": can(request.user, "calendar.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_year_new(request: HttpRequest) -> HttpResponse:
    """新增年度: enter a State Council notice, preview it as month grids, then save."""
    require(request.user, "calendar.manage")
    initial = {"year": _year_param(request, clock.today().year + 1)}
    form = CalendarYearForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        notice: YearNotice = form.cleaned_data["notice"]
        replace = form.cleaned_data["replace"]
        digest = notice_digest(notice, replace)
        if request.POST.get("step") == "save" and request.POST.get("preview_digest") == digest:
            try:
                row = actions.calendar_year_load(
                    actor=request.user, year=notice.year, source_notice=notice.source_notice,
                    holidays=[(item.start, item.end, item.name) for item in notice.holidays],
                    workdays=list(notice.workdays), replace=replace, reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                verb = "替换" if replace else "载入"
                messages.success(request, f"已{verb} {row.year} 年节假日安排。")
                return redirect(f"{reverse('legal:calendar')}?year={row.year}")
        elif request.POST.get("step") == "save":
            messages.warning(request, "内容在预览后有改动，请核对下方预览后再保存。")
        context["preview_digest"] = digest
        existing = selectors.calendar_year_get(notice.year)
        context.update(
            preview=selectors.year_grid(notice.year, {e.day: (e.kind, e.name) for e in notice.official_days()}),
            notice=notice,
            preview_holidays=[(item.start, item.end, item.name) for item in notice.holidays],
            preview_workdays=list(notice.workdays),
            existing=existing,
            blocked=existing is not None and not replace,
        )
    return render(request, "legal/calendar_year_form.html", context)


@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    """政策包: every shipped pack."""
    return render(request, "legal/policy_list.html", {"packs": selectors.policy_packs()})


@require_GET
def policy_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One pack: steps by scope, deadlines, gates, thresholds and rules, each with its clause
    and quote, next to the source text of the local document."""
    pack = selectors.policy_pack_get(code)
    return render(
        request,
        "legal/policy_detail.html",
        {"pack": pack, "source": selectors.policy_source(pack), **_pack_rows(pack)},
    )


def _pack_rows(pack: PolicyPack) -> dict[str, Any]:
    step_names = {step.code: step.name for step in pack.steps}

    def step_label(code: str) -> str:
        return step_names.get(code, code)

    scopes = []
    for scope in SCOPES:
        steps = [
            {
                "step": step,
                "actor": ACTORS.get(step.actor, step.actor),
                "requires": [(code, step_label(code)) for code in step.requires],
                "evidence": [EVIDENCE_KINDS.get(kind, kind) for kind in step.evidence],
            }
            for step in pack.steps_for(scope)
        ]
        if steps:
            scopes.append({"code": scope, "name": SCOPE_NAMES.get(scope, scope), "steps": steps})
    deadlines = [
        {
            "item": item,
            "anchor": step_label(item.anchor),
            "target": step_label(item.target),
            "rule": KIND_TEXT[item.kind].format(rule=item.rule),
        }
        for item in sorted(pack.deadlines, key=lambda d: (pack.step(d.target).order, d.code))
    ]
    gates = [
        {"item": gate, "step": step_label(gate.step), "fact": _fact_label(gate.requires, step_names)}
        for gate in sorted(pack.gates, key=lambda g: (pack.step(g.step).order, g.code))
    ]
    return {"scopes": scopes, "deadlines": deadlines, "gates": gates}


def _fact_label(fact: str, step_names: dict[str, str]) -> str:
    if fact in FACTS:
        return FACTS[fact]
    step = fact.removesuffix("_done")
    return f"“{step_names.get(step, step)}”已完成"


@require_GET
def project_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    """法定时限: the statutory dates that follow from the project's known step dates."""
    project = project_get(user=request.user, pk=pk)
    pack = selectors.policy_pack_get(project.policy_pack)
    anchors = selectors.anchor_steps(pack)
    values = {anchor.code: request.GET.get(anchor.code, "").strip() for anchor in anchors}
    error = ""
    result = None
    try:
        known = selectors.parse_known_dates(pack, values)
        result = selectors.project_schedule(pack_code=pack.code, known=known)
    except DomainError as problem:
        error = str(problem)
    today = clock.today()
    rows = []
    if result is not None:
        calendar = selectors.work_calendar()
        step_names = {step.code: step.name for step in pack.steps}
        for item in result.items:
            rows.append(
                {
                    "item": item,
                    "anchor": step_names.get(item.anchor, item.anchor),
                    "target": step_names.get(item.target, item.target),
                    "rule": KIND_TEXT[item.kind].format(rule=item.rule),
                    "days_left": (left := days_left(calendar, due=item.due, today=today)),
                    "overdue": -left,
                    "unloaded": selectors.provisional_years(item, calendar) if item.provisional else [],
                    "starts_after": pack.deadline(item.starts_after).name if item.starts_after else "",
                }
            )
    return render(
        request,
        "legal/project_deadlines.html",
        {
            "project": project, "pack": pack,
            "anchors": [(a, values[a.code], SCOPE_NAMES.get(a.scope, a.scope)) for a in anchors],
            "error": error, "result": result, "rows": rows, "today": today,
        },
    )
