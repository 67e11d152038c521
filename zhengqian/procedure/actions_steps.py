"""Completing, waiving and overriding steps; recording facts; late registration.

Every completion goes through the pure engine's ``check_complete`` (order, gates, dates,
periods, evidence — refused with the clause) plus the few gates only the database can answer
(a quorate assembly, an accepted coordination opinion, a triggered hearing). A refusal
changes nothing and writes no audit event. Two clerks completing the same step: the step's
scope row (project or household) and the step row are locked, so the second one waits and is
then told the step is already done; the rows' unique constraints stop duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhengqian.core import audit, clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import EvidenceFile, Role, User
from zhengqian.core.permissions import PermissionDeniedError, can, require
from zhengqian.domain import procedure as engine_rules
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.policy import ACTORS, EVIDENCE_KINDS, FACTS, PolicyPack
from zhengqian.households.models import Household, HouseholdStatus, RegisterFreeze
from zhengqian.projects.models import Project

from . import engine
from .models import (
    Assembly,
    Hearing,
    OpinionOutcome,
    ProcedureDocument,
    ProcedureStep,
    StepBasis,
    StepEvidence,
    StepScope,
    StepStatus,
)

ROW_FIELDS = [
    "status",
    "started_on",
    "done_on",
    "note",
    "basis",
    "waive_reason",
    "overridden_gates",
    "override_reason",
    "reopened_count",
]
#: Steps a township clerk may record: those the township, the village, the collective or the
#: household itself performs. The acts of governments and departments are recorded by the office.
CLERK_ACTORS = frozenset({"township", "village", "household", "collective"})


@dataclass(frozen=True)
class Upload:
    """A file to keep as evidence of ``kind`` (``EVIDENCE_KINDS``)."""

    kind: str
    content: bytes
    name: str
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Attach:
    """An evidence file already stored (a generated document, a posting photo)."""

    kind: str
    file: EvidenceFile
    note: str = ""


@dataclass
class Context:
    """One locked scope: the project (and household), its pack, rows, records and facts."""

    project: Project
    pack: PolicyPack
    household: Household | None
    rows: dict[str, ProcedureStep] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.household.village.path if self.household is not None else self.project.district.path

    def records(self) -> dict[str, engine_rules.StepRecord]:
        return engine.records_of(self.pack, self.rows.values())

    def facts(self) -> dict[str, bool]:
        own = [row for row in self.rows.values() if row.household_id is not None]
        return engine.facts_for(self.project, self.household, rows=own)


# --------------------------------------------------------------------------- helpers


def parse_date(value: Any, field_name: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(f"{label}格式应为 YYYY-MM-DD。", field=field_name) from None


def text(value: Any, field_name: str, label: str, max_length: int, *, required: bool = False) -> str:
    result = str(value or "").strip()
    if required and not result:
        raise InvalidInput(f"请填写{label}。", field=field_name)
    if len(result) > max_length:
        raise InvalidInput(f"{label}不能超过 {max_length} 个字。", field=field_name)
    return result


def check_visible(actor: User, project: Project, household: Household | None = None) -> None:
    from zhengqian.projects.selectors import projects_for

    if not projects_for(user=actor).filter(pk=project.pk).exists():
        raise InvalidInput("征地项目不存在或不在您的辖区。", field="project")
    if household is not None:
        scope = actor.scope_path
        path = household.village.path
        if household.project_id != project.pk or not scope or not path.startswith(scope):
            raise InvalidInput("该户不存在或不在您的辖区。", field="household")


def require_act(actor: User, pack: PolicyPack, code: str) -> None:
    """The role may record this step: ``procedure.act``, and a township clerk only the steps
    of the township, the village, the collective or the household."""
    require(actor, "procedure.act")
    step = pack.step(code)
    if actor.role == Role.TOWNSHIP_CLERK and step.actor not in CLERK_ACTORS:
        raise PermissionDeniedError(f"「{step.name}」由{ACTORS[step.actor]}办理，应由区征地办登记。")


def open_context(project: Project, household: Household | None = None, *, lock: bool = True) -> Context:
    """Lock the scope row (project, or household) and load the rows the engine needs; must run
    inside ``transaction.atomic``. Missing "not started" rows are created first."""
    manager = Project.objects.select_for_update() if lock and household is None else Project.objects
    project = manager.select_related("district").get(pk=project.pk)
    pack = engine.pack_of(project)
    engine.ensure_project_steps(project, pack)
    if household is not None:
        manager_h = Household.objects.select_for_update() if lock else Household.objects
        household = manager_h.select_related("village", "project").get(pk=household.pk)
        if household.project_id != project.pk:
            raise InvalidInput("该户不属于本项目。", field="household")
        engine.ensure_household_steps(project, pack, [household])
    context = Context(project=project, pack=pack, household=household)
    rows = engine.project_rows(project)
    if household is not None:
        rows = rows | engine.household_rows(household)
    context.rows = {row.code: row for row in rows.select_related("done_by")}
    return context


def _target(context: Context, code: str) -> ProcedureStep:
    if not context.pack.has_step(code):
        raise InvalidInput(f"政策包 {context.pack.code} 中没有步骤：{code}", field="step")
    step = context.pack.step(code)
    if (step.scope == StepScope.PROJECT) != (context.household is None):
        raise InvalidInput(f"「{step.name}」是{StepScope(step.scope).label}步骤。", field="step")
    row = context.rows.get(code)
    if row is None:
        raise GateClosed(f"「{step.name}」尚未启动（限期腾地程序须先启动）", clause=step.citation.label)
    return ProcedureStep.objects.select_for_update().get(pk=row.pk)


def app_gates(context: Context, code: str) -> list[GateClosed]:
    """Gates that rest on records only the database holds (not overridable)."""
    pack, project = context.pack, context.project
    refusals: list[GateClosed] = []
    if (
        code == "villager_assembly"
        and not Assembly.objects.filter(project=project, closed=True, quorum_met=True).exists()
    ):
        threshold = pack.threshold("assembly_quorum")
        refusals.append(
            GateClosed(
                "不能完成「村民代表和被征地农民大会」：没有达到三分之二以上被征地农户代表参加的会议记录，"
                "未达法定人数的会议不能作为本步骤的证据",
                clause=threshold.citation.label,
            )
        )
    if code == "coordination_opinion":
        hearing = Hearing.objects.filter(project=project).first()
        if hearing is None or hearing.opinion_outcome != OpinionOutcome.ACCEPTED:
            clause = (
                pack.threshold("hearing_rejection").citation.label
                if _has_threshold(pack, "hearing_rejection")
                else pack.step(code).citation.label
            )
            refusals.append(
                GateClosed(
                    "不能完成「协调意见」：协调意见尚未征求听证代表意见，或已被三分之二以上听证代表否决", clause=clause
                )
            )
    if code == "approval_request":
        hearing = Hearing.objects.filter(project=project, triggered=True).first()
        if hearing is not None:
            clause = pack.threshold("hearing_trigger").citation.label
            hearing_row = context.rows.get("hearing")
            if hearing_row is None or hearing_row.status != StepStatus.DONE:
                refusals.append(
                    GateClosed(
                        "不能申请征收土地：多数被征地集体经济组织成员认为补偿安置方案不符合法律法规，须先组织听证",
                        clause=clause,
                    )
                )
            elif hearing.revised_plan_published_on is None:
                refusals.append(GateClosed("不能申请征收土地：听证后修改的征地补偿安置方案尚未重新公告", clause=clause))
    return refusals


def _has_threshold(pack: PolicyPack, code: str) -> bool:
    return any(item.code == code for item in pack.thresholds)


def check_completion(
    context: Context, code: str, done_on: date, kinds: Iterable[str], *, actor: User, override_reason: str = ""
) -> list[str]:
    """Raise the first refusal; return the gates an authorised override passes."""
    facts = context.facts()
    overridden: list[str] = []
    if override_reason:
        require(actor, "procedure.override")
        for gate in context.pack.gates_for(code):
            if gate.requires in FACTS and not facts.get(gate.requires, False):
                facts[gate.requires] = True
                overridden.append(gate.code)
        if not overridden:
            raise InvalidInput("该步骤没有未满足的事实关口可越过（程序顺序关口不能越过）。", field="override_reason")
    engine_rules.check_complete(
        context.pack, engine.calendar(), context.records(), facts, code, done_on, clock.today(), set(kinds)
    )
    for refusal in app_gates(context, code):
        raise refusal
    return overridden


def store_uploads(actor: User, uploads: Sequence[Upload], path: str) -> list[Attach]:
    attached = []
    for upload in uploads:
        if upload.kind not in EVIDENCE_KINDS:
            raise InvalidInput(f"未知的证据类型：{upload.kind}", field="evidence")
        stored = evidence_store(
            actor=actor,
            content=upload.content,
            original_name=upload.name,
            content_type=upload.content_type,
            jurisdiction_path=path,
        )
        attached.append(Attach(upload.kind, stored))
    return attached


def complete_in_context(
    context: Context,
    *,
    actor: User,
    code: str,
    done_on: date,
    uploads: Sequence[Upload] = (),
    attach: Sequence[Attach] = (),
    note: str = "",
    basis: str = "",
    override_reason: str = "",
) -> ProcedureStep:
    """Check, then record ``code`` done on ``done_on`` with its evidence, inside the caller's
    transaction and lock (``open_context``)."""
    row = _target(context, code)
    kinds = [item.kind for item in uploads] + [item.kind for item in attach]
    overridden = check_completion(context, code, done_on, kinds, actor=actor, override_reason=override_reason)
    before = audit.snapshot(row, ROW_FIELDS)
    files = list(attach) + store_uploads(actor, uploads, context.path)
    now = clock.now()
    for item in files:
        StepEvidence.objects.get_or_create(
            step=row,
            file=item.file,
            kind=item.kind,
            defaults={"note": item.note[:200], "added_by": actor, "added_at": now},
        )
    row.status, row.done_on, row.done_by, row.done_at = StepStatus.DONE, done_on, actor, now
    row.note = note
    row.basis = StepBasis.OVERRIDE if overridden else basis
    row.overridden_gates, row.override_reason = overridden, override_reason if overridden else ""
    row.updated_at = now
    row.save()
    context.rows[code] = row
    step = context.pack.step(code)
    audit.record(
        actor=actor,
        action="procedure.step.override" if overridden else "procedure.step.complete",
        obj=row,
        before=before,
        after={**audit.snapshot(row, ROW_FIELDS), "evidence": [f.file.sha256 for f in files]},
        reason=override_reason or note,
        jurisdiction_path=context.path,
        object_label=f"{context.household or context.project.code} {step.name}",
    )
    _after_completion(context, actor, code, done_on)
    return row


def _after_completion(context: Context, actor: User, code: str, done_on: date) -> None:
    if context.household is None:
        engine.refresh_project(context.project, context.pack)
    else:
        engine.refresh_household(context.household, context.pack)
    if code == "notification" and not RegisterFreeze.objects.filter(project=context.project).exists():
        # putian-2014 (一)(二): the notification is the cutoff of the register.
        from zhengqian.households.actions import register_freeze

        register_freeze(actor=actor, project=context.project, notified_on=done_on)


def mark_started(context: Context, code: str, on: date) -> None:
    row = context.rows.get(code)
    if row is not None and row.status == StepStatus.NOT_STARTED:
        ProcedureStep.objects.filter(pk=row.pk, status=StepStatus.NOT_STARTED).update(
            status=StepStatus.IN_PROGRESS, started_on=min(on, clock.today()), updated_at=clock.now()
        )
        row.status, row.started_on = StepStatus.IN_PROGRESS, min(on, clock.today())


# --------------------------------------------------------------------------- public actions


def step_complete(
    *,
    actor: User,
    project: Project,
    code: str,
    done_on: date | str,
    household: Household | None = None,
    uploads: Sequence[Upload] = (),
    attach: Sequence[Attach] = (),
    note: str = "",
    override_reason: str = "",
) -> ProcedureStep:
    """Record a step done, with its evidence (the clause of the step; gates per the pack).

    ``override_reason`` (leadership office, ``procedure.override``) passes the pack's unmet
    *fact* gates of this step — never the law's order of steps — and is audited."""
    pack = engine.pack_of(project)
    if not pack.has_step(code):
        raise InvalidInput(f"政策包 {pack.code} 中没有步骤：{code}", field="step")
    require_act(actor, pack, code)
    check_visible(actor, project, household)
    day = parse_date(done_on, "done_on", "完成日期")
    note = text(note, "note", "说明", 2000)
    override_reason = text(override_reason, "override_reason", "越过关口的理由", 2000)
    with transaction.atomic():
        context = open_context(project, household)
        return complete_in_context(
            context,
            actor=actor,
            code=code,
            done_on=day,
            uploads=uploads,
            attach=attach,
            note=note,
            override_reason=override_reason,
        )


