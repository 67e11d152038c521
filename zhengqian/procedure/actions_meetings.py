"""Villager assemblies (putian-2014 (一)) and hearings (putian-2014 (三), banan-2015 三,
实施条例 第二十八条).

Assembly: the roll is the affected households by land-contract certificate; attendance and
proxies are recorded one by one (live tally); the 2/3 quorum is the engine's
``assembly_quorum`` (exactly 2/3 is met: 以上 includes the number). Closing a quorate assembly
with its minutes and signature list completes the step; one without quorum is kept on record
but cannot be the step's evidence.

Hearing: the request within 5 working days of the notification, the representatives, the
hearing record, the coordination opinion and the representatives' vote on it — if at least
2/3 reject it the opinion step is reopened and the government keeps working (putian-2014
(三)). National pack: when more than half of the members object to the plan, the hearing is
mandatory and the revised plan must be re-announced before the approval request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.domain import procedure as engine_rules
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households.models import Household, HouseholdStatus
from zhengqian.projects.models import Project

from . import engine
from .actions_steps import (
    Attach,
    Context,
    Upload,
    check_visible,
    complete_in_context,
    mark_started,
    open_context,
    parse_date,
    require_act,
    store_uploads,
    text,
)
from .models import (
    Assembly,
    AssemblyAttendance,
    Attendance,
    Hearing,
    HearingRepresentative,
    OpinionOutcome,
    ProcedureStep,
    StepStatus,
    Vote,
)

ASSEMBLY = "villager_assembly"


def _needs_step(context: Context, code: str, what: str) -> None:
    if not context.pack.has_step(code):
        raise GateClosed(f"本项目适用的政策包（{context.pack.code}）没有{what}")


def _order_allows(context: Context, code: str, day: date) -> None:
    """The engine's order and date checks for ``code`` on ``day`` (evidence comes later)."""
    engine_rules.check_complete(
        context.pack,
        engine.calendar(),
        context.records(),
        context.facts(),
        code,
        day,
        clock.today(),
        context.pack.step(code).evidence,
    )


# --------------------------------------------------------------------------- assemblies


def assembly_open(*, actor: User, project: Project, held_on: date | str, place: str) -> Assembly:
    pack = engine.pack_of(project)
    if pack.has_step(ASSEMBLY):
        require_act(actor, pack, ASSEMBLY)
    check_visible(actor, project)
    day = parse_date(held_on, "held_on", "会议日期")
    place = text(place, "place", "会议地点", 200, required=True)
    with transaction.atomic():
        context = open_context(project)
        _needs_step(context, ASSEMBLY, "村民代表和被征地农民大会")
        _order_allows(context, ASSEMBLY, day)
        roll: dict[str, Household] = {}
        for household in (
            Household.objects.filter(project=project, status=HouseholdStatus.REGISTERED)
            .exclude(contract_certificate_no="")
            .order_by("code")
        ):
            roll.setdefault(household.contract_certificate_no.strip(), household)
        if not roll:
            raise InvalidInput(
                "本项目没有持土地承包经营权证的被征地农户，无法确定参会名册。",
                clause=pack.step(ASSEMBLY).citation.label,
                field="project",
            )
        now = clock.now()
        assembly = Assembly.objects.create(
            project=project, held_on=day, place=place, total=len(roll), created_by=actor, created_at=now
        )
        AssemblyAttendance.objects.bulk_create(
            [AssemblyAttendance(assembly=assembly, household=h, certificate_no=c) for c, h in roll.items()]
        )
        mark_started(context, ASSEMBLY, day)
        audit.record(
            actor=actor,
            action="procedure.assembly.open",
            obj=assembly,
            after={"held_on": day, "place": place, "total": len(roll)},
            jurisdiction_path=project.district.path,
            object_label=f"{project.code} 被征地农民大会 {day}",
        )
    return assembly


