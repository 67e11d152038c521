from __future__ import annotations

from typing import Any

from django import forms

from zhengqian.core.forms import StyledForm
from zhengqian.core.models import Jurisdiction
from zhengqian.core.packs import pack_choices

from .models import ProjectStatus


class ProjectForm(StyledForm):
    code = forms.CharField(label="项目编号", max_length=40)
    name = forms.CharField(label="项目名称", max_length=120)
    owner_name = forms.CharField(label="业主单位", max_length=120)
    district = forms.ModelChoiceField(label="所属区县", queryset=Jurisdiction.objects.none(), empty_label=None)
    townships = forms.ModelMultipleChoiceField(
        label="涉及镇街",
        queryset=Jurisdiction.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个涉及镇街。"},
    )
    land_area = forms.DecimalField(
        label="征地总面积（平方米）",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        error_messages={
            "invalid": "征地总面积须为数字（平方米）。",
            "min_value": "征地总面积不能为负数。",
            "max_decimal_places": "征地总面积最多保留两位小数。",
        },
    )
    policy_pack = forms.ChoiceField(label="适用政策", choices=())
    status = forms.ChoiceField(label="状态", choices=ProjectStatus.choices, initial=ProjectStatus.PREPARING)
    purpose = forms.CharField(label="用地用途", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="修改原因", required=False, max_length=500)

    def __init__(self, *args: Any, districts: Any, townships: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["townships"].queryset = townships  # type: ignore[attr-defined]
        self.fields["policy_pack"].choices = pack_choices()  # type: ignore[attr-defined]
        if editing:
            for name in ("code", "district", "policy_pack"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.fields["reason"].help_text = "写入审计日志。"
        else:
            del self.fields["status"]
            del self.fields["reason"]
