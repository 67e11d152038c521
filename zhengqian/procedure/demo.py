"""Demo procedure (runs after the households' demo): the four demo projects at different
stages, every act recorded through the actions with its evidence and dates relative to today.

- PT-2026-003 (putian-2014): notified (register frozen), quorate assembly, hearing right
  lapsed, approved and announced, registration reviewed — the 3-month payment clock running,
  late registrations settled by the survey result, land handover still barred.
- BN-2026-001 (banan-2015): approved 40 days ago, announcement not yet published — overdue.
- BN-2026-002 (banan-2015): pre-clearance asked for; the pledge is missing, so the gate holds.
- YZ-2026-004 (yongzhou-linkage): announced; payment overdue; late registrations waived; one
  household in the forced-vacate chain (notice, decision, vacate notice, decision served).

Idempotent: a project with any completed step is left alone. Ends with the nightly scan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from zhengqian.core import clock
from zhengqian.core.models import User
from zhengqian.domain import procedure as rules
from zhengqian.domain.errors import DomainError
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from . import actions, engine
from .actions import Upload
from .models import ProcedureStep, ProjectFact, StepStatus
from .scan import procedure_scan

PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001f5a0d2d70000000049454e44ae426082"
)


def _file(kind: str, label: str) -> Upload:
    if kind == "photo":
        return Upload("photo", PHOTO + label.encode(), f"{label}.png", "image/png")
    return Upload(kind, f"%PDF-1.4 演示 {kind} {label}".encode(), f"{label}-{kind}.pdf", "application/pdf")


def _not_before(project: Project, code: str, household: Household | None) -> date | None:
    """The last day of the waiting periods on ``code`` (the step is lawful the day after)."""
    pack = engine.pack_of(project)
    rows = list(engine.project_rows(project))
    if household is not None:
        rows += list(engine.household_rows(household))
    own = [row for row in rows if row.household_id is not None]
    statuses = rules.evaluate(
        pack,
        engine.calendar(),
        engine.records_of(pack, rows),
        engine.facts_for(project, household, rows=own),
        clock.today(),
        pack.step(code).scope,
    )
    status = next(item for item in statuses if item.code == code)
    return status.not_before.due if status.not_before is not None else None


def _lawful(project: Project, code: str, wanted: date, household: Household | None = None) -> date:
    bound = _not_before(project, code, household)
    return max(wanted, bound + timedelta(days=1)) if bound is not None else wanted


class Demo:
    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.today = clock.today()
        self.office = User.objects.get(username="office")
        self.leader = User.objects.get(username="leader")
        self.finance = User.objects.get(username="finance")

    def day(self, offset: int) -> date:
        return self.today - timedelta(days=offset)

    def step(self, project: Project, code: str, offset: int, household: Household | None = None) -> date | None:
        on = _lawful(project, code, self.day(offset), household)
        if on > self.today:
            return None
        label = f"{project.code}-{household.code if household else ''}-{code}"
        with clock.frozen(on):
            actions.step_complete(
                actor=self.office,
                project=project,
                code=code,
                done_on=on,
                household=household,
                uploads=[_file(kind, label) for kind in engine.pack_of(project).step(code).evidence],
            )
        return on

    def fact(self, project: Project, code: str, offset: int, who: User | None = None) -> None:
        with clock.frozen(self.day(offset)):
            actions.fact_record(
                actor=who or self.finance,
                project=project,
                code=code,
                value=True,
                reason="演示：已核实",
                upload=_file("document", f"{project.code}-{code}"),
            )

    def notice(
        self, project: Project, kind: str, offset: int, deadline: int | None = None, others: tuple[str, ...] = ()
    ) -> None:
        on = _lawful(project, kind, self.day(offset))
        with clock.frozen(on):
            document = actions.notice_draft(
                actor=self.office,
                project=project,
                kind=kind,
                issued_on=on,
                registration_deadline=self.day(deadline) if deadline is not None else None,
            )
            actions.notice_publish(
                actor=self.office,
                document=document,
                published_on=on,
                posting_place="村委会公告栏及各村民小组醒目位置",
                photos=[_file("photo", document.number)],
                others=[_file(kind_, document.number) for kind_ in others],
            )

    def serve(self, household: Household, code: str, offset: int) -> bool:
        project = household.project
        on = _lawful(project, code, self.day(offset), household)
        if on > self.today:
            return False
        with clock.frozen(on):
            document = actions.chain_document_issue(actor=self.office, household=household, code=code, issued_on=on)
            actions.document_serve(
                actor=self.office,
                document=document,
                served_on=on,
                method="in_person",
                served_to=household.head_name,
                proofs=[_file("service_proof", document.number)],
            )
        return True


def _households(project: Project) -> list[Household]:
    return list(
        Household.objects.filter(project=project, status="registered")
        .select_related("village", "project")
        .order_by("code")
    )


def _started(project: Project) -> bool:
    return (
        ProcedureStep.objects.filter(project=project, status=StepStatus.DONE).exists()
        or ProjectFact.objects.filter(project=project).exists()
    )


def _putian(demo: Demo, project: Project) -> None:
    households = _households(project)
    for code, offset in (("pre_announcement", 160), ("status_survey", 150), ("stability_assessment", 150)):
        demo.step(project, code, offset)
    for household in households:
        demo.step(project, "surveyed", 152, household)
    demo.notice(project, "notification", 148, others=("service_proof",))
    with clock.frozen(demo.day(146)):
        assembly = actions.assembly_open(
            actor=demo.office, project=project, held_on=demo.day(146), place="石龙村村委会"
        )
        for n, entry in enumerate(assembly.roll.order_by("certificate_no")):
            if n < 6:
                actions.attendance_set(
                    actor=demo.office,
                    assembly=assembly,
                    household_id=entry.household_id,
                    attendance="present" if n % 2 == 0 else "proxy",
                    proxy_name="亲属代为参加",
                )
        actions.assembly_close(
            actor=demo.office,
            assembly=assembly,
            minutes=_file("minutes", "大会"),
            signature_list=_file("signature_list", "大会"),
            photos=[_file("photo", "大会")],
        )
    for n, household in enumerate(households):
        demo.step(project, "notified", 146, household)
        if n < 6:
            demo.step(project, "survey_confirmed", 140, household)
    with clock.frozen(demo.day(138)):
        actions.step_lapse(actor=demo.office, project=project, code="hearing_request")
    for code, offset in (("compensation_plan", 130), ("compensation_registration", 120), ("agreement", 110)):
        demo.step(project, code, offset)
    demo.fact(project, "funds_in_place", 100)
    demo.fact(project, "social_security_funds_reviewed", 100, demo.leader)
    demo.fact(project, "social_security_funds_in_place", 100, demo.leader)
    demo.step(project, "approval_request", 95)
    demo.step(project, "approval", 70)
    demo.notice(project, "expropriation_announcement", 66, deadline=50, others=("map",))
    demo.step(project, "registration_review", 45)
    for n, household in enumerate(households[:5]):
        demo.step(project, "registered", 60, household)
        demo.step(project, "agreement_signed", 40, household)
        if n < 3:
            demo.step(project, "paid", 20, household)
    with clock.frozen(demo.today):
        actions.registration_apply_late(actor=demo.office, project=project)


def _banan_overdue(demo: Demo, project: Project) -> None:
    demo.fact(project, "pre_funding_in_place", 130)
    demo.fact(project, "standard_approved", 105, demo.leader)
    for code, offset in (
        ("representative_election", 120),
        ("pre_announcement", 115),
        ("status_survey", 110),
        ("stability_assessment", 110),
        ("compensation_plan", 100),
        ("compensation_registration", 90),
        ("agreement", 85),
    ):
        demo.step(project, code, offset)
    demo.fact(project, "funds_in_place", 75)
    demo.fact(project, "social_security_funds_in_place", 75, demo.leader)
    demo.step(project, "approval_request", 70)
    demo.step(project, "approval", 40)


def _banan_pre_clearance(demo: Demo, project: Project) -> None:
    demo.fact(project, "pre_funding_in_place", 10)
    demo.fact(project, "pre_clearance_approved", 5, demo.leader)
    with clock.frozen(demo.today):
        try:  # the pledge is missing: the gate refuses, and the demo shows it on the page
            actions.step_complete(
                actor=demo.office,
                project=project,
                code="pre_clearance",
                done_on=demo.today,
                uploads=[_file("document", "先行清理"), _file("minutes", "先行清理")],
            )
        except DomainError as refusal:
            demo.log(f"{project.code} 先行清理被拒绝：{refusal}")


def _yongzhou(demo: Demo, project: Project) -> None:
    households = _households(project)
    for code, offset in (
        ("pre_announcement", 330),
        ("status_survey", 320),
        ("stability_assessment", 320),
        ("compensation_plan", 300),
        ("compensation_registration", 290),
        ("agreement", 280),
    ):
        demo.step(project, code, offset)
    demo.fact(project, "funds_in_place", 260)
    demo.fact(project, "social_security_funds_in_place", 260, demo.leader)
    demo.step(project, "approval_request", 250)
    demo.step(project, "approval", 135)
    demo.notice(project, "expropriation_announcement", 125, deadline=105)
    refusing = households[0]
    for n, household in enumerate(households[:4]):
        demo.step(project, "surveyed", 310, household)
        demo.step(project, "registered", 115, household)
        if household is not refusing:
            demo.step(project, "agreement_signed", 108, household)
            if n < 2:
                demo.step(project, "paid", 95, household)
    with clock.frozen(demo.day(100)):
        actions.registration_apply_late(actor=demo.office, project=project)
    with clock.frozen(demo.day(60)):
        actions.chain_start(actor=demo.office, household=refusing, reason="拒不签订补偿安置协议、拒不腾地")
    for code, offset in (
        ("compensation_notice", 60),
        ("compensation_decision", 48),
        ("vacate_notice", 40),
        ("order_to_hand_over", 28),
    ):
        if not demo.serve(refusing, code, offset):
            break


PLAN = (
    ("PT-2026-003", _putian),
    ("BN-2026-001", _banan_overdue),
    ("BN-2026-002", _banan_pre_clearance),
    ("YZ-2026-004", _yongzhou),
)


def load(log: Callable[[str], None]) -> None:
    demo = Demo(log)
    for code, build in PLAN:
        project = Project.objects.filter(code=code).first()
        if project is None or _started(project) or not Household.objects.filter(project=project).exists():
            continue
        build(demo, project)
        log(f"{code} 程序演示数据已生成")
    report = procedure_scan(today=demo.today)
    log(str(report))
