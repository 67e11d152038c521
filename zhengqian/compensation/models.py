"""Compensation (补偿): the project's versioned standard, household valuations line by line,
re-pricing runs with their diff, publicity lists and numbered agreements.

- One standard per project (yongzhou-linkage 五(二) "同一项目不能出现不同标准"): many versions,
  at most one approved at a time (a partial unique constraint), approved by the leadership
  group (banan-2015 (二) "必须报经区征地拆迁工作领导小组和区政府审定").
- A valuation is one pricing run of one household against one approved version; its lines
  are the pure domain's ``Line`` rows and never change (append-only on PostgreSQL).
- An agreement is numbered per project per year from a counter row; once signed it is
  immutable (check constraint, action refusal, and a database trigger) and corrected only by a
  supplementary agreement (民法典 第五百四十三条).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import EvidenceFile, Jurisdiction
from zhengqian.domain.compensation import CATEGORIES, PAYEES, UNITS
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

CLAUSE_ONE_STANDARD = "yongzhou-linkage 五(二)"
CLAUSE_APPROVAL = "banan-2015 (二)"
CLAUSE_SURVEY = "putian-2014 (二)"
CLAUSE_PAYMENT = "yongzhou-linkage 五(一)4"
CLAUSE_REWARD = "putian-2014 (十一)"
CLAUSE_PUBLICITY = "putian-2014 (七)"
CLAUSE_SUPPLEMENT = "民法典 第五百四十三条"

CATEGORY_CHOICES = [(code, label) for code, label in CATEGORIES.items() if code != "reward"]
LINE_CATEGORY_CHOICES = list(CATEGORIES.items())
UNIT_CHOICES = list(UNITS.items())
PAYEE_CHOICES = list(PAYEES.items())
MONEY = {"max_digits": 16, "decimal_places": 2}


# --- the standard (补偿标准) ------------------------------------------------------------------


class StandardStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "待领导小组审定"
    APPROVED = "approved", "已批准（现行）"
    SUPERSEDED = "superseded", "已被新版本替代"


class CompensationStandard(models.Model):
    """One version of a project's compensation standard."""

    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="standards")
    version = models.PositiveIntegerField("版本")
    status = models.CharField("状态", max_length=20, choices=StandardStatus.choices, default=StandardStatus.DRAFT)
    reason = models.TextField("制定/调整原因", blank=True)
    transition_months_default = models.PositiveSmallIntegerField("默认过渡期（月）", default=0)
    review_note = models.TextField("审核意见", blank=True)
    approval_reference = models.CharField("审定文号/会议纪要", max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")
    submitted_at = models.DateTimeField("提交审定时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    superseded_at = models.DateTimeField("替代时间", null=True, blank=True)

    class Meta:
        verbose_name = "补偿标准"
        verbose_name_plural = "补偿标准"
        ordering = ["project_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="standard_version_unique"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="approved"), name="standard_one_approved_per_project"
            ),
            models.CheckConstraint(name="standard_status_valid", condition=Q(status__in=StandardStatus.values)),
            models.CheckConstraint(
                name="standard_approved_has_approver",
                condition=~Q(status__in=["approved", "superseded"]) | Q(approved_at__isnull=False),
            ),
            models.CheckConstraint(name="standard_later_version_has_reason", condition=Q(version=1) | ~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} 补偿标准第{self.version}版"

    @property
    def label(self) -> str:
        return f"第{self.version}版"

    @property
    def editable(self) -> bool:
        return self.status == StandardStatus.DRAFT


class StandardRate(models.Model):
    """One rate: ``amount`` yuan per ``unit`` of ``item`` (domain ``Rate``)."""

    standard = models.ForeignKey(CompensationStandard, on_delete=models.CASCADE, related_name="rates")
    category = models.CharField("补偿类别", max_length=30, choices=CATEGORY_CHOICES)
    item = models.CharField("项目代码", max_length=80)
    name = models.CharField("项目名称", max_length=80)
    unit = models.CharField("计量单位", max_length=12, choices=UNIT_CHOICES)
    amount = models.DecimalField("单价（元）", max_digits=16, decimal_places=4)
    payee = models.CharField("支付对象", max_length=20, choices=PAYEE_CHOICES)
    clause = models.CharField("依据条款", max_length=80)

    class Meta:
        verbose_name = "补偿单价"
        verbose_name_plural = "补偿单价"
        ordering = ["standard_id", "category", "item"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "item"], name="rate_item_once_per_standard"),
            models.CheckConstraint(name="rate_amount_not_negative", condition=Q(amount__gte=0)),
            models.CheckConstraint(name="rate_item_not_blank", condition=~Q(item="")),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.amount} 元/{UNITS.get(self.unit, self.unit)}"

    @property
    def unit_label(self) -> str:
        return UNITS.get(self.unit, self.unit)


