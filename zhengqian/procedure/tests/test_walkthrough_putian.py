"""A project walked through putian-2014 with a frozen clock on the real 2026 calendar: every
gate refuses when it should (with its clause), bad completions change nothing, the
notification freezes the register, and overrides / waivers need the leadership office."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households.models import RegisterFreeze
from zhengqian.households.tests.factories import make_household
from zhengqian.procedure import actions
from zhengqian.procedure.models import ProcedureStep, StepBasis, StepStatus

from .helpers import complete, d, fact, upload, uploads_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def putian(official_calendar, office_user, project_a, township_a):
    households = [
        make_household(
            office_user,
            project_a,
            township_a,
            code=f"H-{n}",
            head_name=f"户主{n}",
            contract_certificate_no=f"C-{n:03d}",
        )
        for n in range(3)
    ]
    return project_a, households


def row(project, code, household=None):
    return ProcedureStep.objects.get(project=project, household=household, code=code)


def refused(exc_type, clause_part: str, call, *args, **kwargs):
    """``call`` raises ``exc_type`` naming ``clause_part`` and writes nothing."""
    events = AuditEvent.objects.count()
    states = list(ProcedureStep.objects.order_by("pk").values_list("status", "done_on"))
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    assert clause_part in str(info.value), str(info.value)
    assert AuditEvent.objects.count() == events
    assert list(ProcedureStep.objects.order_by("pk").values_list("status", "done_on")) == states
    return info.value


def prepare_to_notification(office, project):
    complete(office, project, "pre_announcement", "2026-01-05")
    complete(office, project, "status_survey", "2026-01-12")
    complete(office, project, "stability_assessment", "2026-01-12")


def publish(office, project, kind, on, *, others=(), **extra):
    with clock.frozen(on):
        notice = actions.notice_draft(actor=office, project=project, kind=kind, issued_on=on, **extra)
        return actions.notice_publish(
            actor=office,
            document=notice,
            published_on=on,
            posting_place="桂花村村委会公告栏",
            photos=[upload("photo", content=f"{kind}{on}".encode())],
            others=list(others),
        )


def test_walk_through_under_putian(putian, office_user, clerk_a, leader, finance):
    project, households = putian
    office = office_user
    prepare_to_notification(office, project)

    # (一) the notification, published with posting photo and proof of service, freezes the register.
    publish(office, project, "notification", "2026-01-14", others=[upload("service_proof")])
    assert row(project, "notification").done_on == d("2026-01-14")
    assert RegisterFreeze.objects.get(project=project).notified_on == d("2026-01-14")
    # (三) the hearing request window: 5 working days after the notification.
    assert row(project, "hearing_request").due_on == d("2026-01-21")

    # (一) the assembly: 2 of 3 households by certificate (exactly 2/3) is quorate.
    with clock.frozen("2026-01-16"):
        assembly = actions.assembly_open(actor=clerk_a, project=project, held_on="2026-01-16", place="村委会")
        actions.attendance_set(actor=clerk_a, assembly=assembly, household_id=households[0].pk, attendance="present")
        actions.attendance_set(
            actor=clerk_a, assembly=assembly, household_id=households[1].pk, attendance="proxy", proxy_name="代理人"
        )
        assembly = actions.assembly_close(
            actor=clerk_a,
            assembly=assembly,
            minutes=upload("minutes"),
            signature_list=upload("signature_list"),
            photos=[upload("photo")],
        )
    assert assembly.quorum_met and assembly.used_as_evidence
    assert row(project, "villager_assembly").done_on == d("2026-01-16")

    complete(office, project, "compensation_plan", "2026-01-20")
    # (三) no request within the window: deemed waived, with the rule's clause.
    with clock.frozen("2026-01-21"):
        refused(GateClosed, "尚未届满", actions.step_lapse, actor=office, project=project, code="hearing_request")
    with clock.frozen("2026-01-22"):
        lapsed = actions.step_lapse(actor=office, project=project, code="hearing_request")
    assert lapsed.status == StepStatus.WAIVED and lapsed.basis == StepBasis.LAPSED
    assert "视为放弃听证" in lapsed.waive_reason and "putian-2014 (三)" in lapsed.waive_reason
    complete(office, project, "compensation_registration", "2026-01-26")
    complete(office, project, "agreement", "2026-02-02")

    # 土地管理法 第四十七条 / putian-2014 (十五): no approval request before funds and social security.
    def request(on):
        with clock.frozen(on):
            return actions.step_complete(
                actor=office,
                project=project,
                code="approval_request",
                done_on=on,
                uploads=uploads_for(project, "approval_request"),
            )

    refused(GateClosed, "有关费用尚未测算落实", request, "2026-02-25")
    fact(finance, project, "funds_in_place", on="2026-02-24")
    error = refused(GateClosed, "社会保障资金落实情况尚未经人力资源和社会保障部门审核", request, "2026-02-25")
    assert error.clause == "putian-2014 (十五)"
    fact(leader, project, "social_security_funds_reviewed", on="2026-02-24")
    # 实施条例 第二十八条: the plan announced for at least 30 days — 2026-02-19 falls in the Spring
    # Festival holiday, so the period ends on 2026-02-24 and the request may come after it.
    refused(GateClosed, "须在 2026-02-24 之后", request, "2026-02-24")
    request("2026-02-25")

    # putian-2014 (四): no announcement before approval — refused when the notice is drafted.
    with clock.frozen("2026-02-27"):
        error = refused(
            GateClosed,
            "征地尚未批准",
            actions.notice_draft,
            actor=office,
            project=project,
            kind="expropriation_announcement",
            issued_on="2026-02-27",
        )
    assert error.clause == "putian-2014 (四)"
    fact(leader, project, "social_security_funds_in_place", on="2026-02-27")
    complete(office, project, "approval", "2026-03-02")
    assert row(project, "expropriation_announcement").due_on == d("2026-03-16")  # 10 working days

    map_file = upload("map", content=b"%PDF boundary map")
    publish(
        office,
        project,
        "expropriation_announcement",
        "2026-03-16",
        others=[map_file],
        registration_deadline="2026-03-31",
    )
    assert row(project, "expropriation_announcement").done_on == d("2026-03-16")
    complete(office, project, "registration_review", "2026-03-20")
    # (七) payment within 3 months of the review: 2026-06-20 is a Saturday → Monday 2026-06-22.
    assert row(project, "payment_in_full").due_on == d("2026-06-22")

    # Household steps, each with its clock.
    first = households[0]
    for household in households:
        complete(office, project, "surveyed", "2026-01-09", household=household)
        complete(clerk_a, project, "notified", "2026-01-16", household=household)
    assert row(project, "survey_objection", first).due_on == d("2026-01-23")  # 5 working days
    # 土地管理法 第四十八条: no relocation before payment.
    with clock.frozen("2026-04-01"):
        refused(
            GateClosed,
            "补偿费用尚未足额支付",
            actions.step_complete,
            actor=clerk_a,
            project=project,
            code="handed_over",
            household=first,
            done_on="2026-04-01",
            uploads=uploads_for(project, "handed_over"),
        )
    # (七) no land handover before every household is paid.
    complete(office, project, "payment_in_full", "2026-04-10")
    with clock.frozen("2026-04-12"):
        error = refused(
            GateClosed,
            "征地补偿费用尚未足额支付到位",
            actions.step_complete,
            actor=office,
            project=project,
            code="land_handover",
            done_on="2026-04-12",
            uploads=uploads_for(project, "land_handover"),
        )
    assert error.clause == "putian-2014 (七)"
    for household in households:
        complete(office, project, "paid", "2026-04-08", household=household)
    complete(clerk_a, project, "handed_over", "2026-04-12", household=first)
    complete(office, project, "land_handover", "2026-04-13")
    assert row(project, "land_handover").status == StepStatus.DONE


def test_bad_completions_are_refused_with_the_clause_and_change_nothing(putian, office_user):
    project, _ = putian
    office = office_user
    with clock.frozen("2026-01-05"):
        # out of order: the survey before the pre-announcement
        refused(
            GateClosed,
            "尚未完成「发布征收土地预公告」",
            actions.step_complete,
            actor=office,
            project=project,
            code="status_survey",
            done_on="2026-01-05",
            uploads=uploads_for(project, "status_survey"),
        )
        # without its evidence (a photo is required)
        error = refused(
            InvalidInput,
            "缺少证据：照片",
            actions.step_complete,
            actor=office,
            project=project,
            code="pre_announcement",
            done_on="2026-01-05",
            uploads=[upload("document")],
        )
        assert error.clause == "实施条例 第二十六条"
        # in the future
        refused(
            InvalidInput,
            "晚于今天",
            actions.step_complete,
            actor=office,
            project=project,
            code="pre_announcement",
            done_on="2026-01-06",
            uploads=uploads_for(project, "pre_announcement"),
        )
    complete(office, project, "pre_announcement", "2026-01-05")
    with clock.frozen("2026-01-07"):
        # twice
        refused(
            InvalidInput,
            "不能重复完成",
            actions.step_complete,
            actor=office,
            project=project,
            code="pre_announcement",
            done_on="2026-01-07",
            uploads=uploads_for(project, "pre_announcement"),
        )
        # before its anchor / required step
        refused(
            InvalidInput,
            "早于「发布征收土地预公告」的完成日期",
            actions.step_complete,
            actor=office,
            project=project,
            code="status_survey",
            done_on="2026-01-02",
            uploads=uploads_for(project, "status_survey"),
        )


def test_override_needs_the_leadership_office_a_reason_and_is_audited(putian, office_user, leader):
    project, _ = putian
    office = office_user
    prepare_to_notification(office, project)
    publish(office, project, "notification", "2026-01-14", others=[upload("service_proof")])
    complete(office, project, "compensation_plan", "2026-01-20")
    complete(office, project, "compensation_registration", "2026-01-26")
    complete(office, project, "agreement", "2026-02-02")
    with clock.frozen("2026-02-25"):
        kwargs = {
            "project": project,
            "code": "approval_request",
            "done_on": "2026-02-25",
            "uploads": uploads_for(project, "approval_request"),
            "override_reason": "区政府常务会议同意先行报批",
        }
        with pytest.raises(PermissionDenied):
            actions.step_complete(actor=office, **kwargs)
        step = actions.step_complete(actor=leader, **kwargs)
    assert step.basis == StepBasis.OVERRIDE
    assert set(step.overridden_gates) == {"funds_before_request", "social_security_reviewed_before_request"}
    event = AuditEvent.objects.filter(action="procedure.step.override").get()
    assert event.reason == "区政府常务会议同意先行报批"


def test_waivers_need_the_override_role_and_a_reason(putian, office_user, leader):
    project, _ = putian
    with clock.frozen("2026-01-10"):
        with pytest.raises(PermissionDenied):
            actions.step_waive(actor=office_user, project=project, code="hearing", reason="无人申请")
        refused(InvalidInput, "豁免理由", actions.step_waive, actor=leader, project=project, code="hearing", reason="")
        refused(
            GateClosed,
            "必经步骤，不能豁免",
            actions.step_waive,
            actor=leader,
            project=project,
            code="approval",
            reason="x",
        )
        step = actions.step_waive(actor=leader, project=project, code="hearing", reason="无人申请听证")
    assert step.status == StepStatus.WAIVED
    assert AuditEvent.objects.filter(action="procedure.step.waive", reason="无人申请听证").exists()


def test_township_clerk_cannot_record_government_acts(putian, clerk_a):
    project, _ = putian
    with clock.frozen("2026-01-05"), pytest.raises(PermissionDenied) as info:
        actions.step_complete(
            actor=clerk_a,
            project=project,
            code="pre_announcement",
            done_on="2026-01-05",
            uploads=uploads_for(project, "pre_announcement"),
        )
    assert "区征地办" in str(info.value)


def test_late_registration_uses_the_survey_result(putian, office_user):
    from zhengqian.households import actions as household_actions

    project, households = putian
    office = office_user
    with clock.frozen("2026-01-09"):
        household_actions.survey_record(actor=office, household=households[0], surveyed_on="2026-01-09")
    prepare_to_notification(office, project)
    complete(office, project, "compensation_plan", "2026-01-20")
    with clock.frozen("2026-01-21"):
        notice = actions.notice_draft(
            actor=office,
            project=project,
            kind="notification",
            issued_on="2026-01-21",
            registration_deadline="2026-02-06",
        )
        actions.notice_publish(
            actor=office,
            document=notice,
            published_on="2026-01-21",
            posting_place="公告栏",
            photos=[upload("photo")],
            others=[upload("service_proof")],
        )
    complete(office, project, "registered", "2026-02-02", household=households[1])
    with clock.frozen("2026-02-06"):
        refused(GateClosed, "尚未届满", actions.registration_apply_late, actor=office, project=project)
    with clock.frozen("2026-02-09"):
        changed = actions.registration_apply_late(actor=office, project=project)
    assert [step.household_id for step in changed] == [households[0].pk]  # [2] has no survey to use
    late = row(project, "registered", households[0])
    assert late.status == StepStatus.DONE and late.basis == StepBasis.SURVEY_RESULT_USED
    assert "调查核实结果为准" in late.note and "putian-2014 (五)" in late.note
    assert row(project, "registered", households[2]).status == StepStatus.NOT_STARTED
