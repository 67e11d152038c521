"""banan-2015: no work before the pre-funding is in place (五); no pre-clearance without the
district government's collective approval and a written pledge (三); representatives elected
before the survey (三). Facts are recorded with evidence; the derived one cannot be."""

from __future__ import annotations

import pytest

from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.procedure import actions
from zhengqian.procedure.models import ProcedureStep, ProjectFact

from .helpers import complete, fact, upload, uploads_for

pytestmark = pytest.mark.django_db


def attempt(actor, project, code, on="2026-03-02"):
    with clock.frozen(on):
        return actions.step_complete(
            actor=actor, project=project, code=code, done_on=on, uploads=uploads_for(project, code)
        )


def test_pre_clearance_needs_funding_district_approval_and_a_pledge(official_calendar, project_b, office_user, leader):
    expected = [
        ("pre_funding_in_place", "前置资金尚未足额到位"),
        ("pre_clearance_approved", "尚未经区政府集体研究审批"),
        ("pledge_signed", "尚未作出书面承诺"),
    ]
    for fact_code, message in expected:
        events = AuditEvent.objects.count()
        with pytest.raises(GateClosed) as info:
            attempt(office_user, project_b, "pre_clearance")
        assert message in str(info.value)
        assert info.value.clause.startswith("banan-2015")
        assert AuditEvent.objects.count() == events
        fact(leader, project_b, fact_code, on="2026-03-01")
    step = attempt(office_user, project_b, "pre_clearance")
    assert step.status == "done"


def test_no_work_starts_before_the_pre_funding(official_calendar, project_b, office_user, finance):
    with pytest.raises(GateClosed) as info:
        attempt(office_user, project_b, "pre_announcement")
    assert "不能启动征地拆迁工作" in str(info.value) and info.value.clause == "banan-2015 五"
    fact(finance, project_b, "pre_funding_in_place", on="2026-03-01")
    attempt(office_user, project_b, "pre_announcement")


def test_representatives_are_elected_before_the_survey(official_calendar, project_b, office_user, finance):
    fact(finance, project_b, "pre_funding_in_place", on="2026-03-01")
    complete(office_user, project_b, "pre_announcement", "2026-03-02")
    with pytest.raises(GateClosed) as info:
        attempt(office_user, project_b, "status_survey", "2026-03-03")
    assert "尚未选举群众代表" in str(info.value)
    complete(office_user, project_b, "representative_election", "2026-03-03")
    attempt(office_user, project_b, "status_survey", "2026-03-04")


def test_facts_need_evidence_a_reason_and_the_role(official_calendar, project_b, office_user, clerk_b, finance):
    with clock.frozen("2026-03-01"):
        with pytest.raises(InvalidInput, match="须附证明文件"):
            actions.fact_record(actor=finance, project=project_b, code="funds_in_place", value=True, reason="到账")
        with pytest.raises(InvalidInput, match="依据说明"):
            actions.fact_record(
                actor=finance,
                project=project_b,
                code="funds_in_place",
                value=True,
                reason=" ",
                upload=upload("document"),
            )
        with pytest.raises(InvalidInput, match="支付记录得出"):
            actions.fact_record(
                actor=finance, project=project_b, code="paid_in_full", value=True, reason="x", upload=upload("document")
            )
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            actions.fact_record(
                actor=clerk_b,
                project=project_b,
                code="funds_in_place",
                value=True,
                reason="x",
                upload=upload("document"),
            )
        recorded = actions.fact_record(
            actor=finance,
            project=project_b,
            code="funds_in_place",
            value=True,
            reason="专户到账 3000 万元",
            upload=upload("bank_record"),
        )
        # withdrawn later, with the reason
        actions.fact_record(actor=finance, project=project_b, code="funds_in_place", value=False, reason="退回")
    assert ProjectFact.objects.get(pk=recorded.pk).value is False
    assert AuditEvent.objects.filter(action="procedure.fact.record").count() == 2
    assert not ProcedureStep.objects.filter(project=project_b, status="done").exists()


def test_facts_set_by_the_funds_ledger(official_calendar, project_b, office_user, finance):
    from zhengqian.procedure.engine import facts_for

    with clock.frozen("2026-03-01"):
        actions.project_fact_set(actor=finance, project=project_b, fact="pre_funding_in_place", value=True)
        actions.project_fact_set(actor=finance, project=project_b, fact="pre_funding_in_place", value=True)
        with pytest.raises(InvalidInput, match="资金台账确定"):
            actions.fact_record(actor=finance, project=project_b, code="pre_funding_in_place", value=False, reason="x")
        assert facts_for(project_b)["paid_in_full"] is False  # derived: no household paid
        actions.project_fact_set(actor=finance, project=project_b, fact="paid_in_full", value=True)
    assert facts_for(project_b)["paid_in_full"] is True  # the ledger's answer governs
    assert AuditEvent.objects.filter(action="procedure.fact.set").count() == 2  # unchanged value: no event
    attempt(office_user, project_b, "pre_announcement")
