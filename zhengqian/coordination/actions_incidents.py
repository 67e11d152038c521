"""Incidents (突发事件, yongzhou-linkage 五(三)): the township's first report and first
response, the 2-hour clock of a larger incident, the joint meeting of a major one, the
timeline, and in-app escalation notices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.urls import reverse

from zhengqian.core import audit, clock
from zhengqian.core.models import Jurisdiction, JurisdictionLevel, User
from zhengqian.core.permissions import require
from zhengqian.domain import coordination as rules
from zhengqian.domain.errors import InvalidInput
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from . import notify
from .models import Incident, IncidentAction, IncidentStatus

FIELDS = ["severity", "status", "on_site_due", "arrived_at", "leader_name", "closed_at"]


def timeline_add(incident: Incident, actor: User | None, kind: str, text: str) -> IncidentAction:
    return IncidentAction.objects.create(incident=incident, at=clock.now(), kind=kind, text=text, actor=actor)


def _escalate(incident: Incident, *, late: bool = False) -> int:
    """Tell the district office and leadership (and the township clerks) at once."""
    level = rules.Severity(incident.severity)
    if level is rules.Severity.GENERAL:
        return 0
    state = rules.escalation(level, reported_at=incident.reported_at, now=clock.now())
    url = reverse("coordination:incident", kwargs={"pk": incident.pk})
    due = incident.on_site_due.astimezone(clock.LOCAL_ZONE) if incident.on_site_due else None
    if late:
        key, title = f"incident-late:{incident.pk}", f"超时未到场：{incident.project.code} {level.label}"
        body = (
            f"{incident.place} 的{level.label}已超过 {rules.ON_SITE_HOURS} 小时，"
            f"尚未记录负责人到场（{rules.CLAUSE_INCIDENT}）。"
        )
    else:
        key, title = f"incident:{incident.pk}", f"{level.label}：{incident.project.code} {incident.place}"
        body = f"{state.handled_by}"
        if due is not None:
            body += f"，须于 {due:%Y-%m-%d %H:%M} 前到场"
        body += f"（{rules.CLAUSE_INCIDENT}）。"
    users = notify.office_users(incident.jurisdiction_path) + notify.township_clerks(incident.jurisdiction_path)
    return notify.send(users, key=key, title=title, body=body, url=url)


def incident_report(
    *,
    actor: User,
    project: Project,
    township: Jurisdiction,
    occurred_at: datetime,
    place: str,
    size: int,
    severity: str,
    summary: str,
    first_response: str = "",
    households: Sequence[Household] = (),
) -> Incident:
    """The township's first report to the project command, with its first response; a larger
    or major incident starts the on-site clock and notifies at once (yongzhou-linkage 五(三))."""
    require(actor, "incident.report")
    try:
        level = rules.Severity(severity)
    except ValueError:
        raise InvalidInput("事件等级不正确。", field="severity") from None
    if township.level != JurisdictionLevel.TOWNSHIP or not project.townships.filter(pk=township.pk).exists():
        raise InvalidInput("报告镇街不在项目范围内。", field="township")
    if actor.scope_path is None or not township.path.startswith(actor.scope_path):
        raise InvalidInput("只能报告本辖区的事件。", field="township")
    if not place.strip():
        raise InvalidInput("请填写地点。", field="place")
    if not summary.strip():
        raise InvalidInput("请填写事件概况。", field="summary")
    if size < 1:
        raise InvalidInput("涉及人数至少为 1。", field="size")
    now = clock.now()
    if occurred_at > now:
        raise InvalidInput("发生时间不能晚于现在。", field="occurred_at")
    for household in households:
        if household.project_id != project.pk:
            raise InvalidInput(f"户 {household.code} 不属于此项目。", field="households")
    state = rules.escalation(level, reported_at=now, now=now)
    with transaction.atomic():
        incident = Incident.objects.create(
            project=project,
            township=township,
            occurred_at=occurred_at,
            place=place.strip(),
            size=size,
            severity=level.value,
            summary=summary.strip(),
            first_response=first_response.strip(),
            reported_at=now,
            reported_by=actor,
            on_site_due=state.on_site_due,
            jurisdiction_path=township.path,
        )
        incident.households.set(households)
        timeline_add(incident, actor, "report", f"{township.name}向项目指挥部报告：{incident.summary}")
        if incident.first_response:
            timeline_add(incident, actor, "first_response", f"先期处置：{incident.first_response}")
        if state.escalated:
            timeline_add(incident, None, "escalation", f"{level.label}：{state.handled_by}（{rules.CLAUSE_INCIDENT}）")
            _escalate(incident)
        audit.record(
            actor=actor,
            action="incident.report",
            obj=incident,
            after=audit.snapshot(incident, FIELDS),
            jurisdiction_path=incident.jurisdiction_path,
        )
    return incident


def _locked(incident: Incident) -> Incident:
    locked = Incident.objects.select_for_update().select_related("project").get(pk=incident.pk)
    if locked.status != IncidentStatus.OPEN:
        raise InvalidInput("事件已结案。", field="incident")
    return locked


def incident_arrival(*, actor: User, incident: Incident, leader_name: str, arrived_at: datetime) -> Incident:
    """Record the responsible leader's arrival on site (yongzhou-linkage 五(三): within 2 hours)."""
    require(actor, "incident.manage")
    if not leader_name.strip():
        raise InvalidInput("请填写到场负责人。", field="leader_name")
    if arrived_at > clock.now():
        raise InvalidInput("到场时间不能晚于现在。", field="arrived_at")
    with transaction.atomic():
        incident = _locked(incident)
        if arrived_at < incident.occurred_at:
            raise InvalidInput("到场时间不能早于发生时间。", field="arrived_at")
        before = audit.snapshot(incident, FIELDS)
        incident.leader_name = leader_name.strip()
        incident.arrived_at = arrived_at
        incident.save(update_fields=["leader_name", "arrived_at"])
        state = rules.escalation(
            incident.severity, reported_at=incident.reported_at, now=clock.now(), arrived_at=arrived_at
        )
        late = "（超过2小时时限）" if state.on_site_late else ""
        local = arrived_at.astimezone(clock.LOCAL_ZONE)
        timeline_add(incident, actor, "arrival", f"{incident.leader_name} {local:%Y-%m-%d %H:%M} 到达现场{late}")
        audit.record(
            actor=actor,
            action="incident.arrival",
            obj=incident,
            before=before,
            after=audit.snapshot(incident, FIELDS),
            jurisdiction_path=incident.jurisdiction_path,
        )
    return incident