def assembly_tally(assembly: Assembly) -> engine_rules.QuorumResult:
    pack = engine.pack_of(assembly.project)
    return engine_rules.assembly_quorum(pack, assembly.total, assembly.present, assembly.proxies)


def attendance_set(
    *, actor: User, assembly: Assembly, household_id: int, attendance: str, proxy_name: str = ""
) -> AssemblyAttendance:
    pack = engine.pack_of(assembly.project)
    require_act(actor, pack, ASSEMBLY)
    check_visible(actor, assembly.project)
    if attendance not in Attendance.values:
        raise InvalidInput("出席情况无效。", field="attendance")
    proxy_name = text(proxy_name, "proxy_name", "受托人", 40, required=attendance == Attendance.PROXY)
    with transaction.atomic():
        assembly = Assembly.objects.select_for_update().select_related("project__district").get(pk=assembly.pk)
        if assembly.closed:
            raise InvalidInput("会议已结束，不能再修改出席情况。", field="attendance")
        row = (
            AssemblyAttendance.objects.select_for_update().filter(assembly=assembly, household_id=household_id).first()
        )
        if row is None:
            raise InvalidInput("该户不在参会名册（按土地承包经营权证）中。", field="household")
        before = {"attendance": row.attendance, "proxy_name": row.proxy_name}
        row.attendance = attendance
        row.proxy_name = proxy_name if attendance == Attendance.PROXY else ""
        row.recorded_by, row.recorded_at = actor, clock.now()
        row.save()
        counts = AssemblyAttendance.objects.filter(assembly=assembly)
        assembly.present = counts.filter(attendance=Attendance.PRESENT).count()
        assembly.proxies = counts.filter(attendance=Attendance.PROXY).count()
        assembly.save(update_fields=["present", "proxies"])
        audit.record(
            actor=actor,
            action="procedure.assembly.attendance",
            obj=assembly,
            before=before,
            after={"household": household_id, "attendance": attendance, "proxy_name": row.proxy_name},
            jurisdiction_path=assembly.project.district.path,
            object_label=f"{assembly.project.code} 大会 {row.certificate_no}",
        )
    return row


def assembly_close(
    *, actor: User, assembly: Assembly, minutes: Upload, signature_list: Upload, photos: Sequence[Upload] = ()
) -> Assembly:
    """Close the assembly with its minutes and signature list; a quorate one completes the
    step (its date is the meeting's), one without quorum is recorded but cannot count."""
    project = assembly.project
    pack = engine.pack_of(project)
    require_act(actor, pack, ASSEMBLY)
    check_visible(actor, project)
    if minutes is None or signature_list is None:
        raise InvalidInput("请上传会议记录和签到名册。", clause=pack.step(ASSEMBLY).citation.label, field="minutes")
    with transaction.atomic():
        context = open_context(project)
        assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
        if assembly.closed:
            raise InvalidInput("会议已结束。", field="assembly")
        result = engine_rules.assembly_quorum(pack, assembly.total, assembly.present, assembly.proxies)
        stored = store_uploads(
            actor,
            [
                Upload("minutes", minutes.content, minutes.name, minutes.content_type),
                Upload("signature_list", signature_list.content, signature_list.name, signature_list.content_type),
            ],
            context.path,
        )
        photo_files = store_uploads(
            actor, [Upload("photo", p.content, p.name, p.content_type) for p in photos], context.path
        )
        assembly.closed, assembly.closed_at = True, clock.now()
        assembly.quorum_met, assembly.quorum_text = result.met, result.explanation
        assembly.minutes, assembly.signature_list = stored[0].file, stored[1].file
        assembly.save()
        row = context.rows[ASSEMBLY]
        if result.met and row.status not in (StepStatus.DONE, StepStatus.WAIVED):
            complete_in_context(
                context,
                actor=actor,
                code=ASSEMBLY,
                done_on=assembly.held_on,
                attach=[*stored, *photo_files],
                note=result.explanation,
            )
            assembly.used_as_evidence = True
            assembly.save(update_fields=["used_as_evidence"])
        audit.record(
            actor=actor,
            action="procedure.assembly.close",
            obj=assembly,
            after={
                "present": assembly.present,
                "proxies": assembly.proxies,
                "total": assembly.total,
                "quorum_met": result.met,
                "used_as_evidence": assembly.used_as_evidence,
            },
            reason=result.explanation,
            jurisdiction_path=context.path,
            object_label=f"{project.code} 被征地农民大会 {assembly.held_on}",
        )
    return assembly


