"""Social stability risk assessment: items, level, mitigation, conclusion; concluding completes
the procedure step ``stability_assessment`` (after the pre-announcement), and a high risk or an
unmitigated medium risk cannot be concluded."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengqian.coordination import actions_risk
from zhengqian.coordination.actions import Upload
from zhengqian.coordination.models import RiskAssessment
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.procedure.models import ProcedureStep
from zhengqian.procedure.tests.helpers import force_done

pytestmark = pytest.mark.django_db

REPORT = Upload(b"%PDF-1.4 report", "评估报告.pdf", "application/pdf")
MINUTES = Upload(b"%PDF-1.4 minutes", "评估会议记录.pdf", "application/pdf")


@pytest.fixture
def assessment(office_user, project_a, frozen_clock):
    return actions_risk.risk_assessment_open(actor=office_user, project=project_a, title="界石道路征地稳评")


def _conclude(actor, assessment):
    return actions_risk.risk_assessment_conclude(
        actor=actor,
        assessment=assessment,
        conclusion="风险可控",
        concluded_on=date(2026, 3, 2),
        report=REPORT,
        minutes=MINUTES,
    )


def test_conclusion_completes_the_procedure_step(office_user, project_a, assessment):
    force_done(project_a, ["pre_announcement"], "2026-02-20")
    actions_risk.risk_item_add(
        actor=office_user, assessment=assessment, description="补偿标准争议", level="medium", mitigation="逐户解释政策"
    )
    actions_risk.risk_item_add(actor=office_user, assessment=assessment, description="信访", level="low")
    done = _conclude(office_user, assessment)
    assert done.level == "medium" and done.status == "concluded"
    step = ProcedureStep.objects.get(project=project_a, household=None, code="stability_assessment")
    assert step.status == "done" and step.done_on == date(2026, 3, 2)
    assert sorted(step.evidence.values_list("kind", flat=True)) == ["document", "minutes"]


def test_the_procedure_order_applies(office_user, assessment):
    actions_risk.risk_item_add(actor=office_user, assessment=assessment, description="x", level="low")
    with pytest.raises(GateClosed):  # the pre-announcement is not done
        _conclude(office_user, assessment)
    assert RiskAssessment.objects.get(pk=assessment.pk).status == "draft"


def test_high_or_unmitigated_risk_cannot_be_concluded(office_user, project_a, assessment):
    force_done(project_a, ["pre_announcement"], "2026-02-20")
    with pytest.raises(InvalidInput):
        _conclude(office_user, assessment)  # no items
    actions_risk.risk_item_add(actor=office_user, assessment=assessment, description="x", level="medium")
    with pytest.raises(InvalidInput) as error:
        _conclude(office_user, assessment)
    assert error.value.field == "mitigation"
    high = actions_risk.risk_assessment_open(actor=office_user, project=project_a, title="再评估")
    actions_risk.risk_item_add(actor=office_user, assessment=high, description="y", level="high", mitigation="z")
    with pytest.raises(GateClosed):
        _conclude(office_user, high)
    assert not ProcedureStep.objects.filter(code="stability_assessment", status="done").exists()


def test_risk_pages(client, office_user, clerk_b, project_a, assessment):
    force_done(project_a, ["pre_announcement"], "2026-02-20")
    client.force_login(office_user)
    url = reverse("coordination:risk", kwargs={"pk": assessment.pk})
    client.post(url, {"what": "item", "description": "争议", "level": "low", "mitigation": ""})
    response = client.post(
        url,
        {
            "what": "conclude",
            "conclusion": "低风险",
            "concluded_on": "2026-03-02",
            "report": SimpleUploadedFile("r.pdf", b"%PDF r"),
            "minutes": SimpleUploadedFile("m.pdf", b"%PDF m"),
        },
    )
    assert response.status_code == 302
    assert RiskAssessment.objects.get(pk=assessment.pk).status == "concluded"
    client.force_login(clerk_b)
    assert client.get(url).status_code == 404
