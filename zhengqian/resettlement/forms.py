"""Forms of the resettlement pages. They only shape input; the actions check it (and answer in
Chinese, naming the field)."""

from __future__ import annotations

from django import forms

from zhengqian.core.forms import StyledForm

from .models import FORM_CHOICES, EstateRecord, OrderRule

DATE = forms.DateInput(attrs={"type": "date"})


class SchemeForm(StyledForm):
    per_person_m2 = forms.DecimalField(label="人均安置面积（㎡）", min_value=0, decimal_places=2, max_digits=10)
    max_over_m2 = forms.DecimalField(
        label="允许超出面积（㎡）", min_value=0, decimal_places=2, max_digits=10, initial=10
    )
    price_within = forms.DecimalField(label="安置价（元/㎡）", min_value=0, decimal_places=2, max_digits=16)
    price_above = forms.DecimalField(label="超面积价（元/㎡）", min_value=0, decimal_places=2, max_digits=16)
    refund_unused = forms.DecimalField(
        label="未用足面积退还（元/㎡）", min_value=0, decimal_places=2, max_digits=16, initial=0
    )
    require_contract = forms.BooleanField(label="须为土地承包经营户", required=False, initial=True)
    count_non_agricultural = forms.BooleanField(label="非农业户口也计入安置人口", required=False)
    minimum_age = forms.IntegerField(label="最低年龄（周岁，0 为不限）", min_value=0, max_value=120, initial=0)
    source = forms.CharField(label="方案文号/依据", max_length=120)


class OptionForm(StyledForm):
    form = forms.ChoiceField(label="安置方式", choices=FORM_CHOICES)
    chosen_on = forms.DateField(label="选择日期", widget=DATE)
    signed_by_name = forms.CharField(label="签字人（本户成员）", max_length=40)
    estate = forms.TypedChoiceField(label="意向小区（安置房安置）", required=False, coerce=int, empty_value=None)
    priority_group = forms.IntegerField(label="选房优先组（1 最先）", min_value=1, max_value=9, initial=9)
    note = forms.CharField(label="备注", max_length=200, required=False)
    signature = forms.FileField(label="签字确认书扫描件", required=False)

    def __init__(self, *args: object, estates: list[tuple[int, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["estate"].choices = [("", "—"), *(estates or [])]  # type: ignore[attr-defined]


class ObjectionForm(StyledForm):
    filed_on = forms.DateField(label="提出日期", widget=DATE)
    filed_by_name = forms.CharField(label="提出人", max_length=40)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 2}))


class PersonListForm(StyledForm):
    village = forms.TypedChoiceField(label="村/社区", coerce=int)
    published_on = forms.DateField(label="公示日期", widget=DATE)
    days = forms.IntegerField(label="公示天数", min_value=1, max_value=60, initial=7)


class EstateForm(StyledForm):
    code = forms.CharField(label="编号", max_length=40)
    name = forms.CharField(label="小区名称", max_length=100)
    jurisdiction = forms.TypedChoiceField(label="负责镇街", coerce=int)
    owner_name = forms.CharField(label="建设业主", max_length=100)
    address = forms.CharField(label="地址", max_length=200, required=False)
    planned_completion = forms.DateField(label="计划交房日期", required=False, widget=DATE)


class EstateRecordForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=EstateRecord.Kind.choices)
    on = forms.DateField(label="日期", widget=DATE)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 2}))


class UnitForm(StyledForm):
    building_no = forms.CharField(label="楼栋", max_length=20)
    number = forms.CharField(label="房号", max_length=20)
    floor = forms.IntegerField(label="楼层")
    area = forms.CharField(label="建筑面积（㎡）", max_length=20)
    layout = forms.CharField(label="户型", max_length=40, required=False)
    orientation = forms.CharField(label="朝向", max_length=20, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label="房源工作簿（.xlsx）")


class SelectionDayForm(StyledForm):
    estate = forms.TypedChoiceField(label="小区", coerce=int)
    on = forms.DateField(label="选房日期", widget=DATE)
    rule = forms.ChoiceField(label="选房顺序规则", choices=OrderRule.choices)
    seed = forms.CharField(label="抽签种子（公开抽签时，可留空由系统生成）", max_length=120, required=False)


class HandoverForm(StyledForm):
    handed_over_on = forms.DateField(label="交房日期", widget=DATE)
    vacated_on = forms.DateField(label="原房腾空日期（计算过渡期）", required=False, widget=DATE)


class CertificateForm(StyledForm):
    certificate_no = forms.CharField(label="房屋权证号", max_length=60)
    certificate_on = forms.DateField(label="发证日期", widget=DATE)


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=200)


class EnrolmentForm(StyledForm):
    village = forms.TypedChoiceField(label="村/社区", coerce=int)
    contribution = forms.DecimalField(label="每人缴费标准（元）", min_value=0, decimal_places=2, max_digits=16)
    share_government = forms.DecimalField(
        label="政府承担（%）", min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    share_collective = forms.DecimalField(
        label="集体承担（%）", min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    share_person = forms.DecimalField(label="个人承担（%）", min_value=0, max_value=100, decimal_places=2, max_digits=5)
