"""Forms of the compensation pages: they parse input; the actions validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from zhengqian.core.forms import StyledForm
from zhengqian.domain.compensation import UNITS

from .models import (
    CATEGORY_CHOICES,
    CLAUSE_REWARD,
    PAYEE_CHOICES,
    ObjectionOutcome,
    ResettlementChoice,
)

DATE = forms.DateInput(attrs={"type": "date"})


class StandardCreateForm(StyledForm):
    reason = forms.CharField(label="制定/调整原因", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="新版本须写明原因，经领导小组审定后才能用于计价（巴南 (二)）。")
    transition_months_default = forms.IntegerField(label="默认过渡期（月）", required=False, min_value=0,
                                                   max_value=120)


class RateForm(StyledForm):
    category = forms.ChoiceField(label="补偿类别", choices=CATEGORY_CHOICES)
    item = forms.CharField(
        label="项目代码", max_length=80,
        help_text="土地 land_<地类代码>；青苗 crop_<地类代码或作物名>；附着物 attachment_<种类>；"
                  "房屋 house_<结构>_<用途>；其余类别与类别代码相同（如 relocation）。",
    )
    name = forms.CharField(label="项目名称", max_length=80)
    unit = forms.ChoiceField(label="计量单位", choices=list(UNITS.items()))
    amount = forms.CharField(label="单价（元）", max_length=24)
    payee = forms.ChoiceField(label="支付对象", choices=PAYEE_CHOICES)
    clause = forms.CharField(label="依据条款", max_length=80, initial="banan-2015 (五)")


class RewardWindowForm(StyledForm):
    start = forms.DateField(label="交地起始日", widget=DATE)
    end = forms.DateField(label="交地截止日", widget=DATE)
    amount_per_household = forms.CharField(label="每户奖励（元）", required=False, max_length=24)
    percent = forms.CharField(label="或：按本户补偿额比例（%）", required=False, max_length=8)
    clause = forms.CharField(label="依据条款", max_length=80, initial=CLAUSE_REWARD)


class ApproveForm(StyledForm):
    approval_reference = forms.CharField(label="审定文号/会议纪要", max_length=120)
    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StyledForm):
    note = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 3}))


class ValuationRunForm(StyledForm):
    transition_months = forms.IntegerField(label="过渡期（月）", required=False, min_value=0, max_value=120,
                                           help_text="留空沿用上次计价或标准默认值。")
    handover_on = forms.DateField(label="实际交地日期", required=False, widget=DATE,
                                  help_text="在奖励期限内交地的计交地奖励（莆田 (十一)）。")


class PublicityCreateForm(StyledForm):
    village = forms.ModelChoiceField(label="村/社区", queryset=None, empty_label=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]


class PublishForm(StyledForm):
    published_on = forms.DateField(label="张贴公示日期", widget=DATE)


class ObjectionForm(StyledForm):
    household = forms.ModelChoiceField(label="涉及户（可选）", queryset=None, required=False)  # type: ignore[arg-type]
    filed_on = forms.DateField(label="提出日期", widget=DATE)
    filed_by_name = forms.CharField(label="提出人", max_length=40)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, households: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households  # type: ignore[attr-defined]


class ObjectionResolveForm(StyledForm):
    outcome = forms.ChoiceField(label="处理结果", choices=[c for c in ObjectionOutcome.choices if c[0] != "pending"])
    resolved_on = forms.DateField(label="处理日期", widget=DATE)
    resolution = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 3}))


class AgreementGenerateForm(StyledForm):
    resettlement_choice = forms.ChoiceField(label="安置方式（待安置模块上线前为占位）",
                                            choices=ResettlementChoice.choices)


class AgreementUpdateForm(StyledForm):
    resettlement_choice = forms.ChoiceField(label="安置方式", choices=ResettlementChoice.choices)
    queue_position = forms.IntegerField(label="签约顺序", min_value=0)


class SignForm(StyledForm):
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    signatories = forms.CharField(label="签字人", max_length=200,
                                  help_text="乙方签字人及甲方代表，如“王建国；区征地办 李科长”。")
    scan = forms.FileField(label="签字后的协议扫描件（PDF/JPEG/PNG）")