# --------------------------------------------------------------------------- hearings


def _hearing(project: Project) -> Hearing:
    Hearing.objects.get_or_create(project=project, defaults={"updated_at": clock.now()})
    return Hearing.objects.select_for_update().get(project=project)


def _save(hearing: Hearing) -> None:
    hearing.updated_at = clock.now()
    hearing.save()


HEARING_FIELDS = [
    "requested_on",
    "requested_by",
    "members",
    "objecting",
    "triggered",
    "held_on",
    "opinion_round",
    "opinion_text",
    "opinion_on",
    "opinion_outcome",
    "revised_plan_published_on",
]


def _audit(actor: User, action: str, hearing: Hearing, before: dict[str, object], reason: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=hearing,
        before=before,
        after=audit.snapshot(hearing, HEARING_FIELDS),
        reason=reason,
        jurisdiction_path=hearing.project.district.path,
        object_label=f"{hearing.project.code} 听证",
    )


def hearing_request_record(
    *, actor: User, project: Project, requested_on: date | str, requested_by: str, document: Upload
) -> Hearing:
    """The written request, within 5 working days of the notification (putian-2014 (三));
    a late request is refused by the step's window."""
    pack = engine.pack_of(project)
    if pack.has_step("hearing_request"):
        require_act(actor, pack, "hearing_request")
    check_visible(actor, project)
    day = parse_date(requested_on, "requested_on", "申请日期")
    requested_by = text(requested_by, "requested_by", "申请人", 120, required=True)
    with transaction.atomic():
        context = open_context(project)
        _needs_step(context, "hearing_request", "听证申请步骤")
        hearing = _hearing(context.project)
        before = audit.snapshot(hearing, HEARING_FIELDS)
        complete_in_context(
            context,
            actor=actor,
            code="hearing_request",
            done_on=day,
            uploads=[Upload("document", document.content, document.name, document.content_type)],
            note=f"{requested_by} 书面申请听证",
        )
        hearing.requested_on, hearing.requested_by = day, requested_by
        _save(hearing)
        _audit(actor, "procedure.hearing.request", hearing, before)
    return hearing


def representative_add(
    *, actor: User, project: Project, name: str, elected_on: date | str, household: Household | None = None
) -> HearingRepresentative:
    """A hearing representative elected by the villagers (banan-2015 三: 选举群众代表全程参与)."""
    pack = engine.pack_of(project)
    if pack.has_step("hearing"):
        require_act(actor, pack, "hearing")
    check_visible(actor, project)
    name = text(name, "name", "姓名", 40, required=True)
    day = parse_date(elected_on, "elected_on", "推选日期")
    if day > clock.today():
        raise InvalidInput(f"推选日期 {day} 晚于今天。", field="elected_on")
    if household is not None and household.project_id != project.pk:
        raise InvalidInput("该户不属于本项目。", field="household")
    with transaction.atomic():
        hearing = _hearing(project)
        if hearing.opinion_outcome == OpinionOutcome.PENDING:
            raise InvalidInput("协调意见正在征求意见，不能变更听证代表。", field="name")
        if hearing.representatives.filter(name=name).exists():
            raise InvalidInput(f"听证代表 {name} 已登记。", field="name")
        rep = HearingRepresentative.objects.create(hearing=hearing, name=name, household=household, elected_on=day)
        audit.record(
            actor=actor,
            action="procedure.hearing.representative",
            obj=hearing,
            after={"name": name, "elected_on": day, "household": household.pk if household else None},
            jurisdiction_path=project.district.path,
            object_label=f"{project.code} 听证代表 {name}",
        )
    return rep