def incident_note(*, actor: User, incident: Incident, text: str) -> IncidentAction:
    """Add a handling step to the timeline."""
    require(actor, "incident.report")
    if not text.strip():
        raise InvalidInput("请填写处置情况。", field="text")
    with transaction.atomic():
        incident = _locked(incident)
        entry = timeline_add(incident, actor, "action", text.strip())
        audit.record(
            actor=actor,
            action="incident.note",
            obj=incident,
            after={"text": entry.text},
            jurisdiction_path=incident.jurisdiction_path,
        )
    return entry


def incident_close(*, actor: User, incident: Incident, text: str) -> Incident:
    """Close an incident: a larger one after the arrival is recorded, a major one after its
    joint meeting (yongzhou-linkage 五(三))."""
    require(actor, "incident.manage")
    if not text.strip():
        raise InvalidInput("请填写处置结果。", field="text")
    with transaction.atomic():
        incident = _locked(incident)
        rules.ensure_can_close_incident(
            incident.severity, arrived_at=incident.arrived_at, joint_meeting_held=incident.meetings.exists()
        )
        before = audit.snapshot(incident, FIELDS)
        incident.status = IncidentStatus.CLOSED
        incident.closed_at = clock.now()
        incident.save(update_fields=["status", "closed_at"])
        timeline_add(incident, actor, "close", f"结案：{text.strip()}")
        audit.record(
            actor=actor,
            action="incident.close",
            obj=incident,
            before=before,
            after=audit.snapshot(incident, FIELDS),
            jurisdiction_path=incident.jurisdiction_path,
        )
    return incident


def incidents_check_clock(now: datetime | None = None) -> int:
    """Notify once for each open escalated incident past its on-site deadline with no arrival
    recorded (run by ``coordination_scan``); returns how many incidents were escalated."""
    now = now or clock.now()
    late = Incident.objects.filter(
        status=IncidentStatus.OPEN,
        arrived_at__isnull=True,
        on_site_due__lt=now,
        late_notified=False,
    ).select_related("project")
    count = 0
    for incident in late:
        with transaction.atomic():
            if not Incident.objects.filter(pk=incident.pk, late_notified=False).update(late_notified=True):
                continue
            timeline_add(incident, None, "late", f"超过{rules.ON_SITE_HOURS}小时未记录负责人到场，已逐级提醒")
            _escalate(incident, late=True)
            audit.record(
                actor=None,
                action="incident.late",
                obj=incident,
                after={"on_site_due": incident.on_site_due},
                jurisdiction_path=incident.jurisdiction_path,
            )
            count += 1
    return count
