"""The document service's state changes: render-and-store one document, render a batch with
progress, build archive packages (archive.py). Every rendered file is stored by SHA-256 and
listed in the audit chain (storage.py); banan-2015 (七), putian-2014 (九)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models, transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.models import Project

from . import render as renderers
from .models import JobStatus, RenderedDocument, RenderJob
from .storage import store_rendered

log = logging.getLogger(__name__)

BATCH_KINDS = {
    "agreement": "补偿协议（PDF）",
    "valuation_statement": "补偿计算单",
    "survey_sheet": "调查确认表",
    "household_notice": "补偿信息查询告知单",
}


def in_scope(actor: User, path: str) -> bool:
    scope = actor.scope_path
    return bool(scope) and path.startswith(scope)


def _check_scope(actor: User, path: str) -> None:
    if not in_scope(actor, path):
        raise InvalidInput("该对象不存在或不在您的辖区。", field="object")


def document_render(*, actor: User, kind: str, obj: models.Model) -> RenderedDocument:
    """Render ``kind`` from ``obj``, store it by SHA-256 and record it (one transaction: a
    numbered document that fails to render gives its number back)."""
    require(actor, "document.render")
    try:
        with transaction.atomic():
            result = renderers.render(kind, obj)
            _check_scope(actor, result.jurisdiction_path)
            return store_rendered(
                actor=actor, content=result.content, filename=result.filename, kind=kind, title=result.title,
                number=result.number, project=result.project, household=result.household, source=obj,
                jurisdiction_path=result.jurisdiction_path,
            )
    except (TemplateDoesNotExist, TemplateSyntaxError) as exc:
        # Template errors are for staff (logged, shown on the staff page), never a stack trace.
        log.exception("document template error: %s", kind)
        raise InvalidInput(f"文书模板有误，无法生成：{exc}", field="kind") from exc


def _batch_objects(project: Project, kind: str) -> list[Any]:
    from zhengqian.compensation.models import Agreement, Valuation
    from zhengqian.households.models import Household

    if kind == "agreement":
        return list(Agreement.objects.filter(project=project).select_related("household__village", "project")
                    .order_by("year", "serial"))
    if kind == "valuation_statement":
        return list(Valuation.objects.filter(household__project=project, is_current=True)
                    .select_related("household__village").order_by("household__code"))
    if kind == "survey_sheet":
        return list(Household.objects.filter(project=project, surveys__isnull=False).distinct()
                    .select_related("village", "group", "project").order_by("code"))
    return list(Household.objects.filter(project=project, status="registered")
                .select_related("village", "project__district").order_by("code"))


def batch_start(*, actor: User, project: Project, kind: str) -> RenderJob:
    """Open a batch job for every ``kind`` document of ``project``; run it with ``batch_run``."""
    require(actor, "document.render")
    if kind not in BATCH_KINDS:
        raise InvalidInput("请选择要批量生成的文书类型。", field="kind")
    from zhengqian.projects.selectors import projects_for

    if not projects_for(user=actor).filter(pk=project.pk).exists():
        raise InvalidInput("征地项目不存在或不在您的辖区。", field="project")
    total = len(_batch_objects(project, kind))
    if total == 0:
        raise InvalidInput(f"本项目没有可生成“{BATCH_KINDS[kind]}”的对象。", field="kind")
    with transaction.atomic():
        job = RenderJob.objects.create(project=project, kind=kind, total=total, created_by=actor,
                                       created_at=clock.now())
        audit.record(actor=actor, action="document.batch_start", obj=job, after={"kind": kind, "total": total},
                     jurisdiction_path=project.district.path)
    return job


def batch_run(*, actor: User, job: RenderJob) -> RenderJob:
    """Render the job's documents one by one; progress (done/failed) is saved after each, so
    the staff page can show it while it runs. A failing document is listed, not fatal."""
    objects = [obj for obj in _batch_objects(job.project, job.kind) if in_scope(actor, _path(obj))]
    done = failed = 0
    errors: list[str] = []
    for obj in objects[: job.total]:
        try:
            document_render(actor=actor, kind=job.kind, obj=obj)
            done += 1
        except InvalidInput as exc:
            failed += 1
            errors.append(f"{obj}: {exc.message}")
        RenderJob.objects.filter(pk=job.pk).update(done=done, failed=failed, errors=errors[-50:])
    missing = job.total - done - failed
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job.pk)
        job.failed = failed + missing
        job.status = JobStatus.DONE if job.failed == 0 else JobStatus.FAILED
        job.finished_at = clock.now()
        job.save(update_fields=["failed", "status", "finished_at"])
        audit.record(actor=actor, action="document.batch_finish", obj=job,
                     after={"done": job.done, "failed": job.failed}, jurisdiction_path=job.project.district.path)
    return job


def _path(obj: Any) -> str:
    household = getattr(obj, "household", None) or obj
    return str(household.village.path)


def batch_launch(*, actor: User, job: RenderJob) -> None:
    """Run the batch in a background thread after commit (settings.DOCUMENTS_BATCH_IN_BACKGROUND,
    default on), or at once."""
    from django.conf import settings

    if getattr(settings, "DOCUMENTS_BATCH_IN_BACKGROUND", True):
        import threading

        worker = threading.Thread(target=_run_in_thread, args=(actor.pk, job.pk), daemon=True)
        transaction.on_commit(worker.start)
    else:
        batch_run(actor=actor, job=job)


def _run_in_thread(actor_id: int, job_id: int) -> None:
    from django.db import close_old_connections

    try:
        batch_run(actor=User.objects.get(pk=actor_id), job=RenderJob.objects.select_related("project").get(pk=job_id))
    except Exception:
        log.exception("document batch %s failed", job_id)
        RenderJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(status=JobStatus.FAILED,
                                                                             finished_at=clock.now())
    finally:
        close_old_connections()