def hearing_hold(
    *,
    actor: User,
    project: Project,
    held_on: date | str,
    minutes: Upload,
    signature_list: Upload,
    document: Upload,
) -> Hearing:
    """The hearing itself, with its record (笔录), signature list and notice."""
    pack = engine.pack_of(project)
    require_act(actor, pack, "hearing")
    check_visible(actor, project)
    day = parse_date(held_on, "held_on", "听证日期")
    with transaction.atomic():
        context = open_context(project)
        hearing = _hearing(context.project)
        if not hearing.representatives.exists():
            raise InvalidInput(
                "请先登记听证代表。", clause=pack.step("hearing").citation.label, field="representatives"
            )
        before = audit.snapshot(hearing, HEARING_FIELDS)
        complete_in_context(
            context,
            actor=actor,
            code="hearing",
            done_on=day,
            uploads=[
                Upload("minutes", minutes.content, minutes.name, minutes.content_type),
                Upload("signature_list", signature_list.content, signature_list.name, signature_list.content_type),
                Upload("document", document.content, document.name, document.content_type),
            ],
        )
        hearing.held_on = day
        _save(hearing)
        _audit(actor, "procedure.hearing.hold", hearing, before)
    return hearing


def opinion_issue(*, actor: User, project: Project, issued_on: date | str, opinion: str, document: Upload) -> Hearing:
    """The government's coordination opinion on what the hearing left open (putian-2014 (三));
    a new round after a rejection."""
    pack = engine.pack_of(project)
    if pack.has_step("coordination_opinion"):
        require_act(actor, pack, "coordination_opinion")
    check_visible(actor, project)
    day = parse_date(issued_on, "issued_on", "协调意见日期")
    opinion = text(opinion, "opinion", "协调意见", 4000, required=True)
    with transaction.atomic():
        context = open_context(project)
        _needs_step(context, "coordination_opinion", "协调意见步骤")
        _order_allows(context, "coordination_opinion", day)
        hearing = _hearing(context.project)
        before = audit.snapshot(hearing, HEARING_FIELDS)
        stored = store_uploads(
            actor, [Upload("document", document.content, document.name, document.content_type)], context.path
        )[0]
        hearing.opinion_round += 1
        hearing.opinion_text, hearing.opinion_on, hearing.opinion_outcome = opinion, day, OpinionOutcome.PENDING
        hearing.opinion_document, hearing.opinion_text_result = stored.file, ""
        _save(hearing)
        hearing.representatives.update(vote=Vote.NONE)
        mark_started(context, "coordination_opinion", day)
        _audit(actor, "procedure.hearing.opinion", hearing, before)
    return hearing


