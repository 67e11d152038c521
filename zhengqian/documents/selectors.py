"""Reads of the document service, scoped to the user's jurisdiction (outside → Http404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from zhengqian.core.models import User
from zhengqian.core.selectors import scope_q
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from .models import RenderedDocument, RenderJob


def documents_for(*, user: User, project: Project) -> QuerySet[RenderedDocument]:
    return (
        RenderedDocument.objects.filter(scope_q(user, "jurisdiction_path"), project=project)
        .select_related("file", "household", "rendered_by")
        .order_by("-rendered_at", "-id")
    )


def document_get(*, user: User, pk: Any) -> RenderedDocument:
    document = (
        RenderedDocument.objects.filter(scope_q(user, "jurisdiction_path"), pk=pk).select_related("file").first()
    )
    if document is None:
        raise Http404
    return document


def jobs_for(*, project: Project) -> QuerySet[RenderJob]:
    return RenderJob.objects.filter(project=project).order_by("-created_at", "-id")[:10]  # type: ignore[return-value]


def job_get(*, user: User, pk: Any) -> RenderJob:
    from zhengqian.projects.selectors import projects_for

    job = RenderJob.objects.filter(pk=pk, project__in=projects_for(user=user)).select_related("project").first()
    if job is None:
        raise Http404
    return job


def households_for(*, user: User, project: Project) -> QuerySet[Household]:
    return Household.objects.filter(scope_q(user, "village__path"), project=project)


def household_get(*, user: User, pk: Any) -> Household:
    household = (
        Household.objects.filter(scope_q(user, "village__path"), pk=pk)
        .select_related("project__district", "village", "group").first()
    )
    if household is None:
        raise Http404
    return household


def notice_get(*, user: User, pk: Any) -> Any:
    from zhengqian.procedure.selectors import document_get as procedure_document_get

    return procedure_document_get(user=user, pk=pk)
