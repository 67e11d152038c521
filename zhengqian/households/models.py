"""Household register and status survey (户籍与现状调查; putian-2014 (一)(二)(五), banan-2015 (二)(三)).

A household (户) is the unit of registration, survey, agreement and payment. Its members,
the parcels it contracts, its buildings, attachments and standing crops are surveyed and
confirmed by the household (调查确认, putian-2014 (二)). When the project's notification is
issued the register is frozen (`RegisterFreeze`): each item keeps its quantity at the cutoff in
`baseline_quantity`, and anything added or enlarged afterwards carries a `cutoff_flag`
(抢栽抢种抢建 putian-2014 (二), 新增两违 banan-2015 (三)) that the compensation issue prices at zero.

Scope: an object is visible when its village's path lies in the user's subtree and its
project is visible (selectors).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver

from zhengqian.core.models import EvidenceFile, Jurisdiction
from zhengqian.projects.models import SQUARE_METRES_PER_MU, Project

from .landclass import LAND_CLASS_CHOICES, land_class_label

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


# --- the cutoff (putian-2014 (二), banan-2015 (三)) -------------------------------------------


class RegisterFreeze(models.Model):
    """The register of a project frozen as a baseline when the notification is issued."""

    project = models.OneToOneField(
        Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="register_freeze"
    )
    notified_on = models.DateField("征地告知日期")
    frozen_at = models.DateTimeField("冻结时间")
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField("基线数量", default=dict)

    class Meta:
        verbose_name = "调查基线"
        verbose_name_plural = "调查基线"

    def __str__(self) -> str:
        return f"{self.project.code} 基线 {self.notified_on}"


class CutoffFlag(models.TextChoices):
    NONE = "", "—"
    RUSHED = "rushed", "抢栽抢种抢建"
    ENLARGED = "enlarged", "告知后扩建/增加"
    NEW_UNLAWFUL = "new_unlawful", "新增两违建筑"


class SurveyItem(models.Model):
    """What parcels, buildings, attachments and crops share: project, household, a code unique
    in the project, and the cutoff baseline. `MEASURE` names the field compared with
    `baseline_quantity` (area or quantity)."""

    MEASURE = ""

    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("编号", max_length=40)
    baseline_quantity = models.DecimalField(
        "基线数量（告知时）", max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    cutoff_flag = models.CharField("告知后变化", max_length=20, choices=CutoffFlag.choices, blank=True, default="")
    cutoff_clause = models.CharField("依据条款", max_length=80, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        abstract = True

    @property
    def measure(self) -> Decimal:
        return getattr(self, self.MEASURE)

    @property
    def in_baseline(self) -> bool:
        return self.baseline_quantity is not None


# --- parcels ------------------------------------------------------------------------------


class Ownership(models.TextChoices):
    COLLECTIVE = "collective", "集体所有"
    STATE = "state", "国有"
    CONTRACT = "contract", "集体所有（承包经营权）"


class Parcel(SurveyItem):
    """A piece of land (地块) with ownership, land class and area (putian-2014 (二)).

    `area` is the declared (surveyed) area in square metres; `geometry` a GeoJSON Polygon or
    MultiPolygon in CGCS2000 lon/lat; `measured_area` its area on the GRS80 ellipsoid and
    `area_mismatch` set when the two differ by more than the tolerance (geometry.py).
    """

    MEASURE = "area"

    village = models.ForeignKey(
        Jurisdiction, verbose_name="村/社区", on_delete=models.PROTECT, related_name="parcels",
        limit_choices_to={"level": "village"},
    )
    household = models.ForeignKey(
        Household, verbose_name="承包户", null=True, blank=True, on_delete=models.PROTECT, related_name="parcels"
    )
    ownership = models.CharField("权属", max_length=20, choices=Ownership.choices, default=Ownership.CONTRACT)
    land_class = models.CharField("地类", max_length=4, choices=LAND_CLASS_CHOICES)
    area = models.DecimalField("面积（平方米）", max_digits=14, decimal_places=2)
    geometry = models.JSONField("图形（GeoJSON）", null=True, blank=True)
    measured_area = models.DecimalField("图形面积（平方米）", max_digits=14, decimal_places=2, null=True, blank=True)
    area_mismatch = models.BooleanField("面积不符", default=False)
    # The shape's bounding box, kept by `_parcel_extent` below, so the map loads by viewport
    # with an indexed range query (added by the import/map module, excel/ and geo.py).
    bbox_west = models.FloatField(null=True, blank=True, editable=False)
    bbox_south = models.FloatField(null=True, blank=True, editable=False)
    bbox_east = models.FloatField(null=True, blank=True, editable=False)
    bbox_north = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "地块"
        verbose_name_plural = "地块"
        ordering = ["project_id", "code"]
        indexes = [
            # The map's viewport query (geo.py) is answered from this index alone: bounding box,
            # the area it sorts by and the village its scope check needs.
            models.Index(
                fields=["project", "bbox_west", "bbox_south", "bbox_east", "bbox_north", "area", "village"],
                name="parcel_project_bbox",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="parcel_code_unique_in_project"),
            models.CheckConstraint(name="parcel_code_not_blank", condition=~Q(code="")),
            models.CheckConstraint(name="parcel_area_positive", condition=Q(area__gt=0)),
            models.CheckConstraint(name="parcel_ownership_valid", condition=Q(ownership__in=Ownership.values)),
        ]

    def __str__(self) -> str:
        return f"{self.code} {land_class_label(self.land_class)}"

    @property
    def area_mu(self) -> Decimal:
        return (self.area / SQUARE_METRES_PER_MU).quantize(Decimal("0.01"))

    @property
    def land_class_label(self) -> str:
        return land_class_label(self.land_class)


# --- buildings ----------------------------------------------------------------------------


class Structure(models.TextChoices):
    STEEL_CONCRETE = "steel_concrete", "钢混结构"
    BRICK_CONCRETE = "brick_concrete", "砖混结构"
    BRICK_WOOD = "brick_wood", "砖木结构"
    EARTH_WOOD = "earth_wood", "土木结构"
    SIMPLE = "simple", "简易结构"
    OTHER = "other", "其他结构"


class BuildingUse(models.TextChoices):
    RESIDENTIAL = "residential", "住宅"
    BUSINESS = "business", "经营用房"
    ANCILLARY = "ancillary", "附属用房"
    PRODUCTION = "production", "生产用房"
    OTHER = "other", "其他"


class Legality(models.TextChoices):
    """banan-2015 (三): existing unlawful buildings case by case, new ones never compensated."""

    PERMITTED = "permitted", "合法建筑"
    EXISTING_UNLAWFUL = "existing_unlawful", "存量两违"
    NEW_UNLAWFUL = "new_unlawful", "新增两违"


class Building(SurveyItem):
    MEASURE = "floor_area"

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="buildings")
    parcel = models.ForeignKey(
        Parcel, verbose_name="所在地块", null=True, blank=True, on_delete=models.SET_NULL, related_name="buildings"
    )
    structure = models.CharField("结构", max_length=20, choices=Structure.choices)
    floors = models.PositiveSmallIntegerField("层数", default=1)
    floor_area = models.DecimalField("建筑面积（平方米）", max_digits=12, decimal_places=2)
    use = models.CharField("用途", max_length=20, choices=BuildingUse.choices, default=BuildingUse.RESIDENTIAL)
    legality = models.CharField("合法性", max_length=20, choices=Legality.choices, default=Legality.PERMITTED)
    build_year = models.PositiveSmallIntegerField("建成年份", null=True, blank=True)

    class Meta:
        verbose_name = "房屋"
        verbose_name_plural = "房屋"
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="building_code_unique_in_project"),
            models.CheckConstraint(name="building_code_not_blank", condition=~Q(code="")),
            models.CheckConstraint(name="building_floor_area_positive", condition=Q(floor_area__gt=0)),
            models.CheckConstraint(name="building_floors_positive", condition=Q(floors__gte=1)),
            models.CheckConstraint(name="building_legality_valid", condition=Q(legality__in=Legality.values)),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_structure_display()} {self.floor_area}㎡"


# --- attachments and crops ----------------------------------------------------------------


class AttachmentKind(models.TextChoices):
    WELL = "well", "水井"
    GRAVE = "grave", "坟墓"
    FENCE = "fence", "围墙"
    SHED = "shed", "棚房"
    TREE = "tree", "零星树木"
    POND = "pond", "鱼塘/水池"
    TOILET = "toilet", "厕所"
    PEN = "pen", "畜禽圈舍"
    YARD = "yard", "院坝/地坪"
    OTHER = "other", "其他"


class Unit(models.TextChoices):
    PIECE = "piece", "个"
    MOUTH = "mouth", "口"
    SEAT = "seat", "座"
    METRE = "m", "米"
    SQUARE_METRE = "m2", "平方米"
    CUBIC_METRE = "m3", "立方米"
    PLANT = "plant", "株"
    MU = "mu", "亩"


class Attachment(SurveyItem):
    """An attachment (地上附着物: wells, graves, fences, sheds, trees…), banan-2015 (五)."""

    MEASURE = "quantity"

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="attachments")
    parcel = models.ForeignKey(
        Parcel, verbose_name="所在地块", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    kind = models.CharField("种类", max_length=20, choices=AttachmentKind.choices)
    spec = models.CharField("规格/说明", max_length=100, blank=True)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2)
    unit = models.CharField("单位", max_length=10, choices=Unit.choices)

    class Meta:
        verbose_name = "地上附着物"
        verbose_name_plural = "地上附着物"
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="attachment_code_unique_in_project"),
            models.CheckConstraint(name="attachment_code_not_blank", condition=~Q(code="")),
            models.CheckConstraint(name="attachment_quantity_positive", condition=Q(quantity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()} {self.quantity}{self.get_unit_display()}"


class Crop(SurveyItem):
    """A standing crop (青苗) on a parcel."""

    MEASURE = "quantity"

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="crops")
    parcel = models.ForeignKey(
        Parcel, verbose_name="所在地块", null=True, blank=True, on_delete=models.SET_NULL, related_name="crops"
    )
    kind = models.CharField("作物", max_length=40)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2)
    unit = models.CharField("单位", max_length=10, choices=Unit.choices)

    class Meta:
        verbose_name = "青苗"
        verbose_name_plural = "青苗"
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="crop_code_unique_in_project"),
            models.CheckConstraint(name="crop_code_not_blank", condition=~Q(code="")),
            models.CheckConstraint(name="crop_kind_not_blank", condition=~Q(kind="")),
            models.CheckConstraint(name="crop_quantity_positive", condition=Q(quantity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.kind} {self.quantity}{self.get_unit_display()}"


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


# --- import batches and parcel extents (the import/export/map module: excel/, imports.py, geo.py) ---


def geometry_extent(geojson: dict | None) -> tuple[float, float, float, float] | tuple[None, None, None, None]:
    """(west, south, east, north) of a GeoJSON Polygon/MultiPolygon; Nones when there is none."""
    if not geojson or not geojson.get("coordinates"):
        return (None, None, None, None)
    polygons = [geojson["coordinates"]] if geojson.get("type") == "Polygon" else geojson["coordinates"]
    lons = [float(point[0]) for polygon in polygons for ring in polygon[:1] for point in ring]
    lats = [float(point[1]) for polygon in polygons for ring in polygon[:1] for point in ring]
    if not lons:
        return (None, None, None, None)
    return (min(lons), min(lats), max(lons), max(lats))


@receiver(pre_save, sender=Parcel)
def _parcel_extent(sender: type[Parcel], instance: Parcel, **kwargs: object) -> None:
    """Keep the bounding box in step with the shape on every save (bulk imports set it too)."""
    instance.bbox_west, instance.bbox_south, instance.bbox_east, instance.bbox_north = geometry_extent(
        instance.geometry
    )


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