def step_waive(
    *, actor: User, project: Project, code: str, reason: str, household: Household | None = None
) -> ProcedureStep:
    """Waive an optional step (a hearing nobody asked for) with a reason: leadership office
    only (``procedure.override``); a statutory step cannot be waived (banan-2015 三:
    不得随意变通、删减工作流程)."""
    require(actor, "procedure.override")
    check_visible(actor, project, household)
    reason = text(reason, "reason", "豁免理由", 2000, required=True)
    with transaction.atomic():
        context = open_context(project, household)
        return _waive(context, actor, code, reason, StepBasis.NONE, "procedure.step.waive")


def _waive(
    context: Context, actor: User | None, code: str, reason: str, basis: str, action: str, *, statutory: bool = False
) -> ProcedureStep:
    row = _target(context, code)
    if not statutory:
        engine_rules.check_waive(context.pack, context.records(), code, reason)
    elif row.status in (StepStatus.DONE, StepStatus.WAIVED):
        raise InvalidInput(f"「{context.pack.step(code).name}」已{row.get_status_display()}。", field="step")
    before = audit.snapshot(row, ROW_FIELDS)
    now = clock.now()
    row.status, row.waive_reason, row.waived_by, row.waived_at = StepStatus.WAIVED, reason, actor, now
    row.basis, row.updated_at = basis, now
    row.save()
    context.rows[code] = row
    audit.record(
        actor=actor,
        action=action,
        obj=row,
        before=before,
        after=audit.snapshot(row, ROW_FIELDS),
        reason=reason,
        jurisdiction_path=context.path,
        object_label=f"{context.household or context.project.code} {context.pack.step(code).name}",
    )
    return row


