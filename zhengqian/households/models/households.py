"""Households (户) and their members (家庭成员 / 安置人口), putian-2014 (五), banan-2015 (二)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import Jurisdiction
from zhengqian.projects.models import Project

CLAUSE_SURVEY = "putian-2014 (二)"
CLAUSE_RUSHED = "putian-2014 (二)"
CLAUSE_NEW_UNLAWFUL = "banan-2015 (三)"
CLAUSE_EVIDENCE = "putian-2014 (九)"


# --- households ---------------------------------------------------------------------------


class HouseholdStatus(models.TextChoices):
    REGISTERED = "registered", "在册"
    CANCELLED = "cancelled", "已注销"


class SurveyState(models.TextChoices):
    """The household's survey confirmation state (putian-2014 (二)), newest survey version."""

    NOT_SURVEYED = "not_surveyed", "未调查"
    AWAITING_SIGNATURE = "awaiting_signature", "待签字确认"
    WINDOW_OPEN = "window_open", "异议期中"
    OBJECTED = "objected", "有异议待复核"
    CONFIRMED = "confirmed", "已确认"


class Household(models.Model):
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="households")
    code = models.CharField("户编号", max_length=40)
    head_name = models.CharField("户主姓名", max_length=40)
    village = models.ForeignKey(
        Jurisdiction, verbose_name="村/社区", on_delete=models.PROTECT, related_name="households",
        limit_choices_to={"level": "village"},
    )
    group = models.ForeignKey(
        Jurisdiction, verbose_name="村民小组", null=True, blank=True, on_delete=models.PROTECT,
        related_name="group_households", limit_choices_to={"level": "group"},
    )
    address = models.CharField("住址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    contract_certificate_no = models.CharField("土地承包经营权证号", max_length=60, blank=True)
    homestead_certificate_no = models.CharField("宅基地使用权证号", max_length=60, blank=True)
    bank_name = models.CharField("开户银行", max_length=80, blank=True)
    bank_account_no = models.CharField("实名账号", max_length=40, blank=True)
    bank_account_holder = models.ForeignKey(
        "HouseholdMember", verbose_name="账户户名（家庭成员）", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    status = models.CharField(
        "状态", max_length=20, choices=HouseholdStatus.choices, default=HouseholdStatus.REGISTERED
    )
    survey_state = models.CharField(
        "调查确认状态", max_length=20, choices=SurveyState.choices, default=SurveyState.NOT_SURVEYED
    )
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="household_code_unique_in_project"),
            models.CheckConstraint(name="household_code_not_blank", condition=~Q(code="")),
            models.CheckConstraint(name="household_head_not_blank", condition=~Q(head_name="")),
            models.CheckConstraint(name="household_status_valid", condition=Q(status__in=HouseholdStatus.values)),
            models.CheckConstraint(
                name="household_survey_state_valid", condition=Q(survey_state__in=SurveyState.values)
            ),
        ]
        indexes = [
            models.Index(fields=["project", "survey_state"]),
            models.Index(fields=["project", "head_name"]),
            # The list page at a million households (bench/household_list.py): its count is an
            # index-only scan (village_id is in the key for the scope join) and its page walks
            # the index in (project, code) order for a survey-state filter with or without a project.
            models.Index(fields=["project", "survey_state", "code", "village"], name="household_list_project_state"),
            models.Index(fields=["survey_state", "project", "code", "village"], name="household_list_state"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.head_name}"

    @property
    def jurisdiction_path(self) -> str:
        return self.village.path


# --- members ------------------------------------------------------------------------------


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    HUKOU_BOOKLET = "hukou", "户口簿"
    PASSPORT = "passport", "护照"
    HK_MACAO_PERMIT = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan", "台湾居民来往大陆通行证"
    FOREIGN_PERMANENT = "foreign_permanent", "外国人永久居留身份证"
    OTHER = "other", "其他证件"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    GRANDPARENT = "grandparent", "祖父母"
    SIBLING = "sibling", "兄弟姐妹"
    CHILD_IN_LAW = "child_in_law", "儿媳/女婿"
    OTHER = "other", "其他"


class HukouType(models.TextChoices):
    AGRICULTURAL = "agricultural", "农业户口"
    NON_AGRICULTURAL = "non_agricultural", "非农业户口"
    RESIDENT = "resident", "居民户口"


class HouseholdMember(models.Model):
    """A person of a household (家庭成员 / 安置人口, banan-2015 (二)).

    The ID number is stored AES-GCM encrypted (`id_number_encrypted`), with a keyed HMAC
    (`id_number_hash`) for exact lookups and the uniqueness rule "a person is in at most one
    household of a project", and a masked copy for lists (`id_number_masked`).
    """

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.CASCADE, related_name="members")
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=40)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField("证件号码（脱敏）", max_length=40, blank=True, editable=False)
    sex = models.CharField("性别", max_length=10, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    relation = models.CharField("与户主关系", max_length=20, choices=Relation.choices, default=Relation.OTHER)
    hukou_type = models.CharField("户口性质", max_length=20, choices=HukouType.choices, default=HukouType.AGRICULTURAL)
    is_resettlement_person = models.BooleanField("安置人口", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "id_number_hash"], condition=~Q(id_number_hash=""),
                name="member_person_once_per_project",
            ),
            models.CheckConstraint(name="member_name_not_blank", condition=~Q(name="")),
            models.CheckConstraint(name="member_id_type_valid", condition=Q(id_type__in=IdType.values)),
        ]

    def __str__(self) -> str:
        return self.name
