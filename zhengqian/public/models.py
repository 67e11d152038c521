"""The public side's own rows: the log of household self-lookups (issue 11 §4).

The full ID number is never stored: only its keyed HMAC (core.crypto.lookup_hash, the same
helper the register uses for exact matches) and the masked form (110***********1234). The table
is append-only (PostgreSQL trigger)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhengqian.households.models import Household


class LookupOutcome(models.TextChoices):
    FOUND = "found", "查到本户"
    NOT_FOUND = "not_found", "未匹配"
    THROTTLED = "throttled", "频繁查询被限制"


class LookupLog(models.Model):
    at = models.DateTimeField("时间", db_index=True)
    id_hash = models.CharField("证件号 HMAC", max_length=64, blank=True)
    id_masked = models.CharField("证件号（脱敏）", max_length=40, blank=True)
    address = models.CharField("来源地址", max_length=64, blank=True)
    outcome = models.CharField("结果", max_length=12, choices=LookupOutcome.choices)
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "自助查询记录"
        verbose_name_plural = "自助查询记录"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(name="lookup_outcome_valid", condition=Q(outcome__in=LookupOutcome.values)),
            models.CheckConstraint(
                name="lookup_found_has_household",
                condition=Q(outcome="found", household__isnull=False)
                | (~Q(outcome="found") & Q(household__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.id_masked} {self.outcome}"
