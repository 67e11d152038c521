from __future__ import annotations

from typing import Any

from django import forms

from zhengqian.core.forms import StyledForm
from zhengqian.core.models import Jurisdiction
from zhengqian.projects.models import Project

from .landclass import LAND_CLASS_CHOICES
from .models import (
    AttachmentKind,
    BuildingUse,
    HouseholdMember,
    HouseholdStatus,
    HukouType,
    IdType,
    Legality,
    ObjectionOutcome,
    Ownership,
    Parcel,
    Relation,
    Sex,
    Structure,
    Unit,
)

_DATE = forms.DateInput(attrs={"type": "date"})
_DECIMAL_ERRORS = {
    "invalid": "须为数字。",
    "max_decimal_places": "最多保留两位小数。",
    "max_digits": "数字过大。",
    "max_whole_digits": "数字过大。",
}


def _area(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, error_messages=_DECIMAL_ERRORS)


class HouseholdForm(StyledForm):
    project = forms.ModelChoiceField(label="征地项目", queryset=Project.objects.none())
    code = forms.CharField(label="户编号", max_length=40, help_text="在本项目内唯一，保存后不可修改。")
    head_name = forms.CharField(label="户主姓名", max_length=40)
    village = forms.ModelChoiceField(label="村/社区", queryset=Jurisdiction.objects.none())
    group = forms.ModelChoiceField(label="村民小组", queryset=Jurisdiction.objects.none(), required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    contract_certificate_no = forms.CharField(label="土地承包经营权证号", max_length=60, required=False)
    homestead_certificate_no = forms.CharField(label="宅基地使用权证号", max_length=60, required=False)
    status = forms.ChoiceField(label="状态", choices=HouseholdStatus.choices)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="修改原因", required=False, max_length=500, help_text="写入审计日志。")

    def __init__(self, *args: Any, projects: Any, villages: Any, groups: Any, editing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["village"].label_from_instance = lambda n: f"{n.parent.name} {n.name}"  # type: ignore[attr-defined]
        self.fields["group"].label_from_instance = lambda n: f"{n.parent.name} {n.name}"  # type: ignore[attr-defined]
        if editing:
            for name in ("project", "code"):
                self.fields[name].disabled = True
                self.fields[name].required = False
        else:
            del self.fields["status"]
            del self.fields["reason"]


class BankAccountForm(StyledForm):
    bank_name = forms.CharField(label="开户银行", max_length=80, required=False)
    bank_account_no = forms.CharField(label="实名账号", max_length=40, required=False)
    holder = forms.ModelChoiceField(
        label="账户户名（须为本户家庭成员）", queryset=HouseholdMember.objects.none(), required=False
    )
    reason = forms.CharField(label="修改原因", required=False, max_length=500)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = members  # type: ignore[attr-defined]


class MemberForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=40)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(
        label="证件号码", max_length=40, help_text="居民身份证将校验最后一位，并据此推定出生日期和性别。"
    )
    relation = forms.ChoiceField(label="与户主关系", choices=Relation.choices)
    hukou_type = forms.ChoiceField(label="户口性质", choices=HukouType.choices)
    is_resettlement_person = forms.BooleanField(label="安置人口", required=False, initial=True)
    sex = forms.ChoiceField(label="性别", choices=[("", "按证件推定"), *Sex.choices], required=False)
    birth_date = forms.DateField(label="出生日期", required=False, widget=_DATE, help_text="居民身份证可不填。")
    note = forms.CharField(label="备注", max_length=200, required=False)
    reason = forms.CharField(label="修改原因", required=False, max_length=500)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["reason"]


class ParcelForm(StyledForm):
    code = forms.CharField(label="地块编号", max_length=40, required=False, help_text="不填则自动编号。")
    ownership = forms.ChoiceField(label="权属", choices=Ownership.choices)
    land_class = forms.ChoiceField(label="地类（GB/T 21010-2017）", choices=LAND_CLASS_CHOICES)
    area = _area("面积（平方米）")
    geometry = forms.CharField(
        label="图形（GeoJSON，CGCS2000 经纬度）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Polygon 或 MultiPolygon，经度在前；系统按椭球面计算面积并与申报面积比对。",
    )
    note = forms.CharField(label="备注", max_length=500, required=False)
    reason = forms.CharField(label="修改原因", required=False, max_length=500)