def step_lapse(*, actor: User, project: Project, code: str, household: Household | None = None) -> ProcedureStep:
    """An optional right not exercised in its window lapses: putian-2014 (三) "逾期未提出的,视为
    放弃听证"; the survey objection window of (二). Never on a provisional (暂定) date."""
    pack = engine.pack_of(project)
    require_act(actor, pack, code)
    check_visible(actor, project, household)
    with transaction.atomic():
        context = open_context(project, household)
        step = pack.step(code)
        if not step.optional:
            raise GateClosed(f"「{step.name}」是必经步骤，不会因期满而放弃", clause=step.citation.label)
        known = engine.known_dates(context.rows.values())
        window = engine.governing_deadlines(pack, engine.calendar(), known).get(code)
        if window is None:
            raise GateClosed(f"「{step.name}」的期限尚未起算", clause=step.citation.label)
        if window.provisional:
            raise GateClosed(
                f"「{step.name}」的届满日 {window.due_on} 为暂定，不能认定期限已届满", clause=window.clause
            )
        if clock.today() <= window.due_on:
            raise GateClosed(f"「{step.name}」的期限至 {window.due_on} 届满，尚未届满", clause=window.clause)
        rule = (
            next((r for r in pack.rules if r.code == "hearing_waived_if_late"), None)
            if code == "hearing_request"
            else None
        )
        reason = (
            f"{rule.text}（{rule.citation.label}）"
            if rule is not None
            else f"期限已于 {window.due_on} 届满，未行使，视为放弃（{window.clause}）"
        )
        return _waive(context, actor, code, reason, StepBasis.LAPSED, "procedure.step.lapse")


