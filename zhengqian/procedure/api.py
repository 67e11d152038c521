"""API of the procedure: state of a project's and a household's steps, the actions that move
them (refusals are 400 with the clause), the overdue board. Same selectors and actions as the
staff pages, scoped the same way."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.policy import ACTORS, EVIDENCE_KINDS
from zhengqian.households.selectors import household_get
from zhengqian.projects.selectors import project_get

from . import actions, selectors
from .actions import Upload
from .models import ProcedureDocument

router = Router(tags=["法定程序"])


class EvidenceOut(Schema):
    kind: str
    name: str
    sha256: str


class StepOut(Schema):
    code: str
    name: str
    scope: str
    optional: bool
    state: str
    state_label: str
    actor: str
    actor_label: str
    clause: str
    due: date | None
    due_provisional: bool
    due_clause: str
    days_left: int | None
    not_before: date | None
    done_on: date | None
    done_by: str
    basis: str
    waive_reason: str
    can_complete: bool
    evidence_required: list[str]
    evidence: list[EvidenceOut]
    reasons: list[str]


def _step(view: selectors.StepView) -> dict[str, Any]:
    status, row, step = view.status, view.row, view.step
    return {
        "code": step.code,
        "name": step.name,
        "scope": step.scope,
        "optional": step.optional,
        "state": view.state,
        "state_label": view.state_label,
        "actor": step.actor,
        "actor_label": ACTORS.get(step.actor, step.actor),
        "clause": step.citation.label,
        "due": status.due.due if status.due else None,
        "due_provisional": bool(status.due and status.due.provisional),
        "due_clause": status.due.clause if status.due else "",
        "days_left": status.days_left,
        "not_before": status.not_before.due if status.not_before else None,
        "done_on": row.done_on if row else None,
        "done_by": row.done_by.username if row is not None and row.done_by is not None else "",
        "basis": row.basis if row else "",
        "waive_reason": row.waive_reason if row else "",
        "can_complete": status.can_complete,
        "evidence_required": list(step.evidence),
        "evidence": [{"kind": e.kind, "name": e.file.original_name, "sha256": e.file.sha256} for e in view.evidence],
        "reasons": list(status.reasons),
    }


class FactOut(Schema):
    code: str
    label: str
    value: bool
    derived: bool
    recorded_by: str
    recorded_at: datetime | None
    reason: str
    evidence_sha256: str


class ProjectProcedureOut(Schema):
    project_id: int
    policy_pack: str
    today: date
    steps: list[StepOut]
    facts: list[FactOut]


class HouseholdProcedureOut(Schema):
    household_id: int
    project_id: int
    today: date
    steps: list[StepOut]
    chain_started: bool
    chain: list[StepOut]


class ReasonIn(Schema):
    reason: str


class AttendanceIn(Schema):
    household_id: int
    attendance: str
    proxy_name: str = ""


class DocumentOut(Schema):
    id: int
    project_id: int
    household_id: int | None
    kind: str
    number: str
    title: str
    issued_on: date
    status: str
    registration_deadline: date | None
    published_on: date | None
    posting_place: str
    served_on: date | None
    service_method: str
    served_to: str
    html_sha256: str
    pdf_sha256: str

    @staticmethod
    def resolve_pdf_sha256(obj: ProcedureDocument) -> str:
        return obj.pdf.sha256


class AssemblyOut(Schema):
    id: int
    project_id: int
    held_on: date
    place: str
    closed: bool
    total: int
    present: int
    proxies: int
    required: int
    quorum_met: bool
    explanation: str


class BoardIn(Schema):
    project: int | None = None
    township: int | None = None
    step: str = ""
    overdue: bool = False
    page: int = 1


class BoardRowOut(Schema):
    step_id: int
    project_id: int
    project_code: str
    household_id: int | None
    code: str
    name: str
    due_on: date
    due_provisional: bool
    days_left: int
    overdue: bool
    clause: str


class BoardOut(Schema):
    page: int
    has_next: bool
    overdue_count: int
    items: list[BoardRowOut]


def _uploads(files: list[UploadedFile] | None, kinds: str) -> list[Upload]:
    files = files or []
    names = [kind.strip() for kind in kinds.split(",") if kind.strip()]
    if len(names) != len(files):
        raise InvalidInput("kinds 应为与文件一一对应的证据类型（逗号分隔）。", field="kinds")
    for kind in names:
        if kind not in EVIDENCE_KINDS:
            raise InvalidInput(f"未知的证据类型：{kind}", field="kinds")
    return [
        Upload(kind, f.read(), f.name or "未命名", f.content_type or "application/octet-stream")
        for kind, f in zip(names, files, strict=True)
    ]


def _project_out(project_id: int, request: HttpRequest) -> dict[str, Any]:
    data = selectors.project_procedure(user=request.user, pk=project_id)
    return {
        "project_id": data.project.pk,
        "policy_pack": data.pack.code,
        "today": data.today,
        "steps": [_step(view) for view in data.steps],
        "facts": [
            {
                "code": f.code,
                "label": f.label,
                "value": f.value,
                "derived": f.derived,
                "recorded_by": f.row.recorded_by.username if f.row else "",
                "recorded_at": f.row.recorded_at if f.row else None,
                "reason": f.row.reason if f.row else "",
                "evidence_sha256": f.row.evidence.sha256 if f.row and f.row.evidence else "",
            }
            for f in data.facts
        ],
    }


def _household_out(household_id: int, request: HttpRequest) -> dict[str, Any]:
    data = selectors.household_procedure(user=request.user, pk=household_id)
    return {
        "household_id": data.household.pk,
        "project_id": data.project.pk,
        "today": data.today,
        "steps": [_step(view) for view in data.steps],
        "chain_started": data.chain_started,
        "chain": [_step(view) for view in data.chain],
    }


@router.get(
    "/projects/{int:project_id}", response=ProjectProcedureOut, summary="项目程序状态", url_name="procedure_project"
)
def project_procedure(request: HttpRequest, project_id: int) -> object:
    return _project_out(project_id, request)


@router.post(
    "/projects/{int:project_id}/steps/{code}/complete",
    response=ProjectProcedureOut,
    summary="登记项目步骤完成（multipart：done_on、kinds、files）",
    url_name="procedure_project_step_complete",
)
def project_step_complete(
    request: HttpRequest,
    project_id: int,
    code: str,
    done_on: Form[str] = "",
    note: Form[str] = "",
    override_reason: Form[str] = "",
    kinds: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> object:
    project = project_get(user=request.user, pk=project_id)
    actions.step_complete(
        actor=request.user,
        project=project,
        code=code,
        done_on=done_on,
        note=note,
        override_reason=override_reason,
        uploads=_uploads(files, kinds),
    )
    return _project_out(project_id, request)


@router.post(
    "/projects/{int:project_id}/steps/{code}/waive",
    response=ProjectProcedureOut,
    summary="豁免可选步骤",
    url_name="procedure_project_step_waive",
)
def project_step_waive(request: HttpRequest, project_id: int, code: str, payload: ReasonIn) -> object:
    project = project_get(user=request.user, pk=project_id)
    actions.step_waive(actor=request.user, project=project, code=code, reason=payload.reason)
    return _project_out(project_id, request)


@router.post(
    "/projects/{int:project_id}/facts",
    response=ProjectProcedureOut,
    summary="登记关口事实（multipart）",
    url_name="procedure_project_fact",
)
def project_fact(
    request: HttpRequest,
    project_id: int,
    code: Form[str] = "",
    value: Form[bool] = True,
    reason: Form[str] = "",
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> object:
    project = project_get(user=request.user, pk=project_id)
    upload = Upload("document", file.read(), file.name or "证明", file.content_type or "") if file else None
    actions.fact_record(actor=request.user, project=project, code=code, value=value, reason=reason, upload=upload)
    return _project_out(project_id, request)


@router.get(
    "/households/{int:household_id}",
    response=HouseholdProcedureOut,
    summary="到户程序状态",
    url_name="procedure_household",
)
def household_procedure(request: HttpRequest, household_id: int) -> object:
    return _household_out(household_id, request)


@router.post(
    "/households/{int:household_id}/steps/{code}/complete",
    response=HouseholdProcedureOut,
    summary="登记到户步骤完成（multipart）",
    url_name="procedure_household_step_complete",
)
def household_step_complete(
    request: HttpRequest,
    household_id: int,
    code: str,
    done_on: Form[str] = "",
    note: Form[str] = "",
    kinds: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> object:
    household = household_get(user=request.user, pk=household_id)
    actions.step_complete(
        actor=request.user,
        project=household.project,
        household=household,
        code=code,
        done_on=done_on,
        note=note,
        uploads=_uploads(files, kinds),
    )
    return _household_out(household_id, request)


@router.post(
    "/households/{int:household_id}/chain",
    response={201: HouseholdProcedureOut},
    summary="启动限期腾地程序",
    url_name="procedure_chain_start",
)
def chain_start(request: HttpRequest, household_id: int, payload: ReasonIn) -> Status:
    household = household_get(user=request.user, pk=household_id)
    actions.chain_start(actor=request.user, household=household, reason=payload.reason)
    return Status(201, _household_out(household_id, request))


@router.get("/board", response=BoardOut, summary="逾期看板（辖区内未完成期限，按剩余天数）", url_name="procedure_board")
def board(request: HttpRequest, filters: Query[BoardIn]) -> object:
    qs = selectors.board_steps(
        user=request.user,
        project_id=filters.project,
        township_id=filters.township,
        code=filters.step,
        overdue_only=filters.overdue,
    )
    rows, has_next = selectors.board_page(qs, max(filters.page, 1))
    return {
        "page": max(filters.page, 1),
        "has_next": has_next,
        "overdue_count": selectors.board_overdue_count(qs),
        "items": [
            {
                "step_id": r.row.pk,
                "project_id": r.row.project_id,
                "project_code": r.row.project.code,
                "household_id": r.row.household_id,
                "code": r.row.code,
                "name": r.name,
                "due_on": r.row.due_on,
                "due_provisional": r.row.due_provisional,
                "days_left": r.days_left,
                "overdue": r.overdue,
                "clause": r.row.due_clause,
            }
            for r in rows
        ],
    }


@router.get("/documents/{int:document_id}", response=DocumentOut, summary="文书", url_name="procedure_document_detail")
def document_detail(request: HttpRequest, document_id: int) -> object:
    return selectors.document_get(user=request.user, pk=document_id)


@router.post(
    "/documents/{int:document_id}/publish",
    response=DocumentOut,
    summary="登记公告张贴（multipart）",
    url_name="procedure_document_publish",
)
def document_publish(
    request: HttpRequest,
    document_id: int,
    published_on: Form[str] = "",
    posting_place: Form[str] = "",
    kinds: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> object:
    document = selectors.document_get(user=request.user, pk=document_id)
    uploads = _uploads(files, kinds)
    actions.notice_publish(
        actor=request.user,
        document=document,
        published_on=published_on,
        posting_place=posting_place,
        photos=[u for u in uploads if u.kind == "photo"],
        others=[u for u in uploads if u.kind != "photo"],
    )
    return selectors.document_get(user=request.user, pk=document_id)


@router.post(
    "/documents/{int:document_id}/serve",
    response=DocumentOut,
    summary="登记文书送达（multipart）",
    url_name="procedure_document_serve",
)
def document_serve(
    request: HttpRequest,
    document_id: int,
    served_on: Form[str] = "",
    method: Form[str] = "",
    served_to: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> object:
    document = selectors.document_get(user=request.user, pk=document_id)
    proofs = _uploads(files, ",".join("service_proof" for _ in (files or [])))
    actions.document_serve(
        actor=request.user, document=document, served_on=served_on, method=method, served_to=served_to, proofs=proofs
    )
    return selectors.document_get(user=request.user, pk=document_id)


def _assembly_out(assembly: Any) -> dict[str, Any]:
    tally = actions.assembly_tally(assembly)
    return {
        "id": assembly.pk,
        "project_id": assembly.project_id,
        "held_on": assembly.held_on,
        "place": assembly.place,
        "closed": assembly.closed,
        "total": assembly.total,
        "present": assembly.present,
        "proxies": assembly.proxies,
        "required": tally.required,
        "quorum_met": tally.met,
        "explanation": tally.explanation,
    }


@router.get(
    "/assemblies/{int:assembly_id}",
    response=AssemblyOut,
    summary="被征地农民大会（实时计数）",
    url_name="procedure_assembly_detail",
)
def assembly_detail(request: HttpRequest, assembly_id: int) -> object:
    return _assembly_out(selectors.assembly_get(user=request.user, pk=assembly_id))


@router.post(
    "/assemblies/{int:assembly_id}/attendance",
    response=AssemblyOut,
    summary="登记出席 / 委托",
    url_name="procedure_assembly_attendance",
)
def assembly_attendance(request: HttpRequest, assembly_id: int, payload: AttendanceIn) -> object:
    assembly = selectors.assembly_get(user=request.user, pk=assembly_id)
    actions.attendance_set(
        actor=request.user,
        assembly=assembly,
        household_id=payload.household_id,
        attendance=payload.attendance,
        proxy_name=payload.proxy_name,
    )
    return _assembly_out(selectors.assembly_get(user=request.user, pk=assembly_id))
