"""Forms of the funds pages: they parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms

from zhengqian.core import clock
from zhengqian.core.forms import StyledForm
from zhengqian.domain.ledger import Category

CATEGORY_CHOICES = [(c.value, c.label) for c in Category]
ESTIMATED = [c for c in Category if c not in (Category.social_security, Category.work_funds)]


def _money(label: str, required: bool = True, **extra: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=16, decimal_places=2, min_value=0, required=required, **extra)


def _date(label: str, **extra: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **extra)


class AccountsOpenForm(StyledForm):
    bank_name = forms.CharField(label="专户开户银行", max_length=80, required=False)
    account_no = forms.CharField(label="专户账号", max_length=40, required=False)


class CollectiveAccountForm(StyledForm):
    village = forms.ModelChoiceField(label="村/社区", queryset=None, empty_label=None)  # type: ignore[arg-type]
    name = forms.CharField(label="户名", max_length=120)
    bank_name = forms.CharField(label="开户银行", max_length=80)
    account_no = forms.CharField(label="账号", max_length=40)

    def __init__(self, *args: Any, villages: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]


class BudgetForm(StyledForm):
    approval_document = forms.CharField(label="批准文号", max_length=120)
    approved_on = _date("批准日期")
    social_security = _money("社会保障资金", initial=0)
    work_funds = _money("工作经费", initial=0)
    resettlement_housing = _money("安置房建设及回购资金", initial=0)
    reason = forms.CharField(label="调整原因", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in ESTIMATED:
            field = _money(f"{category.label}（测算）", required=False)
            field.widget.attrs["class"] = "form-control"
            self.fields[f"estimate_{category.value}"] = field

    def action_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        estimates = {c.value: data.pop(f"estimate_{c.value}") for c in ESTIMATED if data.get(f"estimate_{c.value}")}
        for category in ESTIMATED:
            data.pop(f"estimate_{category.value}", None)
        return {**data, "estimates": estimates}


class DepositForm(StyledForm):
    category = forms.ChoiceField(label="资金类别", choices=CATEGORY_CHOICES)
    amount = _money("金额（元）")
    received_on = _date("到账日期", initial=clock.today)
    bank_reference = forms.CharField(label="银行回单号", max_length=60)
    receipt = forms.FileField(label="银行回单（扫描件）")


class ReviewForm(StyledForm):
    reviewed_on = _date("审核日期", initial=clock.today)
    reviewer = forms.CharField(label="审核部门及经办人", max_length=120, initial="区人力社保局")
    document_no = forms.CharField(label="审核意见文号", max_length=120)
    amount_confirmed = _money("核定落实金额（元）")
    opinion = forms.FileField(label="审核意见（扫描件）")


class AppropriationForm(StyledForm):
    township = forms.ModelChoiceField(label="镇街", queryset=None, empty_label=None)  # type: ignore[arg-type]
    category = forms.ChoiceField(label="资金类别", choices=CATEGORY_CHOICES)
    amount = _money("金额（元）")
    purpose = forms.CharField(label="用途", max_length=200, required=False)

    def __init__(self, *args: Any, townships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("reject", "退回")])
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class TransferForm(StyledForm):
    source = forms.ModelChoiceField(label="调出账户", queryset=None, empty_label=None)  # type: ignore[arg-type]
    target = forms.ModelChoiceField(label="调入账户", queryset=None, empty_label=None)  # type: ignore[arg-type]
    category = forms.ChoiceField(label="调出类别", choices=CATEGORY_CHOICES)
    to_category = forms.ChoiceField(label="调入类别", choices=[("", "同调出类别"), *CATEGORY_CHOICES], required=False)
    amount = _money("金额（元）")
    reason = forms.CharField(label="调剂理由", max_length=300)
    approver_name = forms.CharField(label="批准人（区政府主要领导）", max_length=60, required=False,
                                    help_text="跨项目调剂必填（巴南 (五)）。")
    approval = forms.FileField(label="批准文件", required=False, help_text="跨项目调剂必须上传。")

    def __init__(self, *args: Any, sources: Any = None, targets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=200)


class ReturnForm(StyledForm):
    file = forms.FileField(label="银行回盘文件（CSV）")


class PublicationForm(StyledForm):
    published_on = _date("公布日期", initial=clock.today)
    place = forms.CharField(label="公布地点/方式", max_length=200, initial="村公开栏")
    photo = forms.FileField(label="公布照片")
