"""Scope-sweep entries for the document service's object URLs (used by
zhengqian/core/tests/test_scope_sweep.py). The public portal's URLs need no login and show
only published items: they are listed as unscoped there."""

from __future__ import annotations

from typing import Any

from zhengqian.core import clock
from zhengqian.core.models import Role, User
from zhengqian.documents.models import RenderJob
from zhengqian.documents.storage import store_rendered


def _project(o: dict[str, Any]) -> dict[str, Any]:
    return {"project_id": o["project"].pk}


DOCUMENTS_URLS: dict[str, Any] = {
    "documents:project": _project,
    "documents:batch": _project,
    "documents:archive": _project,
    "documents:project_render": _project,
    "documents:household_by_code": _project,
    "documents:job": lambda o: {"pk": o["render_job"].pk},
    "documents:household_render": lambda o: {"pk": o["procedure_household"].pk},
    "documents:notice_poster": lambda o: {"pk": o["notice"].pk},
    "documents:download": lambda o: {"pk": o["rendered"].pk},
    "api-1:documents_project_list": _project,
    "api-1:documents_batch_start": _project,
    "api-1:documents_archive_build": _project,
    "api-1:documents_detail": lambda o: {"document_id": o["rendered"].pk},
    "api-1:documents_job": lambda o: {"job_id": o["render_job"].pk},
}

DOCUMENTS_BODIES: dict[str, Any] = {"api-1:documents_batch_start": lambda o: {"kind": "agreement"}}

PUBLIC_URLS: dict[str, str] = {
    "public:project": "public portal: published projects only, no login",
    "public:notice": "public portal: published notices only, no login",
    "public:notice_print": "public portal: published notices only, no login",
    "public:photo": "public portal: posting photos of published notices only, no login",
    "public:publicity": "public portal: published publicity lists (masked) only, no login",
}


def documents_objects(*, project: Any, household: Any) -> dict[str, Any]:
    office = User.objects.filter(role=Role.EXPROPRIATION_OFFICE, jurisdiction__level="district").first()
    assert office is not None
    rendered = store_rendered(actor=office, content=b"%PDF sweep rendered", filename="sweep.pdf", kind="survey_sheet",
                              title="调查确认表 sweep", project=project, household=household,
                              jurisdiction_path=household.village.path)
    job = RenderJob.objects.create(project=project, kind="agreement", total=1, created_by=office,
                                   created_at=clock.now())
    return {"rendered": rendered, "render_job": job}
