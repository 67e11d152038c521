"""Pages of the compensation standard and of re-pricing jobs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhengqian.core.audit import history_for
from zhengqian.core.http import add_domain_error, paginate, querystring_without_page
from zhengqian.core.permissions import can, require
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get, projects_for

from .. import actions, selectors
from ..forms import ApproveForm, RateForm, ReturnForm, RewardWindowForm, StandardCreateForm
from ..models import CompensationStandard, StandardStatus


def _detail(pk: int) -> str:
    return reverse("compensation:standard_detail", args=[pk])


def _form_page(request: HttpRequest, form: object, title: str, back: str, **extra: object) -> HttpResponse:
    return render(request, "compensation/form.html", {"form": form, "title": title, "back": back, **extra})


def index(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    projects = projects_for(user=request.user, search=search)
    page = paginate(request, projects)
    current = {
        standard.project_id: standard
        for standard in CompensationStandard.objects.filter(
            project__in=[project.pk for project in page], status=StandardStatus.APPROVED
        )
    }
    rows = [(project, current.get(project.pk)) for project in page]
    return render(request, "compensation/index.html", {
        "page": page, "rows": rows, "search": search, "querystring": querystring_without_page(request),
    })


def project_overview(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    standards = list(selectors.standards_for(user=request.user, project=project))
    return render(request, "compensation/project.html", {
        "project": project, "standards": standards,
        "current": next((s for s in standards if s.status == StandardStatus.APPROVED), None),
        "jobs": selectors.jobs_for(user=request.user, project=project)[:10],
        "totals": selectors.project_totals(user=request.user, project=project),
        "can_draft": can(request.user, "standard.edit"),
    })


@require_http_methods(["GET", "POST"])
def standard_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "standard.edit")
    form = StandardCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = actions.standard_create(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"已起草补偿标准{standard.label}。")
            return redirect("compensation:standard_detail", pk=standard.pk)
    return _form_page(request, form, f"起草补偿标准：{project.name}",
                      reverse("compensation:project", args=[project.pk]))


def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(user=request.user, pk=pk)
    current = selectors.current_standard_of(standard.project)
    compare_to = current if current and current.pk != standard.pk else None
    return render(request, "compensation/standard_detail.html", {
        "standard": standard, "project": standard.project, "rates": list(standard.rates.all()),
        "windows": list(standard.reward_windows.all()),
        "changes": selectors.rate_changes(compare_to, standard) if compare_to else [], "compare_to": compare_to,
        "can_edit": can(request.user, "standard.edit") and standard.editable,
        "can_submit": can(request.user, "standard.edit") and standard.status == StandardStatus.DRAFT,
        "can_approve": can(request.user, "standard.approve") and standard.status == StandardStatus.IN_REVIEW,
        "can_reprice": can(request.user, "valuation.run") and standard.status == StandardStatus.APPROVED,
        "approve_form": ApproveForm(), "return_form": ReturnForm(),
        "jobs": standard.jobs.order_by("-created_at")[:5], "history": history_for(standard)[:100],
    })


def _rate_values(form: RateForm) -> dict[str, object]:
    data = dict(form.cleaned_data)
    data["amount_value"] = data.pop("amount")
    return data


@require_http_methods(["GET", "POST"])
def rate_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(user=request.user, pk=pk)
    require(request.user, "standard.edit")
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_set(actor=request.user, standard=standard, **_rate_values(form))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已添加单价。")
            return redirect("compensation:standard_detail", pk=standard.pk)
    return _form_page(request, form, f"添加单价：补偿标准{standard.label}",
                      _detail(standard.pk))


@require_http_methods(["GET", "POST"])
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rate = selectors.rate_get(user=request.user, pk=pk)
    require(request.user, "standard.edit")
    initial = {name: getattr(rate, name) for name in ("category", "item", "name", "unit", "payee", "clause")}
    initial["amount"] = f"{rate.amount.normalize():f}"
    form = RateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_set(actor=request.user, standard=rate.standard, rate=rate, **_rate_values(form))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已保存单价。")
            return redirect("compensation:standard_detail", pk=rate.standard_id)
    return _form_page(request, form, f"修改单价：{rate.name}", _detail(rate.standard_id))


@require_POST
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rate = selectors.rate_get(user=request.user, pk=pk)
    try:
        actions.rate_remove(actor=request.user, rate=rate)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已删除单价 {rate.item}。")
    return redirect("compensation:standard_detail", pk=rate.standard_id)


@require_http_methods(["GET", "POST"])
def reward_create(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(user=request.user, pk=pk)
    require(request.user, "standard.edit")
    form = RewardWindowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reward_window_add(actor=request.user, standard=standard, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已添加交地奖励期限。")
            return redirect("compensation:standard_detail", pk=standard.pk)
    return _form_page(request, form, f"交地奖励期限：补偿标准{standard.label}",
                      _detail(standard.pk))


@require_POST
def reward_delete(request: HttpRequest, pk: int) -> HttpResponse:
    window = selectors.reward_window_get(user=request.user, pk=pk)
    try:
        actions.reward_window_remove(actor=request.user, window=window)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("compensation:standard_detail", pk=window.standard_id)


@require_POST
def standard_submit(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(user=request.user, pk=pk)
    try:
        actions.standard_submit(actor=request.user, standard=standard)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"补偿标准{standard.label}已提交领导小组审定。")
    return redirect("compensation:standard_detail", pk=standard.pk)


@require_http_methods(["GET", "POST"])
def standard_return(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(user=request.user, pk=pk)
    require(request.user, "standard.approve")
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.standard_return(actor=request.user, standard=standard, note=form.cleaned_data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "已退回修改。")
            return redirect("compensation:standard_detail", pk=standard.pk)
    return _form_page(request, form, f"退回补偿标准{standard.label}", _detail(standard.pk))


@require_http_methods(["GET", "POST"])
def standard_approve(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(user=request.user, pk=pk)
    require(request.user, "standard.approve")
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = actions.standard_approve(actor=request.user, standard=standard, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            job = standard.jobs.order_by("-created_at").first()
            messages.success(request, f"补偿标准{standard.label}已批准，正在按新标准重新计价。")
            if job is not None:
                return redirect("compensation:job_detail", pk=job.pk)
            return redirect("compensation:standard_detail", pk=standard.pk)
    return _form_page(request, form, f"审定补偿标准{standard.label}", _detail(standard.pk))


@require_POST
def standard_reprice(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.standard_get(user=request.user, pk=pk)
    try:
        job = actions.repricing_start(actor=request.user, standard=standard)
        actions.repricing_launch(job)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("compensation:standard_detail", pk=standard.pk)
    return redirect("compensation:job_detail", pk=job.pk)


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    supplement = request.GET.get("signed") == "1"
    changes = selectors.job_changes(user=request.user, job=job, needs_supplement=supplement)
    return render(request, "compensation/job_detail.html", {
        "job": job, "project": job.project, "page": paginate(request, changes), "signed_view": supplement,
        "signed_count": selectors.job_changes(user=request.user, job=job, needs_supplement=True).count(),
        "first_count": job.changes.filter(old_total__isnull=True, error="").count(),
        "querystring": querystring_without_page(request),
    })


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar fragment, polled by HTMX until the job is over."""
    job = selectors.job_get(user=request.user, pk=pk)
    response = render(request, "compensation/_job_progress.html", {"job": job})
    if job.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response
