"""Resettlement (安置): resettled persons, each household's resettlement form, the housing pool
(estates and units under the five unifications), selection days with their published order,
allocations with handover, property certificate and transition, social-security enrolment.

- banan-2015 (四): 安置房“五统一”; 由镇街负责安置房分配; 分房后三个月内最迟不超过六个月完成权证办理;
  货币安置、购房安置、跨地域安置.
- putian-2014 (十二)(十三)(十四)(十五)(十六): farmland first, reserved land/property and shares,
  resettle before demolishing, social-security funds and beneficiary lists.

A unit is allocated at most once: a partial unique constraint on the live allocation of each
unit and of each household, and the allocation action locks the unit row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import EvidenceFile, Jurisdiction
from zhengqian.domain.resettlement import FORM_LABELS, Form
from zhengqian.households.models import Household, HouseholdMember
from zhengqian.projects.models import Project

MONEY = {"max_digits": 16, "decimal_places": 2}
AREA = {"max_digits": 10, "decimal_places": 2}

FORM_CHOICES = [(form.value, FORM_LABELS[form]) for form in Form]


# --- the project's published scheme ---------------------------------------------------------------


class Scheme(models.Model):
    """A project's resettlement scheme as published (安置方案): who counts as a resettled
    person and the housing terms. The documents leave these numbers to the district
    (banan-2015 (二) 安置标准及形式), so they are recorded per project with their source."""

    project = models.OneToOneField(
        Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="resettlement_scheme"
    )
    require_contract = models.BooleanField("须为土地承包经营户", default=True)
    count_non_agricultural = models.BooleanField("非农业户口计入", default=False)
    minimum_age = models.PositiveSmallIntegerField("最低年龄（周岁）", default=0)
    per_person_m2 = models.DecimalField("人均安置面积（㎡）", **AREA)
    max_over_m2 = models.DecimalField("允许超出面积（㎡）", **AREA, default=10)
    price_within = models.DecimalField("安置价（元/㎡）", **MONEY, default=0)
    price_above = models.DecimalField("超面积价（元/㎡）", **MONEY, default=0)
    refund_unused = models.DecimalField("未用足面积退还（元/㎡）", **MONEY, default=0)
    source = models.CharField("方案文号/依据", max_length=120)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "安置方案"
        verbose_name_plural = "安置方案"
        constraints = [
            models.CheckConstraint(name="scheme_area_positive", condition=Q(per_person_m2__gt=0)),
            models.CheckConstraint(
                name="scheme_prices_not_negative",
                condition=Q(max_over_m2__gte=0, price_within__gte=0, price_above__gte=0, refund_unused__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} 安置方案"


# --- resettled persons (banan-2015 (二), putian-2014 (十二)) ---------------------------------------


class PersonDecision(models.Model):
    """Whether one member counts as a resettled person, why, and the clause. The latest
    decision also sets ``HouseholdMember.is_resettlement_person``, which valuations count."""

    member = models.OneToOneField(
        HouseholdMember, verbose_name="家庭成员", on_delete=models.CASCADE, related_name="resettlement_decision"
    )
    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    counts = models.BooleanField("计入安置人口")
    reason = models.CharField("理由", max_length=200)
    clause = models.CharField("依据条款", max_length=80)
    age_band = models.CharField("年龄段", max_length=20, blank=True)
    decided_on = models.DateField("核定日期")
    overridden = models.BooleanField("经复核改定", default=False)
    jurisdiction_path = models.CharField(max_length=255, db_index=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "安置人口核定"
        verbose_name_plural = "安置人口核定"
        ordering = ["household_id", "member_id"]

    def __str__(self) -> str:
        return f"{self.member.name} {'计入' if self.counts else '不计入'}"


class PersonObjection(models.Model):
    """An objection to a published decision; upheld changes the decision (with the reason)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待复核"
        UPHELD = "upheld", "异议成立，已改定"
        DISMISSED = "dismissed", "异议不成立"

    decision = models.ForeignKey(PersonDecision, on_delete=models.CASCADE, related_name="objections")
    filed_on = models.DateField("提出日期")
    filed_by_name = models.CharField("提出人", max_length=40)
    content = models.TextField("异议内容")
    outcome = models.CharField("复核结果", max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    resolution = models.TextField("复核意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "安置人口异议"
        verbose_name_plural = "安置人口异议"
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"异议 {self.filed_by_name} {self.filed_on}"


class PersonList(models.Model):
    """A village's resettled-person list, published with masked names and ID numbers."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField("公示日期")
    ends_on = models.DateField("公示截止日期")
    entries = models.JSONField("名单（脱敏）", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "安置人口公示"
        verbose_name_plural = "安置人口公示"
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(name="person_list_period_valid", condition=Q(ends_on__gte=models.F("published_on")))
        ]

    def __str__(self) -> str:
        return f"{self.village.name} 安置人口公示 {self.published_on}"


# --- the housing pool (banan-2015 (四)) --------------------------------------------------------


class Estate(models.Model):
    """A resettlement estate (安置房小区), run by a township under the five unifications."""

    code = models.CharField("编号", max_length=40, unique=True)
    name = models.CharField("小区名称", max_length=100)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="负责镇街", on_delete=models.PROTECT, related_name="estates"
    )
    owner_name = models.CharField("建设业主", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    planned_completion = models.DateField("计划交房日期", null=True, blank=True)
    accepted_on = models.DateField("竣工验收日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "安置房小区"
        verbose_name_plural = "安置房小区"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(name="estate_code_not_blank", condition=~Q(code="")),
            models.CheckConstraint(name="estate_name_not_blank", condition=~Q(name="")),
        ]

    def __str__(self) -> str:
        return self.name


RECORD_KINDS = ["planning", "policy", "scheduling", "inspection", "accountability", "acceptance"]


class EstateRecord(models.Model):
    """One record of the five unifications (统一规划、政策、调度、督查、问责) or an acceptance."""

    class Kind(models.TextChoices):
        PLANNING = "planning", "统一规划"
        POLICY = "policy", "统一政策"
        SCHEDULING = "scheduling", "统一调度"
        INSPECTION = "inspection", "统一督查"
        ACCOUNTABILITY = "accountability", "统一问责"
        ACCEPTANCE = "acceptance", "验收"

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    on = models.DateField("日期")
    content = models.TextField("内容")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "五统一记录"
        verbose_name_plural = "五统一记录"
        ordering = ["-on", "-id"]
        constraints = [models.CheckConstraint(name="estate_record_kind_valid", condition=Q(kind__in=RECORD_KINDS))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class UnitStatus(models.TextChoices):
    UNDER_CONSTRUCTION = "under_construction", "在建"
    AVAILABLE = "available", "可分配"
    RESERVED = "reserved", "预留"
    ALLOCATED = "allocated", "已分配"
    HANDED_OVER = "handed_over", "已交房"


class Unit(models.Model):
    """One flat (套) of an estate."""

    estate = models.ForeignKey(Estate, verbose_name="小区", on_delete=models.PROTECT, related_name="units")
    building_no = models.CharField("楼栋", max_length=20)
    number = models.CharField("房号", max_length=20)
    floor = models.SmallIntegerField("楼层")
    area = models.DecimalField("建筑面积（㎡）", **AREA)
    layout = models.CharField("户型", max_length=40, blank=True)
    orientation = models.CharField("朝向", max_length=20, blank=True)
    status = models.CharField("状态", max_length=20, choices=UnitStatus.choices, default=UnitStatus.AVAILABLE)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "安置房"
        verbose_name_plural = "安置房"
        ordering = ["estate_id", "building_no", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "building_no", "number"], name="unit_number_unique"),
            models.CheckConstraint(name="unit_area_positive", condition=Q(area__gt=0)),
            models.CheckConstraint(name="unit_status_valid", condition=Q(status__in=UnitStatus.values)),
        ]
        indexes = [models.Index(fields=["estate", "status", "area"])]

    def __str__(self) -> str:
        return f"{self.estate.name} {self.building_no}栋{self.number}"

    @property
    def label(self) -> str:
        return f"{self.building_no}栋{self.number}"


# --- the household's choice (banan-2015 (四), putian-2014 (十二)(十三)) ----------------------------


class HouseholdOption(models.Model):
    """A household's resettlement form, chosen on a date and signed; the entitlement (persons,
    area) is fixed at the choice."""

    household = models.OneToOneField(
        Household, verbose_name="户", on_delete=models.PROTECT, related_name="resettlement_option"
    )
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    form = models.CharField("安置方式", max_length=20, choices=FORM_CHOICES)
    persons = models.PositiveSmallIntegerField("安置人口")
    entitled_area = models.DecimalField("应安置面积（㎡）", **AREA, default=0)
    estate = models.ForeignKey(
        Estate, verbose_name="意向小区", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    priority_group = models.PositiveSmallIntegerField("选房优先组", default=9)
    chosen_on = models.DateField("选择日期")
    signed_by_name = models.CharField("签字人", max_length=40)
    signature = models.ForeignKey(
        EvidenceFile, verbose_name="签字确认书", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    clause = models.CharField("依据条款", max_length=80)
    jurisdiction_path = models.CharField(max_length=255, db_index=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "安置方式选择"
        verbose_name_plural = "安置方式选择"
        ordering = ["project_id", "household_id"]
        constraints = [
            models.CheckConstraint(name="option_form_valid", condition=Q(form__in=[f.value for f in Form])),
            models.CheckConstraint(name="option_signed", condition=~Q(signed_by_name="")),
            models.CheckConstraint(
                name="option_housing_has_area", condition=~Q(form="housing") | Q(entitled_area__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} {self.get_form_display()}"


# --- selection day and allocation (banan-2015 (三)(四)) --------------------------------------------


class OrderRule(models.TextChoices):
    SIGNING = "signing", "按协议签订先后"
    LOTTERY = "lottery", "公开抽签"
    PRIORITY = "priority", "优先组，组内按签约先后"


class SelectionDay(models.Model):
    """A house-selection day: households of one project choose units of one estate in the
    order the township published (the rule, and for a lottery the seed and the draw)."""

    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    estate = models.ForeignKey(Estate, verbose_name="小区", on_delete=models.PROTECT, related_name="selection_days")
    on = models.DateField("选房日期")
    rule = models.CharField("选房顺序规则", max_length=20, choices=OrderRule.choices)
    seed = models.CharField("抽签种子", max_length=120, blank=True)
    draw_record = models.JSONField("抽签记录", default=dict, blank=True)
    published_on = models.DateField("顺序公布日期")
    jurisdiction_path = models.CharField(max_length=255, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "选房日"
        verbose_name_plural = "选房日"
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(name="selection_rule_valid", condition=Q(rule__in=OrderRule.values)),
            models.CheckConstraint(name="selection_lottery_has_seed", condition=~Q(rule="lottery") | ~Q(seed="")),
        ]

    def __str__(self) -> str:
        return f"{self.estate.name} 选房日 {self.on}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "待选"
    CHOSEN = "chosen", "已选房"
    SKIPPED = "skipped", "未到/弃选"


class SelectionTicket(models.Model):
    day = models.ForeignKey(SelectionDay, on_delete=models.CASCADE, related_name="tickets")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("顺序号")
    status = models.CharField("状态", max_length=20, choices=TicketStatus.choices, default=TicketStatus.WAITING)

    class Meta:
        verbose_name = "选房顺序"
        verbose_name_plural = "选房顺序"
        ordering = ["day_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["day", "position"], name="ticket_position_unique"),
            models.UniqueConstraint(fields=["day", "household"], name="ticket_household_unique"),
        ]

    def __str__(self) -> str:
        return f"第{self.position}号 {self.household.code}"


class Allocation(models.Model):
    """One unit allocated to one household (分房), then handed over, then certified.

    A cancelled allocation frees the unit; at most one live allocation per unit and per
    household (partial unique constraints)."""

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="allocations")
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name="安置房", on_delete=models.PROTECT, related_name="allocations")
    ticket = models.ForeignKey(
        SelectionTicket, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    allocated_on = models.DateField("分房日期")
    entitled_area = models.DecimalField("应安置面积（㎡）", **AREA)
    unit_area = models.DecimalField("房屋面积（㎡）", **AREA)
    price_lines = models.JSONField("房款结算明细", default=list)
    balance = models.DecimalField("应缴（负数为应退）房款（元）", **MONEY)
    cancelled = models.BooleanField("已撤销", default=False)
    cancel_reason = models.CharField("撤销理由", max_length=200, blank=True)
    handed_over_on = models.DateField("交房日期", null=True, blank=True)
    vacated_on = models.DateField("原房腾空日期", null=True, blank=True)
    transition_months = models.PositiveSmallIntegerField("过渡期（月）", null=True, blank=True)
    transition_amount = models.DecimalField("过渡费（元）", **MONEY, null=True, blank=True)
    certificate_due = models.DateField("权证办理期限（三个月）")
    certificate_latest = models.DateField("权证办理最迟期限（六个月）")
    certificate_provisional = models.BooleanField("期限暂定", default=False)
    certificate_no = models.CharField("房屋权证号", max_length=60, blank=True)
    certificate_on = models.DateField("发证日期", null=True, blank=True)
    jurisdiction_path = models.CharField(max_length=255, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "安置房分配"
        verbose_name_plural = "安置房分配"
        ordering = ["-allocated_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(cancelled=False), name="allocation_unit_once"),
            models.UniqueConstraint(
                fields=["household"], condition=Q(cancelled=False), name="allocation_household_once"
            ),
            models.CheckConstraint(
                name="allocation_certificate_complete",
                condition=Q(certificate_on__isnull=True, certificate_no="")
                | (Q(certificate_on__isnull=False) & ~Q(certificate_no="")),
            ),
            models.CheckConstraint(
                name="allocation_handover_after_allocation",
                condition=Q(handed_over_on__isnull=True) | Q(handed_over_on__gte=models.F("allocated_on")),
            ),
        ]
        indexes = [models.Index(fields=["certificate_on", "certificate_due"])]

    def __str__(self) -> str:
        return f"{self.household.code} → {self.unit}"


# --- social security (putian-2014 (十五)(十六)) ----------------------------------------------------


class EnrolmentStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEWED = "reviewed", "已审核"
    PUBLISHED = "published", "已公布"


class EnrolmentList(models.Model):
    """A village's list of eligible persons for social security, with the contribution split
    (government / collective / person), reviewed and published (putian-2014 (十六))."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    contribution = models.DecimalField("每人缴费标准（元）", **MONEY)
    share_government = models.DecimalField("政府承担（%）", max_digits=5, decimal_places=2)
    share_collective = models.DecimalField("集体承担（%）", max_digits=5, decimal_places=2)
    share_person = models.DecimalField("个人承担（%）", max_digits=5, decimal_places=2)
    status = models.CharField("状态", max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.DRAFT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    jurisdiction_path = models.CharField(max_length=255, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "社会保障对象名单"
        verbose_name_plural = "社会保障对象名单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "village"], name="enrolment_list_once_per_village"),
            models.CheckConstraint(
                name="enrolment_shares_sum",
                condition=Q(share_government__gte=0, share_collective__gte=0, share_person__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village.name} 社会保障对象名单"


class Enrolment(models.Model):
    enrolment_list = models.ForeignKey(EnrolmentList, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(HouseholdMember, on_delete=models.PROTECT, related_name="+")
    age_band = models.CharField("年龄段", max_length=20)
    government = models.DecimalField("政府（元）", **MONEY)
    collective = models.DecimalField("集体（元）", **MONEY)
    person = models.DecimalField("个人（元）", **MONEY)

    class Meta:
        verbose_name = "参保人员"
        verbose_name_plural = "参保人员"
        ordering = ["enrolment_list_id", "id"]
        constraints = [models.UniqueConstraint(fields=["enrolment_list", "member"], name="enrolment_member_once")]

    def __str__(self) -> str:
        return self.member.name
