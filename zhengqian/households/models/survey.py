"""Survey confirmation (调查确认, putian-2014 (二)) and the evidence attached to a household or
one of its items (putian-2014 (八)(九))."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from zhengqian.core.models import EvidenceFile
from zhengqian.projects.models import Project

from .households import CLAUSE_SURVEY, Household

# --- survey confirmation (putian-2014 (二)) ------------------------------------------------


class SurveyRecordState(models.TextChoices):
    AWAITING_SIGNATURE = "awaiting_signature", "待签字确认"
    WINDOW_OPEN = "window_open", "异议期中"
    OBJECTED = "objected", "有异议待复核"
    CONFIRMED = "confirmed", "已确认"
    SUPERSEDED = "superseded", "已重新调查"


class ConfirmationBasis(models.TextChoices):
    NONE = "", "—"
    SIGNED = "signed", "签字确认，异议期满无异议"
    DEEMED = "deemed", "拒绝签字且未提异议，视为确认"
    REVIEWED = "reviewed", "复核无误，视为确认"


class SurveyRecord(models.Model):
    """One version of a household's survey result and its confirmation.

    Signed (`signed_on`) or, when the household refuses, served (`served_on`): the objection
    window of 5 working days runs from that date (`window_due`, `window_provisional` when the
    calendar year is not loaded — such a window is never closed automatically).
    """

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="surveys")
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField("版本")
    surveyed_on = models.DateField("调查日期")
    surveyors = models.CharField("调查人员", max_length=200, blank=True)
    summary = models.JSONField("调查结果摘要", default=dict)
    state = models.CharField(
        "状态", max_length=20, choices=SurveyRecordState.choices, default=SurveyRecordState.AWAITING_SIGNATURE
    )
    signed_on = models.DateField("签字日期", null=True, blank=True)
    signed_by_name = models.CharField("签字人", max_length=40, blank=True)
    refused = models.BooleanField("拒绝签字", default=False)
    served_on = models.DateField("送达日期", null=True, blank=True)
    window_start = models.DateField("异议期起算日", null=True, blank=True)
    window_due = models.DateField("异议期届满日", null=True, blank=True)
    window_provisional = models.BooleanField("届满日暂定", default=False)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    confirmation_basis = models.CharField(
        "确认依据", max_length=20, choices=ConfirmationBasis.choices, blank=True, default=""
    )
    clause = models.CharField("依据条款", max_length=80, blank=True, default=CLAUSE_SURVEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "现状调查记录"
        verbose_name_plural = "现状调查记录"
        ordering = ["household_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["household", "version"], name="survey_version_unique"),
            models.CheckConstraint(name="survey_state_valid", condition=Q(state__in=SurveyRecordState.values)),
            models.CheckConstraint(
                name="survey_signed_or_refused",
                condition=Q(signed_on__isnull=True) | Q(refused=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "window_due"])]

    def __str__(self) -> str:
        return f"{self.household.code} 调查第{self.version}版"


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", "待复核"
    RESURVEY = "resurvey", "有误，重新调查"
    UPHELD = "upheld", "复核无误"


class SurveyObjection(models.Model):
    """A written objection to a survey result within the window (putian-2014 (二))."""

    survey = models.ForeignKey(
        SurveyRecord, verbose_name="调查记录", on_delete=models.PROTECT, related_name="objections"
    )
    filed_on = models.DateField("提出日期")
    filed_by_name = models.CharField("提出人", max_length=40)
    content = models.TextField("异议内容")
    outcome = models.CharField(
        "复核结果", max_length=20, choices=ObjectionOutcome.choices, default=ObjectionOutcome.PENDING
    )
    resolved_on = models.DateField("复核日期", null=True, blank=True)
    resolution = models.TextField("复核意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "调查异议"
        verbose_name_plural = "调查异议"
        ordering = ["survey_id", "id"]
        constraints = [
            models.CheckConstraint(name="objection_outcome_valid", condition=Q(outcome__in=ObjectionOutcome.values)),
        ]

    def __str__(self) -> str:
        return f"异议 {self.filed_on} {self.filed_by_name}"


# --- evidence on any of them (putian-2014 (八)(九)) ---------------------------------------------


class EvidenceLink(models.Model):
    """An evidence file attached to a household or one of its items, with who/when/where.

    The file itself is stored once by SHA-256 (core.EvidenceFile); the same photo may be
    linked to several objects, each link with its own labels.
    """

    file = models.ForeignKey(EvidenceFile, verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_links"
    )
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    jurisdiction_path = models.CharField(max_length=255, db_index=True)
    taken_by = models.CharField("拍摄/记录人", max_length=60)
    taken_at = models.DateTimeField("拍摄/记录时间")
    place = models.CharField("地点", max_length=200)
    caption = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(fields=["file", "content_type", "object_id"], name="evidence_link_once_per_object"),
        ]

    def __str__(self) -> str:
        return f"{self.caption or self.file.original_name}"