def registration_apply_late(*, actor: User, project: Project) -> list[ProcedureStep]:
    """Households that did not register within the period the announcement set: putian-2014
    (五) their registration is the survey result (recorded done, basis survey_result_used);
    yongzhou-linkage 五(一)2 they are deemed to have waived compensation (registration waived,
    basis rights_waived). A pack without the rule refuses: the law attaches no consequence."""
    require(actor, "procedure.act")
    if actor.role == Role.TOWNSHIP_CLERK:
        raise PermissionDenied("逾期未登记的认定由区征地办办理。")
    check_visible(actor, project)
    pack = engine.pack_of(project)
    outcome = engine_rules.late_registration(pack)
    if outcome.value == "unspecified":
        raise GateClosed(outcome.explanation, clause=outcome.clause)
    notice = (
        ProcedureDocument.objects.filter(
            project=project, registration_deadline__isnull=False, published_on__isnull=False
        )
        .order_by("-registration_deadline")
        .first()
    )
    if notice is None:
        raise GateClosed("公告尚未规定补偿登记期限（或尚未张贴公布）", clause=outcome.clause)
    if clock.today() <= notice.registration_deadline:
        raise GateClosed(f"补偿登记期限至 {notice.registration_deadline} 届满，尚未届满", clause=outcome.clause)
    changed = []
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        households = (
            Household.objects.filter(project=project, status=HouseholdStatus.REGISTERED)
            .select_related("village", "project")
            .order_by("code")
        )
        for household in households:
            context = open_context(project, household)
            row = context.rows.get("registered")
            if row is None or row.status in (StepStatus.DONE, StepStatus.WAIVED):
                continue
            if outcome.value == "waived":
                changed.append(
                    _waive(
                        context,
                        actor,
                        "registered",
                        outcome.explanation,
                        StepBasis.RIGHTS_WAIVED,
                        "procedure.registration.late",
                        statutory=True,
                    )
                )
                continue
            survey = household.surveys.exclude(state="superseded").order_by("-version").first()
            if survey is None:
                continue  # no survey result to use: stays open, shown on the board
            note = f"{outcome.explanation}；采用第 {survey.version} 版调查记录（{survey.surveyed_on}）"
            changed.append(
                complete_in_context(
                    context,
                    actor=actor,
                    code="registered",
                    done_on=clock.today(),
                    attach=[Attach("document", notice.pdf, f"{notice.number} 规定的登记期限")],
                    note=note,
                    basis=StepBasis.SURVEY_RESULT_USED,
                )
            )
    return changed


def can_override(user: User) -> bool:
    return can(user, "procedure.override")