class BuildingForm(StyledForm):
    code = forms.CharField(label="房屋编号", max_length=40, required=False, help_text="不填则自动编号。")
    structure = forms.ChoiceField(label="结构", choices=Structure.choices)
    floors = forms.IntegerField(label="层数", min_value=1, max_value=99, initial=1)
    floor_area = _area("建筑面积（平方米）")
    use = forms.ChoiceField(label="用途", choices=BuildingUse.choices)
    legality = forms.ChoiceField(label="合法性", choices=Legality.choices)
    build_year = forms.IntegerField(label="建成年份", min_value=1900, max_value=2100, required=False)
    parcel = forms.ModelChoiceField(label="所在地块", queryset=Parcel.objects.none(), required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)
    reason = forms.CharField(label="修改原因", required=False, max_length=500)


class AttachmentForm(StyledForm):
    code = forms.CharField(label="编号", max_length=40, required=False, help_text="不填则自动编号。")
    kind = forms.ChoiceField(label="种类", choices=AttachmentKind.choices)
    spec = forms.CharField(label="规格/说明", max_length=100, required=False)
    quantity = _area("数量")
    unit = forms.ChoiceField(label="单位", choices=Unit.choices)
    parcel = forms.ModelChoiceField(label="所在地块", queryset=Parcel.objects.none(), required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)
    reason = forms.CharField(label="修改原因", required=False, max_length=500)


class CropForm(StyledForm):
    code = forms.CharField(label="编号", max_length=40, required=False, help_text="不填则自动编号。")
    kind = forms.CharField(label="作物", max_length=40)
    quantity = _area("数量")
    unit = forms.ChoiceField(label="单位", choices=Unit.choices, initial=Unit.SQUARE_METRE)
    parcel = forms.ModelChoiceField(label="所在地块", queryset=Parcel.objects.none(), required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)
    reason = forms.CharField(label="修改原因", required=False, max_length=500)


ITEM_FORMS: dict[str, type[StyledForm]] = {
    "parcel": ParcelForm, "building": BuildingForm, "attachment": AttachmentForm, "crop": CropForm,
}


def item_form(kind: str, *args: Any, parcels: Any = None, editing: bool = False, **kwargs: Any) -> StyledForm:
    form = ITEM_FORMS[kind](*args, **kwargs)
    if "parcel" in form.fields:
        form.fields["parcel"].queryset = parcels  # type: ignore[attr-defined]
    if editing:
        form.fields["code"].disabled = True
    else:
        del form.fields["reason"]
    return form


class SurveyRecordForm(StyledForm):
    surveyed_on = forms.DateField(label="调查日期", widget=_DATE)
    surveyors = forms.CharField(label="调查人员", max_length=200, required=False)


class SurveySignForm(StyledForm):
    signed_on = forms.DateField(label="签字日期", widget=_DATE)
    signed_by_name = forms.CharField(label="签字人（本户家庭成员）", max_length=40)


class SurveyRefuseForm(StyledForm):
    served_on = forms.DateField(label="书面送达日期", widget=_DATE)
    reason = forms.CharField(label="情况说明", max_length=500, required=False)


class ObjectionForm(StyledForm):
    filed_on = forms.DateField(label="提出日期", widget=_DATE)
    filed_by_name = forms.CharField(label="提出人", max_length=40)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionResolveForm(StyledForm):
    outcome = forms.ChoiceField(
        label="复核结果", choices=[c for c in ObjectionOutcome.choices if c[0] != ObjectionOutcome.PENDING]
    )
    resolved_on = forms.DateField(label="复核日期", widget=_DATE)
    resolution = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}))


class FreezeForm(StyledForm):
    notified_on = forms.DateField(label="征地告知日期", widget=_DATE)


class EvidenceForm(StyledForm):
    target = forms.ChoiceField(label="附于")
    file = forms.FileField(label="文件（照片、录像、扫描件）")
    taken_by = forms.CharField(label="拍摄/记录人", max_length=60)
    taken_at = forms.DateTimeField(
        label="拍摄/记录时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    place = forms.CharField(label="地点", max_length=200)
    caption = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets  # type: ignore[attr-defined]
