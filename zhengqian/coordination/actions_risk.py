"""Social stability risk assessment (社会稳定风险评估; 实施条例 第二十六条, putian-2014 (八)):
items with level and mitigation, then a conclusion that completes the procedure step
``stability_assessment`` with the report and the minutes as its evidence."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain import coordination as rules
from zhengqian.domain.errors import InvalidInput
from zhengqian.procedure.actions_steps import Upload as StepUpload
from zhengqian.procedure.actions_steps import step_complete
from zhengqian.projects.models import Project

from .actions import Upload
from .models import RiskAssessment, RiskItem

STEP = "stability_assessment"


def risk_assessment_open(*, actor: User, project: Project, title: str) -> RiskAssessment:
    require(actor, "coordination.manage")
    if not title.strip():
        raise InvalidInput("请填写评估事项。", field="title")
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            project=project, title=title.strip()[:200], created_by=actor, created_at=clock.now()
        )
        audit.record(
            actor=actor,
            action="risk.open",
            obj=assessment,
            after={"title": assessment.title},
            jurisdiction_path=project.district.path,
        )
    return assessment


def risk_item_add(
    *, actor: User, assessment: RiskAssessment, description: str, level: str, mitigation: str = ""
) -> RiskItem:
    require(actor, "coordination.manage")
    if not description.strip():
        raise InvalidInput("请填写风险点。", field="description")
    try:
        rules.RiskLevel(level)
    except ValueError:
        raise InvalidInput("风险等级不正确。", field="level") from None
    with transaction.atomic():
        assessment = (
            RiskAssessment.objects.select_for_update().select_related("project__district").get(pk=assessment.pk)
        )
        if assessment.status != "draft":
            raise InvalidInput("评估已作出结论。", field="assessment")
        item = RiskItem.objects.create(
            assessment=assessment, description=description.strip(), level=level, mitigation=mitigation.strip()
        )
        audit.record(
            actor=actor,
            action="risk.item",
            obj=assessment,
            after={"description": item.description, "level": level, "mitigation": item.mitigation},
            jurisdiction_path=assessment.project.district.path,
        )
    return item


def risk_assessment_conclude(
    *, actor: User, assessment: RiskAssessment, conclusion: str, concluded_on: date, report: Upload, minutes: Upload
) -> RiskAssessment:
    """Conclude (not high risk, every medium/high item mitigated) and complete the project's
    ``stability_assessment`` step through the procedure app, in the same transaction: the
    step's order and gates apply (it follows the pre-announcement)."""
    require(actor, "coordination.manage")
    if not conclusion.strip():
        raise InvalidInput("请填写评估结论。", field="conclusion")
    if concluded_on > clock.today():
        raise InvalidInput("结论日期不能晚于今天。", field="concluded_on")
    with transaction.atomic():
        assessment = (
            RiskAssessment.objects.select_for_update().select_related("project__district").get(pk=assessment.pk)
        )
        if assessment.status != "draft":
            raise InvalidInput("评估已作出结论。", field="assessment")
        items = list(assessment.items.all())
        level = rules.ensure_can_conclude([i.level for i in items], [i.mitigation for i in items])
        step_complete(
            actor=actor,
            project=assessment.project,
            code=STEP,
            done_on=concluded_on,
            uploads=[
                StepUpload("document", report.content, report.name, report.content_type),
                StepUpload("minutes", minutes.content, minutes.name, minutes.content_type),
            ],
            note=f"{level.label}：{conclusion.strip()}"[:2000],
        )
        assessment.level = level.value
        assessment.conclusion = conclusion.strip()
        assessment.concluded_on = concluded_on
        assessment.status = "concluded"
        assessment.save()
        audit.record(
            actor=actor,
            action="risk.conclude",
            obj=assessment,
            after={"level": level.value, "conclusion": assessment.conclusion, "concluded_on": concluded_on},
            jurisdiction_path=assessment.project.district.path,
        )
    return assessment
