"""The official calendar: one row per State Council holiday notice, one row per official day
(design.md §3, "Calendar"). A year without a CalendarYear row is not loaded, and is never
guessed: periods touching it are provisional (暂定)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.domain.calendar import MAX_YEAR, MIN_YEAR


class OfficialDayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class CalendarYear(models.Model):
    """The holiday arrangement of one year, as published by the State Council.

    ``revision`` changes on every load or replacement; the per-process calendar cache is keyed
    by the revisions of all years, so a load by any worker is seen by every worker.
    """

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source_notice = models.TextField("依据通知")
    loaded_at = models.DateTimeField("载入时间")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="载入人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    revision = models.CharField(max_length=40, editable=False)

    class Meta:
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                name="calendar_year_in_supported_range", condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR)
            ),
            models.CheckConstraint(name="calendar_year_notice_not_blank", condition=~Q(source_notice="")),
        ]

    def __str__(self) -> str:
        return f"{self.year}年"


class OfficialDay(models.Model):
    """A day off (放假) or a make-up workday (调休上班) under a year's notice."""

    day = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=OfficialDayKind.choices)
    name = models.CharField("节日", max_length=40)
    year = models.ForeignKey(CalendarYear, verbose_name="年度", on_delete=models.PROTECT, related_name="days")

    class Meta:
        verbose_name = "官方日"
        verbose_name_plural = "官方日"
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(name="official_day_kind_valid", condition=Q(kind__in=["holiday", "workday"])),
            models.CheckConstraint(name="official_day_name_not_blank", condition=~Q(name="")),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.name}（{self.get_kind_display()}）"
