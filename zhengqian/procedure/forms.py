"""Forms of the procedure pages: they parse; the actions decide (refusals come back as errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from zhengqian.core.forms import StyledForm
from zhengqian.domain.policy import EVIDENCE_KINDS, PolicyPack

from .actions import Upload
from .engine import RECORDABLE_FACTS
from .models import ServiceMethod, Vote

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def as_upload(file: UploadedFile | None, kind: str) -> Upload | None:
    if file is None:
        return None
    return Upload(kind, file.read(), file.name or "未命名", file.content_type or "application/octet-stream")


class StepCompleteForm(StyledForm):
    done_on = forms.DateField(
        label="完成日期", widget=DATE, help_text="该行为依法生效的日期（公告张贴日、送达日、会议日）。"
    )
    note = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, pack: PolicyPack, code: str, can_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = pack.step(code)
        for kind in step.evidence:
            self.fields[f"file_{kind}"] = forms.FileField(
                label=f"证据：{EVIDENCE_KINDS[kind]}",
                required=False,
                widget=forms.ClearableFileInput(attrs={"class": "form-control", "data-evidence": kind}),
            )
        if can_override and pack.gates_for(code):
            self.fields["override_reason"] = forms.CharField(
                label="越过事实关口的理由（领导小组办公室）",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                help_text="仅越过资金、承诺等事实关口；程序先后顺序不能越过。留空则不越过。",
            )
        self.kinds = list(step.evidence)

    def uploads(self) -> list[Upload]:
        found = [as_upload(self.cleaned_data.get(f"file_{kind}"), kind) for kind in self.kinds]
        return [item for item in found if item is not None]


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FactForm(StyledForm):
    code = forms.ChoiceField(label="事实", choices=list(RECORDABLE_FACTS.items()))
    value = forms.BooleanField(label="成立", required=False, initial=True)
    reason = forms.CharField(label="依据说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label="证明文件（到账凭证、审批记录、承诺书等）", required=False)


class NoticeForm(StyledForm):
    kind = forms.ChoiceField(label="文书")
    issued_on = forms.DateField(label="成文日期", widget=DATE)
    registration_deadline = forms.DateField(
        label="补偿登记截止日（公告规定的登记期限）",
        required=False,
        widget=DATE,
        help_text="逾期未登记的后果按政策包：永州视为放弃补偿权利，莆田以调查核实结果为准。",
    )
    extra_text = forms.CharField(
        label="补充内容", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class PublishForm(StyledForm):
    published_on = forms.DateField(label="张贴/公布日期", widget=DATE)
    posting_place = forms.CharField(
        label="张贴地点", max_length=300, help_text="如：桂花村村委会公告栏、村民小组醒目位置"
    )
    photo = forms.FileField(label="张贴现场照片", required=False)
    other_kind = forms.ChoiceField(
        label="其他证据类型",
        required=False,
        choices=[("", "—"), *[(k, v) for k, v in EVIDENCE_KINDS.items() if k != "photo"]],
    )
    other_file = forms.FileField(label="其他证据文件（如送达回证、征地范围图）", required=False)

    def photos(self) -> list[Upload]:
        photo = as_upload(self.cleaned_data.get("photo"), "photo")
        return [photo] if photo else []

    def others(self) -> list[Upload]:
        kind = self.cleaned_data.get("other_kind") or "document"
        other = as_upload(self.cleaned_data.get("other_file"), kind)
        return [other] if other else []


class ServeForm(StyledForm):
    served_on = forms.DateField(label="送达日期", widget=DATE)
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    served_to = forms.CharField(label="受送达人", max_length=80)
    proof = forms.FileField(label="送达回证 / 送达证明", required=False)

    def proofs(self) -> list[Upload]:
        proof = as_upload(self.cleaned_data.get("proof"), "service_proof")
        return [proof] if proof else []


class ChainIssueForm(StyledForm):
    issued_on = forms.DateField(label="成文日期", widget=DATE)
    extra_text = forms.CharField(
        label="补充内容", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssemblyForm(StyledForm):
    held_on = forms.DateField(label="会议日期", widget=DATE)
    place = forms.CharField(label="会议地点", max_length=200)


class AssemblyCloseForm(StyledForm):
    minutes = forms.FileField(label="会议记录")
    signature_list = forms.FileField(label="签到名册")
    photo = forms.FileField(label="会议现场照片", required=False)


class HearingRequestForm(StyledForm):
    requested_on = forms.DateField(label="申请日期", widget=DATE)
    requested_by = forms.CharField(label="申请人（村委会汇总）", max_length=120)
    document = forms.FileField(label="书面申请")


class RepresentativeForm(StyledForm):
    name = forms.CharField(label="听证代表姓名", max_length=40)
    elected_on = forms.DateField(label="推选日期", widget=DATE)


class HearingHoldForm(StyledForm):
    held_on = forms.DateField(label="听证日期", widget=DATE)
    minutes = forms.FileField(label="听证笔录")
    signature_list = forms.FileField(label="签到名册")
    document = forms.FileField(label="听证通知书")


class OpinionForm(StyledForm):
    issued_on = forms.DateField(label="协调意见日期", widget=DATE)
    opinion = forms.CharField(label="协调意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(label="协调意见书")


class VoteForm(StyledForm):
    voted_on = forms.DateField(label="征求意见日期", widget=DATE)
    signature_list = forms.FileField(label="听证代表签字意见表", required=False)

    def __init__(self, *args: Any, representatives: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.representatives = representatives
        for rep in representatives:
            self.fields[f"vote_{rep.pk}"] = forms.ChoiceField(
                label=f"{rep.name} 的意见",
                choices=[(Vote.AGREE, "同意"), (Vote.DISAGREE, "不同意")],
                widget=forms.RadioSelect,
            )

    def votes(self) -> dict[int, str]:
        return {rep.pk: self.cleaned_data.get(f"vote_{rep.pk}", "") for rep in self.representatives}


class ObjectionsForm(StyledForm):
    recorded_on = forms.DateField(label="统计日期", widget=DATE)
    members = forms.IntegerField(label="被征地集体经济组织成员数", min_value=0)
    objecting = forms.IntegerField(label="认为方案不符合法律法规的成员数", min_value=0)