def opinion_vote(
    *,
    actor: User,
    project: Project,
    voted_on: date | str,
    votes: Mapping[int, str],
    signature_list: Upload | None = None,
) -> Hearing:
    """The representatives' answer to the opinion. At least 2/3 disagreeing rejects it: the
    step is reopened and mass work continues (putian-2014 (三), rule coordination_rejected);
    otherwise the step is done with the opinion and the signed list as evidence."""
    pack = engine.pack_of(project)
    if pack.has_step("coordination_opinion"):
        require_act(actor, pack, "coordination_opinion")
    check_visible(actor, project)
    day = parse_date(voted_on, "voted_on", "征求意见日期")
    with transaction.atomic():
        context = open_context(project)
        hearing = _hearing(context.project)
        if hearing.opinion_outcome != OpinionOutcome.PENDING:
            raise InvalidInput("没有待征求意见的协调意见。", field="votes")
        if day < (hearing.opinion_on or day):
            raise InvalidInput(f"征求意见日期 {day} 早于协调意见日期 {hearing.opinion_on}。", field="voted_on")
        reps = list(hearing.representatives.all())
        for rep in reps:
            vote = votes.get(rep.pk, "")
            if vote not in (Vote.AGREE, Vote.DISAGREE):
                raise InvalidInput(f"请登记听证代表 {rep.name} 的意见。", field="votes")
            rep.vote = vote
        HearingRepresentative.objects.bulk_update(reps, ["vote"])
        disagreeing = sum(1 for rep in reps if rep.vote == Vote.DISAGREE)
        result = engine_rules.hearing_rejection(pack, len(reps), disagreeing)
        before = audit.snapshot(hearing, HEARING_FIELDS)
        hearing.opinion_text_result = result.explanation
        row = ProcedureStep.objects.select_for_update().get(pk=context.rows["coordination_opinion"].pk)
        if result.met:
            hearing.opinion_outcome = OpinionOutcome.REJECTED
            _save(hearing)
            row_before = {"status": row.status, "note": row.note}
            row.status, row.done_on, row.note = StepStatus.IN_PROGRESS, None, result.explanation
            row.reopened_count += 1
            row.started_on = row.started_on or day
            row.updated_at = clock.now()
            row.save()
            audit.record(
                actor=actor,
                action="procedure.step.reopen",
                obj=row,
                before=row_before,
                after={"status": row.status, "note": row.note},
                reason=result.explanation,
                jurisdiction_path=context.path,
                object_label=f"{project.code} 协调意见",
            )
        else:
            hearing.opinion_outcome = OpinionOutcome.ACCEPTED
            _save(hearing)
            sig = (
                []
                if signature_list is None
                else store_uploads(
                    actor,
                    [
                        Upload(
                            "signature_list", signature_list.content, signature_list.name, signature_list.content_type
                        )
                    ],
                    context.path,
                )
            )
            complete_in_context(
                context,
                actor=actor,
                code="coordination_opinion",
                done_on=day,
                attach=[Attach("document", hearing.opinion_document), *sig],  # type: ignore[arg-type]
                note=result.explanation,
            )
        _audit(actor, "procedure.hearing.vote", hearing, before, reason=result.explanation)
    return hearing


def plan_objections_record(
    *, actor: User, project: Project, members: int, objecting: int, recorded_on: date | str
) -> Hearing:
    """实施条例 第二十八条: when a majority (more than half) of the members find the plan
    unlawful, a hearing must be held and the plan revised and re-announced."""
    pack = engine.pack_of(project)
    require_act(actor, pack, "compensation_plan")
    check_visible(actor, project)
    day = parse_date(recorded_on, "recorded_on", "统计日期")
    for value, name in ((members, "members"), (objecting, "objecting")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput("人数必须是整数。", field=name)
    with transaction.atomic():
        context = open_context(project)
        plan = context.rows.get("compensation_plan")
        if plan is None or plan.status != StepStatus.DONE:
            raise GateClosed("补偿安置方案尚未公告，不能统计意见", clause=pack.step("compensation_plan").citation.label)
        if day < plan.done_on or day > clock.today():  # type: ignore[operator]
            raise InvalidInput(f"统计日期 {day} 应在方案公告日 {plan.done_on} 之后、今天之前。", field="recorded_on")
        result = engine_rules.hearing_trigger(pack, members, objecting)
        hearing = _hearing(context.project)
        before = audit.snapshot(hearing, HEARING_FIELDS)
        hearing.members, hearing.objecting = members, objecting
        hearing.triggered, hearing.trigger_text = result.met, result.explanation
        _save(hearing)
        if result.met:
            mark_started(context, "hearing", day)
        _audit(actor, "procedure.hearing.objections", hearing, before, reason=result.explanation)
    return hearing
