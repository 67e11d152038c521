"""The document service's rows (banan-2015 (七) 档案; putian-2014 (九) 全过程记录):

- ``NumberCounter``: the last number of a kind of document in a scope and year (〔2026〕12号);
  locked with select_for_update while the next one is taken, so numbers have no gaps and no
  duplicates under concurrent requests (numbering.py).
- ``RenderedDocument``: every file the service rendered, kept by the SHA-256 of its bytes in the
  evidence store and listed in the audit chain. Append-only.
- ``RenderJob``: a batch rendering with its progress.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import EvidenceFile
from zhengqian.households.models import Household
from zhengqian.projects.models import Project


class NumberCounter(models.Model):
    scope = models.CharField("范围", max_length=60)
    kind = models.CharField("文书类型", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "文号计数"
        verbose_name_plural = "文号计数"
        constraints = [
            models.UniqueConstraint(fields=["scope", "kind", "year"], name="documents_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.kind}/{self.year}: {self.last}"


class RenderedDocument(models.Model):
    kind = models.CharField("文书类型", max_length=40)
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=80, blank=True)
    project = models.ForeignKey(
        Project, verbose_name="征地项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.ForeignKey(EvidenceFile, verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=80, blank=True)
    jurisdiction_path = models.CharField(max_length=255, db_index=True)
    rendered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rendered_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "已生成文书"
        verbose_name_plural = "已生成文书"
        ordering = ["-rendered_at", "-id"]
        indexes = [models.Index(fields=["project", "kind"]), models.Index(fields=["household", "kind"])]

    def __str__(self) -> str:
        return f"{self.title}{f'（{self.number}）' if self.number else ''}"


class JobStatus(models.TextChoices):
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "有失败"


class RenderJob(models.Model):
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("文书类型", max_length=40)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.RUNNING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "批量生成"
        verbose_name_plural = "批量生成"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="render_job_progress_bounded", condition=Q(done__lte=models.F("total"))),
            models.CheckConstraint(name="render_job_status_valid", condition=Q(status__in=JobStatus.values)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * (self.done + self.failed) / self.total)
