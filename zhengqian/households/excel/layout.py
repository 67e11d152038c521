"""The standard workbook: five sheets linked by 户编号, each column with its aliases.

Headers are matched by name after normalising (spaces, full-width brackets and a leading or
trailing "*" are ignored), so "户编号", " 户号 " and "*户编号" are the same column. A column's
`aliases` are the other names people give it in the field; docs/import-format.md lists them
(`manage.py household_template --docs` prints that table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..landclass import LAND_CLASSES
from ..models import (
    AttachmentKind,
    BuildingUse,
    HukouType,
    IdType,
    Legality,
    Ownership,
    Relation,
    Sex,
    Structure,
    Unit,
)
from . import cells
from .cells import Choice, Parser

MAX_AREA = Decimal("99999999")
MAX_QUANTITY = Decimal("9999999")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parser: Parser | None  # None: read by a special rule in validate (land class, geometry)
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 12
    note: str = ""  # shown as the header comment in the template


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {column.key: column for column in self.columns})

    def column(self, key: str) -> Column:
        return self.by_key[key]


def normalise_header(text: str) -> str:
    text = re.sub(r"\s+", "", str(text)).strip("*＊").lower()
    for old, new in (("（", "("), ("）", ")"), ("㎡", "平方米"), ("m²", "平方米"), ("m2", "平方米")):
        text = text.replace(old, new)
    return text


RELATION = Choice.of(Relation.choices, {"本人": Relation.HEAD, "妻": Relation.SPOUSE, "夫": Relation.SPOUSE,
                                         "妻子": Relation.SPOUSE, "丈夫": Relation.SPOUSE, "子": Relation.CHILD,
                                         "女": Relation.CHILD, "儿子": Relation.CHILD, "女儿": Relation.CHILD,
                                         "长子": Relation.CHILD, "长女": Relation.CHILD, "次子": Relation.CHILD,
                                         "次女": Relation.CHILD, "父亲": Relation.PARENT, "母亲": Relation.PARENT,
                                         "孙子": Relation.GRANDCHILD, "孙女": Relation.GRANDCHILD,
                                         "儿媳": Relation.CHILD_IN_LAW, "女婿": Relation.CHILD_IN_LAW})
ID_TYPE = Choice.of(IdType.choices, {"身份证": IdType.RESIDENT_ID})
SEX = Choice.of(Sex.choices, {"男性": Sex.MALE, "女性": Sex.FEMALE})
HUKOU = Choice.of(HukouType.choices, {"农业": HukouType.AGRICULTURAL, "非农业": HukouType.NON_AGRICULTURAL,
                                      "非农": HukouType.NON_AGRICULTURAL, "居民": HukouType.RESIDENT})
OWNERSHIP = Choice.of(Ownership.choices, {"集体": Ownership.COLLECTIVE, "承包": Ownership.CONTRACT,
                                          "承包经营": Ownership.CONTRACT})
STRUCTURE = Choice.of(Structure.choices, {"钢混": Structure.STEEL_CONCRETE, "框架": Structure.STEEL_CONCRETE,
                                          "框架结构": Structure.STEEL_CONCRETE, "砖混": Structure.BRICK_CONCRETE,
                                          "砖木": Structure.BRICK_WOOD, "土木": Structure.EARTH_WOOD,
                                          "简易": Structure.SIMPLE, "其他": Structure.OTHER})
BUILDING_USE = Choice.of(BuildingUse.choices, {"经营": BuildingUse.BUSINESS, "附属": BuildingUse.ANCILLARY,
                                               "生产": BuildingUse.PRODUCTION})
LEGALITY = Choice.of(Legality.choices, {"合法": Legality.PERMITTED})
ATTACHMENT_KIND = Choice.of(AttachmentKind.choices, {"井": AttachmentKind.WELL, "坟": AttachmentKind.GRAVE,
                                                      "墙": AttachmentKind.FENCE, "树木": AttachmentKind.TREE,
                                                      "鱼塘": AttachmentKind.POND, "水池": AttachmentKind.POND})
UNIT = Choice.of(Unit.choices, {"m": Unit.METRE, "㎡": Unit.SQUARE_METRE, "m²": Unit.SQUARE_METRE,
                                "平米": Unit.SQUARE_METRE, "㎥": Unit.CUBIC_METRE, "m³": Unit.CUBIC_METRE,
                                "方": Unit.CUBIC_METRE, "棵": Unit.PLANT, "根": Unit.PLANT, "处": Unit.PIECE})
ITEM_CATEGORY = Choice.of([("attachment", "附着物"), ("crop", "青苗")],
                          {"地上附着物": "attachment", "构筑物": "attachment", "附属物": "attachment",
                           "农作物": "crop", "作物": "crop"})

_HOUSEHOLD_CODE = Column("household_code", "户编号", cells.text(40, compact=True), True,
                         ("户号", "户编码", "农户编号"), 12, "与“户”表的户编号一致")
_TOWNSHIP = Column("township", "镇街", cells.text(60), False, ("镇", "乡镇", "街道", "镇/街道", "镇（街道）"), 10,
                   "可选；村名在项目涉及的镇街中重名时填写")
_VILLAGE = Column("village", "村/社区", cells.text(60), True, ("村", "村(社区)", "社区", "村委会", "所属村", "行政村"),
                  12, "填名称或区划代码")
_NOTE = Column("note", "备注", cells.text(500), False, ("说明",), 20)

HOUSEHOLDS = Sheet(
    key="households",
    name="户",
    aliases=("户信息", "农户", "户表", "被征收户"),
    required=True,
    columns=(
        Column("code", "户编号", cells.text(40, compact=True), True, ("户号", "户编码", "农户编号", "编号"), 12,
               "本项目内唯一"),
        Column("head_name", "户主姓名", cells.text(40), True, ("户主", "户主名称"), 10,
               "须与“家庭成员”表中关系为户主者一致"),
        _TOWNSHIP,
        _VILLAGE,
        Column("group", "村民小组", cells.text(60), False, ("组", "社", "小组", "村民组", "组别"), 10,
               "填名称或区划代码"),
        Column("address", "住址", cells.text(200), False, ("地址", "家庭住址", "现住址"), 24),
        Column("phone", "联系电话", cells.text(20, compact=True), False, ("电话", "手机", "手机号", "联系方式"), 14),
        Column("contract_certificate_no", "土地承包经营权证号", cells.text(60, compact=True), False,
               ("承包证号", "承包经营权证号", "承包经营权证编号"), 18),
        Column("homestead_certificate_no", "宅基地使用权证号", cells.text(60, compact=True), False,
               ("宅基地证号",), 18),
        Column("bank_name", "开户银行", cells.text(80), False, ("银行", "开户行"), 16),
        Column("bank_account_no", "实名账号", cells.text(40, compact=True), False,
               ("银行账号", "账号", "存折账号", "卡号", "银行卡号"), 22, "请设为文本格式，避免丢失末位"),
        Column("bank_account_holder", "账户户名", cells.text(40), False, ("户名", "账户名", "开户人"), 10,
               "须为本户家庭成员的姓名"),
        Column("note", "备注", cells.text(2000), False, ("说明",), 20),
    ),
)

MEMBERS = Sheet(
    key="members",
    name="家庭成员",
    aliases=("成员", "家庭成员表", "人口", "安置人口"),
    required=True,
    columns=(
        _HOUSEHOLD_CODE,
        Column("name", "姓名", cells.text(40), True, ("成员姓名",), 10),
        Column("relation", "与户主关系", RELATION, True, ("关系", "家庭关系"), 10, RELATION.listing),
        Column("id_type", "证件类型", ID_TYPE, False, (), 12, "默认居民身份证"),
        Column("id_number", "证件号码", cells.text(40, compact=True), True,
               ("身份证号", "身份证号码", "公民身份号码", "证件号", "身份证"), 22,
               "居民身份证校验最后一位；请设为文本格式"),
        Column("sex", "性别", SEX, False, (), 6, "可空，按身份证号推定"),
        Column("birth_date", "出生日期", cells.calendar_date, False, ("出生年月日", "生日"), 12,
               "可空，按身份证号推定"),
        Column("hukou_type", "户口性质", HUKOU, False, ("户籍性质", "户口类别"), 12, "默认农业户口"),
        Column("is_resettlement_person", "安置人口", cells.yes_no, False, ("是否安置人口", "是否安置"), 8,
               "是/否，默认是"),
        Column("note", "备注", cells.text(200), False, ("说明",), 20),
    ),
)

PARCELS = Sheet(
    key="parcels",
    name="地块",
    aliases=("宗地", "地块表", "土地"),
    columns=(
        Column("code", "地块编号", cells.text(40, compact=True), True, ("宗地编号", "地块号", "宗地号", "宗地代码"), 14,
               "本项目内唯一"),
        Column("household_code", "户编号", cells.text(40, compact=True), False, ("承包户编号", "户号", "承包户"), 12,
               "集体所有、无承包户的地块可空"),
        _TOWNSHIP,
        Column("village", "村/社区", cells.text(60), False, _VILLAGE.aliases, 12, "可空，取承包户所在村"),
        Column("ownership", "权属", OWNERSHIP, False, ("权属性质", "所有权"), 20, OWNERSHIP.listing + "；默认承包"),
        Column("land_class", "地类", None, True, ("土地类别", "地类名称", "地类编码"), 14,
               "GB/T 21010-2017 二级类：编码或名称，如 0101 或 水田"),
        Column("area", "面积（平方米）", cells.decimal(maximum=MAX_AREA), False,
               ("面积", "面积(㎡)", "地块面积", "面积（m²）", "面积(平方米)", "调查面积"), 14,
               "与“面积（亩）”二选一；四舍五入到 0.01"),
        Column("area_mu", "面积（亩）", cells.decimal(maximum=MAX_AREA), False, ("亩数", "面积(亩)"), 10),
        Column("geometry", "图形", None, False, ("图形（WKT）", "WKT", "GeoJSON", "图形（GeoJSON）", "坐标", "边界"),
               30, "可空；CGCS2000 经纬度的 WKT 或 GeoJSON 多边形"),
        _NOTE,
    ),
)

BUILDINGS = Sheet(
    key="buildings",
    name="房屋",
    aliases=("建筑物", "房屋建筑", "房屋表", "原房"),
    columns=(
        Column("code", "房屋编号", cells.text(40, compact=True), True, ("编号", "房屋号", "建筑编号"), 14,
               "本项目内唯一"),
        _HOUSEHOLD_CODE,
        Column("parcel_code", "地块编号", cells.text(40, compact=True), False, ("所在地块", "宗地编号"), 14,
               "可空；须为“地块”表中的地块"),
        Column("structure", "结构", STRUCTURE, True, ("房屋结构", "结构类型"), 12, STRUCTURE.listing),
        Column("floors", "层数", cells.integer(minimum=1, maximum=99), False, ("层",), 6, "默认 1"),
        Column("floor_area", "建筑面积（平方米）", cells.decimal(maximum=MAX_AREA), True,
               ("建筑面积", "面积", "建筑面积(㎡)", "面积（平方米）"), 14),
        Column("use", "用途", BUILDING_USE, False, ("房屋用途",), 10, BUILDING_USE.listing + "；默认住宅"),
        Column("legality", "合法性", LEGALITY, False, ("是否合法", "合法性认定"), 12,
               LEGALITY.listing + "；默认合法建筑"),
        Column("build_year", "建成年份", cells.integer(minimum=1900, maximum=2100), False,
               ("建造年份", "建成年代"), 10),
        _NOTE,
    ),
)

ITEMS = Sheet(
    key="items",
    name="附着物及青苗",
    aliases=("附着物和青苗", "附着物", "青苗", "地上附着物及青苗", "附着物与青苗", "构附着物及青苗"),
    columns=(
        Column("code", "编号", cells.text(40, compact=True), True, ("附着物编号", "青苗编号"), 14,
               "同一类别内本项目唯一"),
        Column("category", "类别", ITEM_CATEGORY, True, ("大类",), 10, "附着物 或 青苗"),
        _HOUSEHOLD_CODE,
        Column("parcel_code", "地块编号", cells.text(40, compact=True), False, ("所在地块", "宗地编号"), 14, "可空"),
        Column("kind", "种类", cells.text(40), True, ("名称", "品种", "作物", "附着物名称"), 12,
               "附着物：" + ATTACHMENT_KIND.listing + "；青苗：作物名称"),
        Column("spec", "规格", cells.text(100), False, ("规格/说明", "规格型号"), 14, "附着物适用"),
        Column("quantity", "数量", cells.decimal(maximum=MAX_QUANTITY), True, ("数目",), 10),
        Column("unit", "单位", UNIT, True, ("计量单位",), 8, UNIT.listing),
        _NOTE,
    ),
)

SHEETS: tuple[Sheet, ...] = (HOUSEHOLDS, MEMBERS, PARCELS, BUILDINGS, ITEMS)
LAND_CLASS_NAMES = {name: code for code, name in LAND_CLASSES.items()}
