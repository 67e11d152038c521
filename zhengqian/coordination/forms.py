"""Forms of the coordination pages (Chinese labels; every error names its field)."""

from __future__ import annotations

from typing import Any

from django import forms

from zhengqian.core.forms import StyledForm
from zhengqian.core.models import Department
from zhengqian.domain.coordination import Severity

from .models import MeetingKind, SupportKind

UNITS = [("working_days", "个工作日"), ("days", "日"), ("months", "个月")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _owner_choices(departments: Any, townships: Any) -> list[tuple[str, str]]:
    return [(f"d{d.pk}", d.name) for d in departments] + [(f"t{t.pk}", t.name) for t in townships]


class OwnerField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class MeetingForm(StyledForm):
    kind = forms.ChoiceField(label="类型", choices=MeetingKind.choices)
    title = forms.CharField(label="议题", max_length=200)
    held_on = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200, required=False)
    chair = forms.CharField(label="主持人", max_length=60, required=False)
    agenda = forms.CharField(label="议程", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    departments = forms.ModelMultipleChoiceField(
        label="参会部门",
        queryset=Department.objects.order_by("pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees = forms.CharField(label="参会人员", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    incident = forms.TypedChoiceField(label="研究的突发事件", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, incidents: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = [("", "（无）")] + [(i.pk, str(i)) for i in incidents]  # type: ignore[attr-defined]


class DecisionForm(StyledForm):
    text = forms.CharField(label="决议事项", widget=forms.Textarea(attrs={"rows": 3}))
    project = forms.TypedChoiceField(label="征地项目", coerce=int)
    owners = OwnerField(label="责任部门/镇街")
    period_count = forms.IntegerField(label="办理期限", min_value=1, max_value=365, initial=10)
    period_unit = forms.ChoiceField(label="期限单位", choices=UNITS, initial="working_days")

    def __init__(
        self, *args: Any, projects: Any = (), departments: Any = (), townships: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]  # type: ignore[attr-defined]
        self.fields["owners"].choices = _owner_choices(departments, townships)  # type: ignore[attr-defined]


class TaskForm(StyledForm):
    title = forms.CharField(label="任务", max_length=200)
    detail = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    project = forms.TypedChoiceField(label="征地项目", coerce=int)
    owner = forms.ChoiceField(label="责任部门/镇街")
    period_count = forms.IntegerField(label="办理期限", min_value=1, max_value=365, initial=10)
    period_unit = forms.ChoiceField(label="期限单位", choices=UNITS, initial="working_days")

    def __init__(
        self, *args: Any, projects: Any = (), departments: Any = (), townships: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]  # type: ignore[attr-defined]
        self.fields["owner"].choices = _owner_choices(departments, townships)  # type: ignore[attr-defined]


class TaskCompleteForm(StyledForm):
    note = forms.CharField(label="办结情况", widget=forms.Textarea(attrs={"rows": 3}))
    completed_on = forms.DateField(label="办结日期", widget=DATE, required=False)
    evidence = forms.FileField(label="办结材料")


class TaskCancelForm(StyledForm):
    reason = forms.CharField(label="撤销理由", widget=forms.Textarea(attrs={"rows": 2}))


class IncidentForm(StyledForm):
    project = forms.TypedChoiceField(label="征地项目", coerce=int)
    township = forms.TypedChoiceField(label="报告镇街", coerce=int)
    occurred_at = forms.DateTimeField(
        label="发生时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label="地点", max_length=200)
    size = forms.IntegerField(label="涉及人数", min_value=1, max_value=100000)
    severity = forms.ChoiceField(label="等级", choices=[(s.value, s.label) for s in Severity])
    summary = forms.CharField(label="事件概况", widget=forms.Textarea(attrs={"rows": 3}))
    first_response = forms.CharField(label="先期处置", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    households = forms.CharField(label="涉及户编号（逗号分隔）", required=False)

    def __init__(self, *args: Any, projects: Any = (), townships: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]  # type: ignore[attr-defined]
        self.fields["township"].choices = [(t.pk, t.name) for t in townships]  # type: ignore[attr-defined]


class ArrivalForm(StyledForm):
    leader_name = forms.CharField(label="到场负责人", max_length=60)
    arrived_at = forms.DateTimeField(
        label="到场时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )


class NoteForm(StyledForm):
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 2}))


class PetitionForm(StyledForm):
    project = forms.TypedChoiceField(label="征地项目", coerce=int)
    township = forms.TypedChoiceField(label="镇街", coerce=int)
    petitioner = forms.CharField(label="信访人", max_length=60)
    channel = forms.CharField(label="渠道", max_length=30, initial="来访")
    summary = forms.CharField(label="诉求", widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label="受理日期", widget=DATE)
    household = forms.CharField(label="户编号", max_length=40, required=False)

    def __init__(self, *args: Any, projects: Any = (), townships: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, str(p)) for p in projects]  # type: ignore[attr-defined]
        self.fields["township"].choices = [(t.pk, t.name) for t in townships]  # type: ignore[attr-defined]


class PetitionAssignForm(StyledForm):
    department = forms.ModelChoiceField(label="承办部门", queryset=Department.objects.order_by("pk"))
    extend = forms.BooleanField(label="经负责人批准延期30日", required=False)


class PetitionAnswerForm(StyledForm):
    answer = forms.CharField(label="答复意见", widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = forms.DateField(label="答复日期", widget=DATE, required=False)


class SupportForm(StyledForm):
    kind = forms.ChoiceField(label="帮扶类型", choices=SupportKind.choices)
    need = forms.CharField(label="困难情况", widget=forms.Textarea(attrs={"rows": 3}))


class RewardForm(StyledForm):
    kind = forms.ChoiceField(label="类型", choices=[("reward", "奖励"), ("penalty", "扣减/追责")])
    subject = forms.ChoiceField(label="对象")
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, departments: Any = (), townships: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = _owner_choices(departments, townships)  # type: ignore[attr-defined]
