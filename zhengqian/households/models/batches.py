"""Import batches of the register workbook (the import/export/map module: excel/, imports.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.projects.models import Project


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "导入中"
    REJECTED = "rejected", "未通过校验，未导入"
    SUCCEEDED = "succeeded", "已导入"
    FAILED = "failed", "出错，未导入"


class HouseholdImport(models.Model):
    """One upload of the register workbook (imports.py): its file, progress and outcome.

    A file is identified by its SHA-256; the same file is imported into a project at most once
    (the conditional unique constraint), so a re-upload is detected and refused. Visible to
    users whose subtree contains `jurisdiction_path` (the uploader's node)."""

    project = models.ForeignKey(
        Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="household_imports"
    )
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    stored_name = models.CharField(max_length=255, blank=True, editable=False)
    status = models.CharField("状态", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    message = models.TextField("说明", blank=True)
    issues = models.JSONField("问题清单", default=list, blank=True)
    issue_total = models.PositiveIntegerField("问题数", default=0)
    counts = models.JSONField("导入数量", default=dict, blank=True)
    jurisdiction_path = models.CharField(max_length=255, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "户信息导入"
        verbose_name_plural = "户信息导入"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sha256"], condition=Q(status="succeeded"), name="household_import_file_once"
            ),
            models.CheckConstraint(name="household_import_status_valid", condition=Q(status__in=ImportStatus.values)),
        ]

    def __str__(self) -> str:
        return f"导入 #{self.pk} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.REJECTED, ImportStatus.SUCCEEDED, ImportStatus.FAILED)
