"""API of the document service: a project's rendered documents (number, SHA-256), batch
rendering with its progress, and the project archive package with its seal (banan-2015 (七)).
Scoped like the pages: an object outside the user's jurisdiction is 404."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from zhengqian.projects.selectors import project_get

from . import actions, archive, selectors
from .models import RenderedDocument, RenderJob

router = Router(tags=["文书档案"])


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    number: str
    project_id: int | None
    household_id: int | None
    sha256: str
    size: int
    file_name: str
    rendered_at: datetime

    @staticmethod
    def resolve_sha256(obj: RenderedDocument) -> str:
        return obj.file.sha256

    @staticmethod
    def resolve_size(obj: RenderedDocument) -> int:
        return obj.file.size

    @staticmethod
    def resolve_file_name(obj: RenderedDocument) -> str:
        return obj.file.original_name


class ArchiveOut(DocumentOut):
    seal: str

    @staticmethod
    def resolve_seal(obj: RenderedDocument) -> str:
        return archive.seal_of(obj)


class JobOut(Schema):
    id: int
    project_id: int
    kind: str
    total: int
    done: int
    failed: int
    errors: list[str]
    status: str
    percent: int
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_errors(obj: RenderJob) -> list[str]:
        return [str(item) for item in obj.errors]


class BatchIn(Schema):
    kind: str


@router.get("/projects/{project_id}/documents", response=list[DocumentOut], summary="项目已生成文书（最近 500 份）")
def documents_project_list(request: HttpRequest, project_id: int) -> list[object]:
    project = project_get(user=request.user, pk=project_id)
    return list(selectors.documents_for(user=request.user, project=project).select_related("file")[:500])


@router.get("/{document_id}", response=DocumentOut, summary="一份已生成文书")
def documents_detail(request: HttpRequest, document_id: int) -> object:
    return selectors.document_get(user=request.user, pk=document_id)


@router.post("/projects/{project_id}/batches", response={201: JobOut}, summary="批量生成（后台进行，查询进度）")
def documents_batch_start(request: HttpRequest, project_id: int, payload: BatchIn) -> object:
    project = project_get(user=request.user, pk=project_id)
    job = actions.batch_start(actor=request.user, project=project, kind=payload.kind)
    actions.batch_launch(actor=request.user, job=job)
    return Status(201, selectors.job_get(user=request.user, pk=job.pk))


@router.get("/jobs/{job_id}", response=JobOut, summary="批量生成进度")
def documents_job(request: HttpRequest, job_id: int) -> object:
    return selectors.job_get(user=request.user, pk=job_id)


@router.post("/projects/{project_id}/archive", response={201: ArchiveOut}, summary="生成项目档案包（含封存哈希）")
def documents_archive_build(request: HttpRequest, project_id: int) -> object:
    project = project_get(user=request.user, pk=project_id)
    return Status(201, archive.archive_build(actor=request.user, project=project))
