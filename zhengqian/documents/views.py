"""Staff pages of the document service: a project's rendered documents, batch rendering with
progress, archive packages and dossiers, per-household documents and notice posters."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhengqian.core.evidence import evidence_path
from zhengqian.core.http import paginate
from zhengqian.domain.errors import DomainError
from zhengqian.projects.selectors import project_get

from . import actions, archive, selectors

HOUSEHOLD_KINDS = {"survey_sheet": "调查确认表", "household_notice": "补偿信息查询告知单"}


def index(request: HttpRequest) -> HttpResponse:
    from zhengqian.projects.selectors import projects_for

    projects = projects_for(user=request.user).select_related("district").order_by("code")  # type: ignore[arg-type]
    return render(request, "documents/index.html", {"projects": projects})


def project(request: HttpRequest, project_id: int) -> HttpResponse:
    item = project_get(user=request.user, pk=project_id)  # type: ignore[arg-type]
    page = paginate(request, selectors.documents_for(user=request.user, project=item))  # type: ignore[arg-type]
    return render(request, "documents/project.html", {
        "project": item, "page": page, "jobs": selectors.jobs_for(project=item), "batch_kinds": actions.BATCH_KINDS,
    })


@require_POST
def batch(request: HttpRequest, project_id: int) -> HttpResponse:
    item = project_get(user=request.user, pk=project_id)  # type: ignore[arg-type]
    try:
        job = actions.batch_start(actor=request.user, project=item, kind=request.POST.get("kind", ""))  # type: ignore[arg-type]
        actions.batch_launch(actor=request.user, job=job)  # type: ignore[arg-type]
        messages.success(request, f"已开始批量生成 {job.total} 份。")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("documents:project", project_id=item.pk)


def job(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.job_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    return render(request, "documents/job.html", {"job": item})


@require_POST
def archive_create(request: HttpRequest, project_id: int) -> HttpResponse:
    item = project_get(user=request.user, pk=project_id)  # type: ignore[arg-type]
    try:
        document = archive.archive_build(actor=request.user, project=item)  # type: ignore[arg-type]
        messages.success(request, f"档案包 {document.number} 已生成，封存哈希 {archive.seal_of(document)}。")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("documents:project", project_id=item.pk)


@require_POST
def project_render(request: HttpRequest, project_id: int) -> HttpResponse:
    """Project-wide documents (付款清单)."""
    item = project_get(user=request.user, pk=project_id)  # type: ignore[arg-type]
    try:
        document = actions.document_render(actor=request.user, kind="payment_list", obj=item)  # type: ignore[arg-type]
        return redirect("documents:download", pk=document.pk)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("documents:project", project_id=item.pk)


@require_POST
def household_render(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    kind = request.POST.get("kind", "")
    try:
        if kind == "dossier":
            document = archive.dossier_build(actor=request.user, household=household)  # type: ignore[arg-type]
        elif kind in HOUSEHOLD_KINDS:
            document = actions.document_render(actor=request.user, kind=kind, obj=household)  # type: ignore[arg-type]
        else:
            messages.error(request, "请选择要生成的文书。")
            return redirect("documents:project", project_id=household.project_id)
        messages.success(request, f"已生成：{document}")
        return redirect("documents:download", pk=document.pk)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("documents:project", project_id=household.project_id)


@require_POST
def household_render_by_code(request: HttpRequest, project_id: int) -> HttpResponse:
    """The same, for a household named by its code on the project's page."""
    item = project_get(user=request.user, pk=project_id)  # type: ignore[arg-type]
    code = request.POST.get("code", "").strip()
    household = selectors.households_for(user=request.user, project=item).filter(code=code).first()  # type: ignore[arg-type]
    if household is None:
        messages.error(request, f"户编号：本项目您的辖区内没有户编号为“{code[:40]}”的户。")
        return redirect("documents:project", project_id=item.pk)
    return household_render(request, household.pk)


@require_POST
def notice_poster(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    try:
        document = actions.document_render(actor=request.user, kind="notice_poster", obj=notice)  # type: ignore[arg-type]
        return redirect("documents:download", pk=document.pk)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("documents:project", project_id=notice.project_id)


def download(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    return FileResponse(evidence_path(document.file.sha256).open("rb"), as_attachment=True,
                        filename=document.file.original_name, content_type=document.file.content_type)
