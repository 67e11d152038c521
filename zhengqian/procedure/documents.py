"""The documents of the procedure, drafted from Django templates with the project's data:
notices (告知书, 公告; putian-2014 (一)(四), yongzhou-linkage 五(一)1) and the forced-vacate
chain (yongzhou-linkage 五(一)5, putian-2014 (八)). Printable HTML, and PDF via WeasyPrint
(Debian fonts-noto-cjk). The HTML is kept as issued; its PDF is an evidence file (SHA-256)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from zhengqian.domain.policy import PolicyPack
from zhengqian.households.models import Household, SurveyRecordState
from zhengqian.projects.models import Project


@dataclass(frozen=True)
class DocumentKind:
    code: str  # = the step it completes
    title: str
    prefix: str  # in the number: PT-2026-003告知〔2026〕1号
    chain: bool
    template: str


KINDS: dict[str, DocumentKind] = {
    item.code: item
    for item in (
        DocumentKind("pre_announcement", "征收土地预公告", "预告", False, "notice"),
        DocumentKind("notification", "征地告知书", "告知", False, "notice"),
        DocumentKind("compensation_plan", "征地补偿安置方案公告", "方案", False, "notice"),
        DocumentKind("expropriation_announcement", "征收土地公告", "征告", False, "notice"),
        DocumentKind("compensation_notice", "补偿告知书", "补告", True, "chain"),
        DocumentKind("compensation_decision", "征地补偿安置决定书", "补决", True, "chain"),
        DocumentKind("vacate_notice", "限期腾地通知书", "腾通", True, "chain"),
        DocumentKind("order_to_hand_over", "责令交出土地决定书", "责交", True, "chain"),
        DocumentKind("demand_to_comply", "履行行政决定催告书", "催告", True, "chain"),
        DocumentKind("court_enforcement", "强制执行申请书", "执申", True, "chain"),
    )
}
NOTICE_KINDS = tuple(code for code, kind in KINDS.items() if not kind.chain)
CHAIN_KINDS = tuple(code for code, kind in KINDS.items() if kind.chain)

_DIGITS = "〇一二三四五六七八九"


def chinese_date(day: date) -> str:
    """二〇二六年三月二日, as official documents date themselves."""
    year = "".join(_DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{_number(day.month)}月{_number(day.day)}日"


def _number(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def title_for(pack: PolicyPack, kind: str) -> str:
    """The document's name under the project's pack: yongzhou-linkage calls the decision to
    hand over land 限期腾地决定书 (its 五(一)5), the national law 责令交出土地."""
    if kind == "order_to_hand_over" and pack.has_step(kind) and "限期腾地决定书" in pack.step(kind).name:
        return "限期腾地决定书"
    if kind == "compensation_decision" and pack.has_step(kind) and pack.step(kind).name == "下达补偿决定书":
        return "补偿决定书"
    if kind == "expropriation_announcement" and pack.has_step(kind) and "通告" in pack.step(kind).name:
        return "征收土地通告"
    return KINDS[kind].title


def periods_from(pack: PolicyPack, code: str) -> list[dict[str, str]]:
    """The periods that start when this document takes effect, as the document states them."""
    result = []
    for deadline in pack.deadlines:
        if deadline.anchor != code:
            continue
        result.append(
            {
                "name": deadline.name,
                "rule": str(deadline.rule),
                "kind": deadline.kind,
                "clause": deadline.citation.label,
                "quote": deadline.citation.quote,
            }
        )
    return result


def render_html(
    *,
    pack: PolicyPack,
    project: Project,
    kind: str,
    number: str,
    issued_on: date,
    household: Household | None = None,
    registration_deadline: date | None = None,
    extra_text: str = "",
    served: dict[str, Any] | None = None,
) -> str:
    spec = KINDS[kind]
    step = pack.step(kind)
    survey = None
    if household is not None:
        survey = household.surveys.exclude(state=SurveyRecordState.SUPERSEDED).order_by("-version").first()
    context = {
        "title": title_for(pack, kind),
        "kind": kind,
        "number": number,
        "issued_on": issued_on,
        "issued_on_text": chinese_date(issued_on),
        "project": project,
        "townships": list(project.townships.order_by("code").values_list("name", flat=True)),
        "pack": pack,
        "step": step,
        "clause": step.citation.label,
        "quote": step.citation.quote,
        "authority": f"{project.district.name}人民政府",
        "household": household,
        "survey": survey,
        "registration_deadline": registration_deadline,
        "registration_deadline_text": chinese_date(registration_deadline) if registration_deadline else "",
        "periods": periods_from(pack, kind),
        "gates": [{"message": g.message, "clause": g.citation.label} for g in pack.gates_for(kind)],
        "extra_text": extra_text,
        "served": served or {},
        "household_count": project.households.filter(status="registered").count(),
    }
    return render_to_string(f"procedure/documents/{spec.template}.html", context)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
