"""The coordination API (/api/v1/coordination/): the same selectors and actions as the pages."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from zhengqian.core.api import page_slice
from zhengqian.core.models import Department
from zhengqian.core.selectors import townships_for
from zhengqian.domain.errors import InvalidInput
from zhengqian.households.selectors import households_for
from zhengqian.projects.selectors import project_get

from . import actions, actions_incidents, actions_petitions, assessment, selectors
from .models import Task

router = Router(tags=["协调督办"])


class DutyOut(Schema):
    clause: str
    text: str


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    duties: list[DutyOut]

    @staticmethod
    def resolve_duties(obj: Department) -> list[DutyOut]:
        return [DutyOut(clause=d.clause, text=d.text) for d in obj.duties.all()]


class TaskOut(Schema):
    id: int
    title: str
    detail: str
    project_id: int
    household_id: int | None
    department_id: int | None
    township_id: int | None
    source: str
    decision_id: int | None
    incident_id: int | None
    status: str
    given_on: date
    period: str
    due_on: date
    due_provisional: bool
    due_clause: str
    completed_on: date | None
    completion_note: str
    cancel_reason: str
    evidence_sha256: str | None

    @staticmethod
    def resolve_evidence_sha256(obj: Task) -> str | None:
        return obj.evidence.sha256 if obj.evidence_id else None  # type: ignore[union-attr]


class TaskPage(Schema):
    count: int
    page: int
    items: list[TaskOut]


class TaskFilter(Schema):
    department_id: int | None = None
    project_id: int | None = None
    status: str = ""
    overdue: bool = False
    page: int = 1


class OwnerIn(Schema):
    department_id: int | None = None
    township_id: int | None = None


class TaskIn(Schema):
    project_id: int
    owner: OwnerIn
    title: str
    detail: str = ""
    period_count: int = 10
    period_unit: str = "working_days"


class TaskCancelIn(Schema):
    reason: str


class TaskCompleteIn(Schema):
    note: str
    completed_on: date | None = None
    evidence_name: str
    evidence_base64: str


class DecisionOut(Schema):
    id: int
    number: int
    text: str
    project_id: int
    task_ids: list[int]

    @staticmethod
    def resolve_task_ids(obj: object) -> list[int]:
        return [t.pk for t in obj.tasks.all()]  # type: ignore[attr-defined]


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    place: str
    chair: str
    agenda: str
    attendees: str
    minutes: str
    incident_id: int | None
    department_ids: list[int]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_department_ids(obj: object) -> list[int]:
        return [d.pk for d in obj.departments.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_decisions(obj: object) -> list[object]:
        return list(obj.decisions.all())  # type: ignore[attr-defined]


class MeetingIn(Schema):
    kind: str = "joint_meeting"
    title: str
    held_on: date
    place: str = ""
    chair: str = ""
    agenda: str = ""
    department_ids: list[int] = []
    attendees: str = ""
    minutes: str = ""
    incident_id: int | None = None


class DecisionIn(Schema):
    text: str
    project_id: int
    owners: list[OwnerIn]
    period_count: int = 10
    period_unit: str = "working_days"


class IncidentOut(Schema):
    id: int
    project_id: int
    township_id: int
    occurred_at: datetime
    place: str
    size: int
    severity: str
    summary: str
    first_response: str
    reported_at: datetime
    on_site_due: datetime | None
    leader_name: str
    arrived_at: datetime | None
    status: str
    household_ids: list[int]

    @staticmethod
    def resolve_household_ids(obj: object) -> list[int]:
        return [h.pk for h in obj.households.all()]  # type: ignore[attr-defined]


class IncidentIn(Schema):
    project_id: int
    township_id: int
    occurred_at: datetime
    place: str
    size: int
    severity: str
    summary: str
    first_response: str = ""
    household_ids: list[int] = []


class ArrivalIn(Schema):
    leader_name: str
    arrived_at: datetime


class TextIn(Schema):
    text: str


class PetitionOut(Schema):
    id: int
    project_id: int
    household_id: int | None
    township_id: int
    petitioner: str
    channel: str
    summary: str
    received_on: date
    due_on: date
    extended: bool
    department_id: int | None
    status: str
    answer: str
    answered_on: date | None


class PetitionIn(Schema):
    project_id: int
    township_id: int
    petitioner: str
    summary: str
    received_on: date
    channel: str = "来访"
    household_id: int | None = None


class AnswerIn(Schema):
    answer: str
    answered_on: date | None = None


class SalvageOut(Schema):
    id: int
    building_id: int
    project_id: int
    owner_type: str
    valued_amount: Decimal
    proceeds: Decimal
    disposed_on: date
    buyer: str
    method: str
    filing_reference: str
    entry_id: int


class SalvageIn(Schema):
    project_id: int
    household_code: str
    building_code: str
    owner_type: str
    valued_amount: Decimal
    proceeds: Decimal
    disposed_on: date
    buyer: str
    filing_reference: str = ""
    evidence_name: str
    evidence_base64: str


class IndicatorOut(Schema):
    code: str
    label: str
    good: int
    total: int
    weight: int
    rate: Decimal | None


class SubjectOut(Schema):
    kind: str
    label: str
    township_id: int | None
    department_id: int | None
    indicators: list[IndicatorOut]
    incidents: dict[str, int]
    overdue_petitions: int
    score: Decimal


def _owner(request: HttpRequest, owner: OwnerIn) -> actions.Owner:
    if owner.department_id is not None and owner.township_id is None:
        department = Department.objects.filter(pk=owner.department_id).first()
        if department is None:
            raise InvalidInput("部门不存在。", field="owner.department_id")
        return actions.Owner(department=department)
    if owner.township_id is not None and owner.department_id is None:
        township = townships_for(user=request.user).filter(pk=owner.township_id).first()
        if township is None:
            raise InvalidInput("镇街不存在或不在您的辖区。", field="owner.township_id")
        return actions.Owner(township=township)
    raise InvalidInput("请给出 department_id 或 township_id 之一。", field="owner")


@router.get("/departments", response=list[DepartmentOut], summary="职能部门及职责")
def coordination_department_list(request: HttpRequest) -> list[Department]:
    return list(Department.objects.prefetch_related("duties").order_by("pk"))


@router.get("/tasks", response=TaskPage, summary="督办任务（本人辖区）")
def coordination_task_list(request: HttpRequest, filters: Query[TaskFilter]) -> dict[str, object]:
    qs = selectors.tasks_for(
        user=request.user,
        department_id=filters.department_id,
        project_id=filters.project_id,
        status=filters.status,
        overdue_only=filters.overdue,
    ).select_related("evidence")
    return {"count": qs.count(), "page": max(filters.page, 1), "items": list(qs[page_slice(filters.page)])}


@router.get("/tasks/{task_id}", response=TaskOut, summary="任务详情")
def coordination_task_detail(request: HttpRequest, task_id: int) -> object:
    return selectors.task_get(user=request.user, pk=task_id)


@router.post("/tasks", response={201: TaskOut}, summary="交办任务")
def coordination_task_create(request: HttpRequest, payload: TaskIn) -> Status:
    task = actions.task_create(
        actor=request.user,
        project=project_get(user=request.user, pk=payload.project_id),
        owner=_owner(request, payload.owner),
        title=payload.title,
        detail=payload.detail,
        period_count=payload.period_count,
        period_unit=payload.period_unit,
    )
    return Status(201, selectors.task_get(user=request.user, pk=task.pk))


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="办结任务（材料以 base64 上传）")
def coordination_task_complete(request: HttpRequest, task_id: int, payload: TaskCompleteIn) -> object:
    task = selectors.task_get(user=request.user, pk=task_id)
    try:
        content = base64.b64decode(payload.evidence_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("办结材料不是有效的 base64。", field="evidence_base64") from None
    actions.task_complete(
        actor=request.user,
        task=task,
        note=payload.note,
        completed_on=payload.completed_on,
        evidence=actions.Upload(content, payload.evidence_name),
    )
    return selectors.task_get(user=request.user, pk=task_id)


@router.post("/tasks/{task_id}/cancel", response=TaskOut, summary="撤销任务（须写明理由）")
def coordination_task_cancel(request: HttpRequest, task_id: int, payload: TaskCancelIn) -> object:
    task = selectors.task_get(user=request.user, pk=task_id)
    actions.task_cancel(actor=request.user, task=task, reason=payload.reason)
    return selectors.task_get(user=request.user, pk=task_id)


@router.get("/meetings", response=list[MeetingOut], summary="联席会议（最近 100 次）")
def coordination_meeting_list(request: HttpRequest) -> list[object]:
    return list(selectors.meetings_for(user=request.user).prefetch_related("departments", "decisions__tasks")[:100])


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="会议详情")
def coordination_meeting_detail(request: HttpRequest, meeting_id: int) -> object:
    return selectors.meeting_get(user=request.user, pk=meeting_id)


@router.post("/meetings", response={201: MeetingOut}, summary="记录联席会议或联合行动")
def coordination_meeting_create(request: HttpRequest, payload: MeetingIn) -> Status:
    departments = list(Department.objects.filter(pk__in=payload.department_ids))
    if len(departments) != len(set(payload.department_ids)):
        raise InvalidInput("参会部门不存在。", field="department_ids")
    incident = selectors.incident_get(user=request.user, pk=payload.incident_id) if payload.incident_id else None
    meeting = actions.meeting_record(
        actor=request.user,
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on,
        place=payload.place,
        chair=payload.chair,
        agenda=payload.agenda,
        departments=departments,
        attendees=payload.attendees,
        minutes=payload.minutes,
        incident=incident,
    )
    return Status(201, selectors.meeting_get(user=request.user, pk=meeting.pk))


@router.post("/meetings/{meeting_id}/decisions", response={201: DecisionOut}, summary="录入决议（生成任务）")
def coordination_decision_create(request: HttpRequest, meeting_id: int, payload: DecisionIn) -> Status:
    meeting = selectors.meeting_get(user=request.user, pk=meeting_id)
    decision = actions.decision_record(
        actor=request.user,
        meeting=meeting,
        text=payload.text,
        project=project_get(user=request.user, pk=payload.project_id),
        owners=[_owner(request, o) for o in payload.owners],
        period_count=payload.period_count,
        period_unit=payload.period_unit,
    )
    return Status(201, decision)


@router.get("/incidents", response=list[IncidentOut], summary="突发事件（最近 100 起）")
def coordination_incident_list(request: HttpRequest) -> list[object]:
    return list(selectors.incidents_for(user=request.user).prefetch_related("households")[:100])


@router.get("/incidents/{incident_id}", response=IncidentOut, summary="事件详情")
def coordination_incident_detail(request: HttpRequest, incident_id: int) -> object:
    return selectors.incident_get(user=request.user, pk=incident_id)


@router.post("/incidents", response={201: IncidentOut}, summary="报告突发事件")
def coordination_incident_create(request: HttpRequest, payload: IncidentIn) -> Status:
    project = project_get(user=request.user, pk=payload.project_id)
    township = townships_for(user=request.user).filter(pk=payload.township_id).first()
    if township is None:
        raise InvalidInput("镇街不存在或不在您的辖区。", field="township_id")
    households = list(households_for(user=request.user, project_id=project.pk).filter(pk__in=payload.household_ids))
    if len(households) != len(set(payload.household_ids)):
        raise InvalidInput("涉及户不存在或不在您的辖区。", field="household_ids")
    incident = actions_incidents.incident_report(
        actor=request.user,
        project=project,
        township=township,
        occurred_at=payload.occurred_at,
        place=payload.place,
        size=payload.size,
        severity=payload.severity,
        summary=payload.summary,
        first_response=payload.first_response,
        households=households,
    )
    return Status(201, selectors.incident_get(user=request.user, pk=incident.pk))


@router.post("/incidents/{incident_id}/arrival", response=IncidentOut, summary="记录负责人到场")
def coordination_incident_arrival(request: HttpRequest, incident_id: int, payload: ArrivalIn) -> object:
    incident = selectors.incident_get(user=request.user, pk=incident_id)
    actions_incidents.incident_arrival(
        actor=request.user, incident=incident, leader_name=payload.leader_name, arrived_at=payload.arrived_at
    )
    return selectors.incident_get(user=request.user, pk=incident_id)


@router.post("/incidents/{incident_id}/close", response=IncidentOut, summary="结案")
def coordination_incident_close(request: HttpRequest, incident_id: int, payload: TextIn) -> object:
    incident = selectors.incident_get(user=request.user, pk=incident_id)
    actions_incidents.incident_close(actor=request.user, incident=incident, text=payload.text)
    return selectors.incident_get(user=request.user, pk=incident_id)


@router.get("/petitions", response=list[PetitionOut], summary="信访件（最近 100 件）")
def coordination_petition_list(request: HttpRequest) -> list[object]:
    return list(selectors.petitions_for(user=request.user)[:100])


@router.post("/petitions", response={201: PetitionOut}, summary="受理信访件")
def coordination_petition_create(request: HttpRequest, payload: PetitionIn) -> Status:
    project = project_get(user=request.user, pk=payload.project_id)
    township = townships_for(user=request.user).filter(pk=payload.township_id).first()
    if township is None:
        raise InvalidInput("镇街不存在或不在您的辖区。", field="township_id")
    household = None
    if payload.household_id is not None:
        household = households_for(user=request.user, project_id=project.pk).filter(pk=payload.household_id).first()
        if household is None:
            raise InvalidInput("户不存在或不在您的辖区。", field="household_id")
    petition = actions_petitions.petition_receive(
        actor=request.user,
        project=project,
        township=township,
        petitioner=payload.petitioner,
        summary=payload.summary,
        received_on=payload.received_on,
        channel=payload.channel,
        household=household,
    )
    return Status(201, petition)


@router.post("/petitions/{petition_id}/answer", response=PetitionOut, summary="答复信访件")
def coordination_petition_answer(request: HttpRequest, petition_id: int, payload: AnswerIn) -> object:
    petition = selectors.petition_get(user=request.user, pk=petition_id)
    return actions_petitions.petition_answer(
        actor=request.user, petition=petition, answer=payload.answer, answered_on=payload.answered_on
    )


def _decoded(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("凭证不是有效的 base64。", field="evidence_base64") from None


@router.get("/salvage", response=list[SalvageOut], summary="残值处置（最近 100 条）")
def coordination_salvage_list(request: HttpRequest) -> list[object]:
    from .views_salvage import salvages_for

    return list(salvages_for(request.user)[:100])


@router.post("/salvage", response={201: SalvageOut}, summary="登记残值处置并入账（凭证以 base64 上传）")
def coordination_salvage_create(request: HttpRequest, payload: SalvageIn) -> Status:
    from .actions_salvage import salvage_record
    from .views_salvage import building_by_codes

    project = project_get(user=request.user, pk=payload.project_id)
    salvage = salvage_record(
        actor=request.user,
        building=building_by_codes(request.user, project.pk, payload.household_code, payload.building_code),
        owner_type=payload.owner_type,
        valued_amount=payload.valued_amount,
        proceeds=payload.proceeds,
        disposed_on=payload.disposed_on,
        buyer=payload.buyer,
        filing_reference=payload.filing_reference,
        evidence=actions.Upload(_decoded(payload.evidence_base64), payload.evidence_name),
    )
    return Status(201, salvage)


@router.get("/assessment/{period}", response=list[SubjectOut], summary="年度考核指标与得分（实时计算）")
def coordination_assessment_figures(request: HttpRequest, period: str) -> list[dict[str, object]]:
    return [
        {
            "kind": row.kind,
            "label": row.label,
            "township_id": row.township.pk if row.township else None,
            "department_id": row.department.pk if row.department else None,
            "indicators": [
                {"code": i.code, "label": i.label, "good": i.good, "total": i.total, "weight": i.weight, "rate": i.rate}
                for i in row.indicators
            ],
            "incidents": row.incidents,
            "overdue_petitions": row.overdue_petitions,
            "score": row.score,
        }
        for row in assessment.dashboard(user=request.user, period=period)
    ]
