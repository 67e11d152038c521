"""Projects (征地项目): one expropriation for one construction need."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import Jurisdiction

SQUARE_METRES_PER_MU = Decimal(10000) / Decimal(15)


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", "筹备中"
    IN_PROGRESS = "in_progress", "实施中"
    SUSPENDED = "suspended", "暂停"
    COMPLETED = "completed", "已完成"
    ARCHIVED = "archived", "已归档"


class Project(models.Model):
    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=120)
    purpose = models.TextField("用地用途", blank=True)
    owner_name = models.CharField("业主单位", max_length=120)
    district = models.ForeignKey(
        Jurisdiction,
        verbose_name="所属区县",
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"level": "district"},
    )
    townships = models.ManyToManyField(
        Jurisdiction, verbose_name="涉及镇街", related_name="township_projects", limit_choices_to={"level": "township"}
    )
    land_area = models.DecimalField("征地总面积（平方米）", max_digits=14, decimal_places=2)
    policy_pack = models.CharField("适用政策", max_length=40)
    status = models.CharField("状态", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "征地项目"
        verbose_name_plural = "征地项目"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="project_land_area_not_negative", condition=Q(land_area__gte=0)),
            models.CheckConstraint(name="project_code_not_blank", condition=~Q(code="")),
            models.CheckConstraint(name="project_status_valid", condition=Q(status__in=ProjectStatus.values)),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def land_area_mu(self) -> Decimal:
        return (self.land_area / SQUARE_METRES_PER_MU).quantize(Decimal("0.01"))