class StandardRewardWindow(models.Model):
    """An early-handover reward window (交地奖励, putian-2014 (十一))."""

    standard = models.ForeignKey(CompensationStandard, on_delete=models.CASCADE, related_name="reward_windows")
    start = models.DateField("交地起始日")
    end = models.DateField("交地截止日")
    amount_per_household = models.DecimalField("每户奖励（元）", **MONEY, null=True, blank=True)
    percent = models.DecimalField("按补偿额比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    clause = models.CharField("依据条款", max_length=80, default=CLAUSE_REWARD)

    class Meta:
        verbose_name = "交地奖励期限"
        verbose_name_plural = "交地奖励期限"
        ordering = ["standard_id", "start"]
        constraints = [
            models.CheckConstraint(name="reward_window_ordered", condition=Q(end__gte=models.F("start"))),
            models.CheckConstraint(
                name="reward_window_one_kind",
                condition=(Q(amount_per_household__isnull=False, percent__isnull=True)
                           | Q(amount_per_household__isnull=True, percent__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start}—{self.end}"


# --- valuations (估价) -------------------------------------------------------------------------


class JobStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "计算中"
    DONE = "done", "已完成"
    FAILED = "failed", "出错"


class RepricingJob(models.Model):
    """Pricing every household of a project against one approved version, with progress."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="repricing_jobs")
    standard = models.ForeignKey(CompensationStandard, on_delete=models.PROTECT, related_name="jobs")
    previous_standard = models.ForeignKey(
        CompensationStandard, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.PENDING)
    total = models.PositiveIntegerField("总户数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    changed = models.PositiveIntegerField("金额变化户数", default=0)
    needs_supplement = models.PositiveIntegerField("需补充协议户数", default=0)
    skipped = models.PositiveIntegerField("未确认调查户数", default=0)
    failed = models.PositiveIntegerField("计价出错户数", default=0)
    message = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "重新计价任务"
        verbose_name_plural = "重新计价任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="job_done_within_total", condition=Q(done__lte=models.F("total"))),
        ]

    def __str__(self) -> str:
        return f"重新计价 #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class Valuation(models.Model):
    """One pricing run of one household against one approved standard version."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="valuations")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    standard = models.ForeignKey(CompensationStandard, on_delete=models.PROTECT, related_name="valuations")
    job = models.ForeignKey(RepricingJob, null=True, blank=True, on_delete=models.PROTECT, related_name="valuations")
    sequence = models.PositiveIntegerField("第几次计价")
    is_current = models.BooleanField("现行", default=True)
    total = models.DecimalField("合计（元）", **MONEY)
    total_household = models.DecimalField("付本户（元）", **MONEY)
    total_collective = models.DecimalField("付集体（元）", **MONEY)
    resettled_persons = models.PositiveSmallIntegerField("安置人口", default=0)
    transition_months = models.PositiveSmallIntegerField("过渡期（月）", null=True, blank=True)
    handover_on = models.DateField("交地日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("计价时间")

    class Meta:
        verbose_name = "补偿估价"
        verbose_name_plural = "补偿估价"
        ordering = ["household_id", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["household", "sequence"], name="valuation_sequence_unique"),
            models.UniqueConstraint(fields=["household"], condition=Q(is_current=True), name="valuation_one_current"),
            models.CheckConstraint(name="valuation_total_not_negative", condition=Q(total__gte=0)),
        ]
        indexes = [models.Index(fields=["project", "is_current"])]

    def __str__(self) -> str:
        return f"{self.household.code} 第{self.sequence}次计价"

    @property
    def total_in_words(self) -> str:
        from zhengqian.domain.money import amount_in_words

        return amount_in_words(self.total)


class ValuationLine(models.Model):
    """One priced line (domain ``Line``); ``amount == round_fen(quantity × rate)``."""

    valuation = models.ForeignKey(Valuation, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField("序号")
    category = models.CharField("补偿类别", max_length=30, choices=LINE_CATEGORY_CHOICES)
    item = models.CharField("项目代码", max_length=80)
    source = models.CharField("对象编号", max_length=60)
    description = models.CharField("内容", max_length=300)
    quantity = models.DecimalField("数量", max_digits=20, decimal_places=4)
    unit = models.CharField("单位", max_length=12)
    rate = models.DecimalField("单价", max_digits=20, decimal_places=6)
    formula = models.CharField("计算式", max_length=200)
    amount = models.DecimalField("金额（元）", **MONEY)
    payee = models.CharField("支付对象", max_length=20, choices=PAYEE_CHOICES)
    clause = models.CharField("依据条款", max_length=80)
    excluded_reason = models.CharField("不予补偿原因", max_length=200, blank=True)
    case_by_case = models.BooleanField("个案研究", default=False)

    class Meta:
        verbose_name = "估价明细"
        verbose_name_plural = "估价明细"
        ordering = ["valuation_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["valuation", "position"], name="valuation_line_position_unique"),
            models.CheckConstraint(name="valuation_line_amount_not_negative", condition=Q(amount__gte=0)),
            models.CheckConstraint(
                name="valuation_line_excluded_is_zero", condition=Q(excluded_reason="") | Q(amount=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"

    @property
    def unit_label(self) -> str:
        return UNITS.get(self.unit, "元" if self.unit == "yuan" else self.unit)

    @property
    def payee_label(self) -> str:
        return PAYEES.get(self.payee, self.payee)


class RepricingChange(models.Model):
    """One household's row of a re-pricing diff: old and new totals and the changed lines."""

    job = models.ForeignKey(RepricingJob, on_delete=models.CASCADE, related_name="changes")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    old_valuation = models.ForeignKey(Valuation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    new_valuation = models.ForeignKey(Valuation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    old_total = models.DecimalField(**MONEY, null=True, blank=True)
    new_total = models.DecimalField(**MONEY, null=True, blank=True)
    changed_lines = models.JSONField(default=list)
    needs_supplement = models.BooleanField("已签协议，需补充协议", default=False)
    error = models.CharField("计价出错", max_length=300, blank=True)

    class Meta:
        verbose_name = "重新计价差异"
        verbose_name_plural = "重新计价差异"
        ordering = ["job_id", "household_id"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.old_total} → {self.new_total}"

    @property
    def delta(self) -> object:
        if self.old_total is None or self.new_total is None:
            return None
        return self.new_total - self.old_total


# --- publicity lists (公示) ---------------------------------------------------------------------


class PublicityStatus(models.TextChoices):
    DRAFT = "draft", "待公示"
    PUBLISHED = "published", "公示中"
    CLOSED = "closed", "公示结束"


class PublicityList(models.Model):
    """The list of a village's households and amounts, posted for a period (putian-2014 (七)(十))."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="publicity_lists")
    village = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    standard = models.ForeignKey(CompensationStandard, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=12, choices=PublicityStatus.choices, default=PublicityStatus.DRAFT)
    total = models.DecimalField("合计（元）", **MONEY, default=0)
    published_on = models.DateField("公示日期", null=True, blank=True)
    period_rule = models.CharField("公示期", max_length=40, blank=True)
    period_clause = models.CharField("公示期依据", max_length=120, blank=True)
    ends_on = models.DateField("公示届满日", null=True, blank=True)
    ends_provisional = models.BooleanField("届满日暂定", default=False)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "补偿公示"
        verbose_name_plural = "补偿公示"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="publicity_published_has_period",
                condition=Q(status="draft") | Q(published_on__isnull=False, ends_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village.name} 补偿公示 #{self.pk}"


class PublicityEntry(models.Model):
    publicity = models.ForeignKey(PublicityList, on_delete=models.CASCADE, related_name="entries")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    valuation = models.ForeignKey(Valuation, on_delete=models.PROTECT, related_name="+")
    household_code = models.CharField(max_length=40)
    head_name = models.CharField(max_length=40)
    head_name_masked = models.CharField(max_length=40)
    id_number_masked = models.CharField(max_length=40, blank=True)
    resettled_persons = models.PositiveSmallIntegerField(default=0)
    by_category = models.JSONField(default=dict)
    total = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["publicity_id", "household_code"]
        constraints = [
            models.UniqueConstraint(fields=["publicity", "household"], name="publicity_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.household_code} {self.head_name_masked} {self.total}"


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "异议成立，重新核算"
    DISMISSED = "dismissed", "异议不成立，维持原公示"


class PublicityObjection(models.Model):
    publicity = models.ForeignKey(PublicityList, on_delete=models.PROTECT, related_name="objections")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField("提出日期")
    filed_by_name = models.CharField("提出人", max_length=40)
    content = models.TextField("异议内容")
    outcome = models.CharField("处理结果", max_length=12, choices=ObjectionOutcome.choices,
                               default=ObjectionOutcome.PENDING)
    resolved_on = models.DateField("处理日期", null=True, blank=True)
    resolution = models.TextField("处理意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["publicity_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="publicity_objection_resolved_has_date",
                condition=Q(outcome="pending") | Q(resolved_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"公示异议 {self.filed_on} {self.filed_by_name}"


# --- agreements (补偿协议) ----------------------------------------------------------------------


class AgreementKind(models.TextChoices):
    ORIGINAL = "original", "补偿协议"
    SUPPLEMENTARY = "supplementary", "补充协议"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "待签"
    SIGNED = "signed", "已签订"


class ResettlementChoice(models.TextChoices):
    """Placeholder until the resettlement issue lands (banan-2015 (四))."""

    UNDECIDED = "undecided", "待定"
    HOUSING = "housing", "安置房安置"
    CASH = "cash", "货币安置"
    PURCHASE = "purchase", "购房安置"
    CROSS_REGION = "cross_region", "跨地域安置"


class AgreementCounter(models.Model):
    """The last number given in one project and year; locked while the next is taken."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="agreement_counter_unique")]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.year}: {self.last}"


class Agreement(models.Model):
    """A household's compensation agreement (补偿协议, yongzhou-linkage 五(一)4), or a
    supplementary agreement correcting a signed one."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="agreements")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="agreements")
    valuation = models.ForeignKey(Valuation, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField("类型", max_length=20, choices=AgreementKind.choices, default=AgreementKind.ORIGINAL)
    parent = models.ForeignKey(
        "self", verbose_name="原协议", null=True, blank=True, on_delete=models.PROTECT, related_name="supplements"
    )
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("协议编号", max_length=40)
    status = models.CharField("状态", max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    amount = models.DecimalField("协议金额（元）", **MONEY)
    amount_household = models.DecimalField("付本户（元）", **MONEY)
    amount_collective = models.DecimalField("付集体（元）", **MONEY)
    resettlement_choice = models.CharField(
        "安置方式", max_length=20, choices=ResettlementChoice.choices, default=ResettlementChoice.UNDECIDED
    )
    bank_name = models.CharField("开户银行", max_length=80, blank=True)
    bank_account_no = models.CharField("实名账号", max_length=40, blank=True)
    bank_account_holder = models.CharField("户名", max_length=40, blank=True)
    queue_position = models.PositiveIntegerField("签约顺序", default=0)
    signed_on = models.DateField("签订日期", null=True, blank=True)
    signatories = models.CharField("签字人", max_length=200, blank=True)
    signed_copy = models.ForeignKey(
        EvidenceFile, verbose_name="签字扫描件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_due = models.DateField("足额支付期限", null=True, blank=True)
    payment_due_provisional = models.BooleanField("期限暂定", default=False)
    payment_clause = models.CharField("支付期限依据", max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "补偿协议"
        verbose_name_plural = "补偿协议"
        ordering = ["project_id", "year", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "serial"], name="agreement_number_unique"),
            models.UniqueConstraint(
                fields=["household"], condition=Q(kind="original"), name="agreement_one_original_per_household"
            ),
            models.CheckConstraint(name="agreement_status_valid", condition=Q(status__in=AgreementStatus.values)),
            models.CheckConstraint(
                name="agreement_signed_complete",
                condition=Q(status="draft", signed_on__isnull=True, signed_copy__isnull=True, payment_due__isnull=True)
                | Q(status="signed", signed_on__isnull=False, signed_copy__isnull=False, payment_due__isnull=False)
                & ~Q(signatories=""),
            ),
            models.CheckConstraint(
                name="agreement_supplement_has_parent",
                condition=Q(kind="original", parent__isnull=True) | Q(kind="supplementary", parent__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["project", "status", "queue_position"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def signed(self) -> bool:
        return self.status == AgreementStatus.SIGNED

    @property
    def amount_in_words(self) -> str:
        from zhengqian.domain.money import amount_in_words

        return amount_in_words(self.amount)
