"""The register freeze and the surveyed items (putian-2014 (一)(二), banan-2015 (三)): parcels
with their shape and bounding box, buildings, attachments and standing crops."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import Jurisdiction
from zhengqian.projects.models import SQUARE_METRES_PER_MU, Project

from ..landclass import LAND_CLASS_CHOICES, land_class_label
from .households import Household

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


Extent = tuple[float, float, float, float] | tuple[None, None, None, None]


def geometry_extent(geojson: dict[str, Any] | None) -> Extent:
    """(west, south, east, north) of a GeoJSON Polygon/MultiPolygon; Nones when there is none."""
    if not geojson or not geojson.get("coordinates"):
        return (None, None, None, None)
    polygons = [geojson["coordinates"]] if geojson.get("type") == "Polygon" else geojson["coordinates"]
    lons = [float(point[0]) for polygon in polygons for ring in polygon[:1] for point in ring]
    lats = [float(point[1]) for polygon in polygons for ring in polygon[:1] for point in ring]
    if not lons:
        return (None, None, None, None)
    return (min(lons), min(lats), max(lons), max(lats))


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
    # The shape's bounding box, so the map loads by viewport with an indexed range query (geo.py).
    # Set together with the shape by `set_geometry`; the import computes the same box (excel/validate.py).
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

    def set_geometry(self, geojson: dict[str, Any] | None) -> None:
        """Set the shape and its bounding box together. Every write of a parcel's shape goes
        through here (actions.items: parcel_create, parcel_update; the demo uses them); the import
        bulk-inserts the box it computed with the shape. Saving is the caller's."""
        self.geometry = geojson
        self.bbox_west, self.bbox_south, self.bbox_east, self.bbox_north = geometry_extent(geojson)


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
