"""Staff pages of the register workbook and the project map: the import template, upload with
a progress bar and a result page (with the annotated error workbook), the register export,
the per-household survey sheet (调查表) as a print page and a PDF, and the parcel map."""

from __future__ import annotations

import io
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from zhengqian.core import clock
from zhengqian.core.forms import StyledForm
from zhengqian.core.http import add_domain_error
from zhengqian.core.permissions import can, require
from zhengqian.domain.errors import DomainError
from zhengqian.projects.models import Project
from zhengqian.projects.selectors import project_get, projects_for

from . import geo, imports, selectors
from .excel.export import register_export
from .excel.issues import Issue
from .excel.layout import SHEETS
from .excel.writer import write_annotated, write_template
from .models import ImportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(StyledForm):
    project = forms.ModelChoiceField(label="征地项目", queryset=Project.objects.none())
    file = forms.FileField(
        label="户信息工作簿（.xlsx）",
        help_text="五张表：户、家庭成员、地块、房屋、附着物及青苗；先逐行校验，有任何错误则整份不导入。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_for(user=user)
        self.fields["project"].label_from_instance = lambda project: f"{project.code} {project.name}"


def _download(content: bytes, name: str, content_type: str = XLSX) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=content_type)


# --- import ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.edit")
    initial = {}
    project_id = request.GET.get("project", "")
    if project_id.isdigit():
        initial["project"] = projects_for(user=request.user).filter(pk=int(project_id)).first()
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.import_start(
                actor=request.user, project=form.cleaned_data["project"], content=upload, file_name=upload.name
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("households:import_detail", pk=batch.pk)
    return render(
        request,
        "households/import_new.html",
        {
            "form": form,
            "batches": imports.imports_for(user=request.user)[:15],
            "sheets": SHEETS,
            "max_mb": getattr(settings, "HOUSEHOLD_IMPORT_MAX_BYTES", 50 * 1024 * 1024) // 1024 // 1024,
        },
    )


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = imports.import_get(user=request.user, pk=pk)
    issues = [Issue.from_dict(item) for item in batch.issues]
    return render(
        request,
        "households/import_detail.html",
        {
            "batch": batch,
            "progress": imports.import_progress(batch),
            "issues": issues,
            "shown_all": len(issues) >= batch.issue_total,
            "has_upload": bool(batch.stored_name) and imports.upload_path(batch).exists(),
            "succeeded": batch.status == ImportStatus.SUCCEEDED,
        },
    )


@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by HTMX every second; when the batch is over, the page reloads."""
    batch = imports.import_get(user=request.user, pk=pk)
    response = render(
        request, "households/import_progress.html", {"batch": batch, "progress": imports.import_progress(batch)}
    )
    if batch.finished:
        response["HX-Refresh"] = "true"
    return response


@require_GET
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploaded workbook with every wrong cell highlighted and commented, plus 问题清单."""
    batch = imports.import_get(user=request.user, pk=pk)
    buffer = io.BytesIO()
    source = imports.upload_path(batch) if batch.stored_name else Path("/nonexistent")
    issues = [Issue.from_dict(item) for item in batch.issues]
    if not issues and batch.message:
        issues = [Issue(sheet="", row=None, column="", message=batch.message)]
    write_annotated(buffer, source, issues)
    stem = Path(batch.file_name).stem or "upload"
    return _download(buffer.getvalue(), f"{stem}-问题标注.xlsx")


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    buffer = io.BytesIO()
    write_template(buffer)
    return _download(buffer.getvalue(), "户信息导入模板.xlsx")


# --- export ---------------------------------------------------------------------------------


@require_GET
def export_register(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's register in the import layout (full ID numbers: audited, needs the right)."""
    project = project_get(user=request.user, pk=project_id)
    require(request.user, "person.view_full_id")
    buffer = io.BytesIO()
    register_export(actor=request.user, project=project, target=buffer)
    return _download(buffer.getvalue(), f"{project.code}-户信息-{clock.today():%Y%m%d}.xlsx")


def _survey_context(request: HttpRequest, pk: int) -> dict[str, object]:
    household = selectors.household_detail(user=request.user, pk=pk)
    surveys = list(household.surveys.all())
    parcels = list(household.parcels.all())
    buildings = list(household.buildings.all())
    return {
        "household": household,
        "members": list(household.members.all()),
        "parcels": parcels,
        "buildings": buildings,
        "attachments": list(household.attachments.all()),
        "crops": list(household.crops.all()),
        "survey": surveys[0] if surveys else None,
        "parcel_area": sum((p.area for p in parcels), start=0),
        "floor_area": sum((b.floor_area for b in buildings), start=0),
        "printed_at": clock.now(),
    }


@require_GET
def survey_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """调查表: the survey result of one household, to print and sign (putian-2014 (二))."""
    context = {**_survey_context(request, pk), "screen": True, "base_template": "base.html"}
    return render(request, "households/export_survey_sheet.html", context)


@require_GET
def survey_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    context = _survey_context(request, pk)
    context.update(screen=False, base_template="households/export_survey_base.html")
    html = render_to_string("households/export_survey_sheet.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    household = context["household"]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{household.code}-survey.pdf"
    return response


# --- map ------------------------------------------------------------------------------------


@require_GET
def map_project(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    counts = geo.state_counts(user=request.user, project=project)
    legend = [(state, label, counts.get(state, 0)) for state, label in geo.legend()]
    if not sum(counts.values()):
        messages.info(request, "本项目尚无带图形的地块：请在地块中录入图形，或用导入工作簿的“图形”列。")
    return render(
        request,
        "households/map_project.html",
        {
            "project": project,
            "legend": legend,
            "limit": geo.DEFAULT_LIMIT,
            "can_import": can(request.user, "household.edit"),
            "can_export": can(request.user, "person.view_full_id"),
        },
    )
