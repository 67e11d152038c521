"""What the document service can render, and how (HTML → PDF with WeasyPrint and the Noto CJK
fonts; .docx with docxtpl). The compensation and procedure apps keep their own templates and
context builders (compensation/documents.py, procedure/documents.py); this module is the one
place that turns them into stored, numbered, audited files.

Kinds:
- ``valuation_statement`` 补偿计算单 (a Valuation), ``agreement`` / ``agreement_docx`` 补偿协议
  (an Agreement; its number is the agreement's own), ``publicity_list`` 补偿公示表 (a PublicityList)
  — putian-2014 (七)(十), yongzhou-linkage 五(一)4;
- ``survey_sheet`` 调查确认表 (a Household's current survey record) — putian-2014 (二);
- ``household_notice`` 补偿信息查询告知单 (a Household): numbered 〔2026〕N号 per project, with the
  household's lookup code and a QR code to the self-lookup page — putian-2014 (九) 公开;
- ``notice_poster`` 张贴版公告 (a published ProcedureDocument): the notice as issued, with a QR
  code to its public page — yongzhou-linkage 五(一)1;
- ``payment_list`` 付款清单 (a Project): its payments and their state — putian-2014 (七)(十).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse

from zhengqian.core import clock
from zhengqian.domain.errors import InvalidInput
from zhengqian.households.models import Household, SurveyRecordState

from .numbering import next_number
from .qr import public_url, qr_data_uri


@dataclass(frozen=True)
class Rendered:
    content: bytes
    filename: str
    title: str
    number: str
    project: Any
    household: Any
    jurisdiction_path: str


def html_to_pdf(html: str) -> bytes:
    from django.conf import settings
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()  # type: ignore[no-any-return]


def _valuation(obj: Any) -> Rendered:
    from zhengqian.compensation import documents

    household = obj.household
    return Rendered(documents.valuation_pdf(obj), f"补偿计算单-{household.code}-{obj.pk}.pdf",
                    f"补偿计算单 {household.code} {household.head_name}", "", household.project, household,
                    household.village.path)


def _agreement(obj: Any) -> Rendered:
    from zhengqian.compensation import documents

    household = obj.household
    return Rendered(documents.agreement_pdf(obj), f"{obj.get_kind_display()}-{household.code}.pdf",
                    f"{obj.get_kind_display()} {household.code} {household.head_name}", obj.number, obj.project,
                    household, household.village.path)


def _agreement_docx(obj: Any) -> Rendered:
    from zhengqian.compensation import documents

    household = obj.household
    return Rendered(documents.agreement_docx(obj), f"{obj.get_kind_display()}-{household.code}.docx",
                    f"{obj.get_kind_display()}（Word） {household.code} {household.head_name}", obj.number,
                    obj.project, household, household.village.path)


def _publicity(obj: Any) -> Rendered:
    from zhengqian.compensation import documents

    return Rendered(documents.publicity_pdf(obj), f"补偿公示-{obj.village.name}-{obj.pk}.pdf",
                    f"补偿公示 {obj.village.name}", "", obj.project, None, obj.village.path)


def _survey_sheet(household: Household) -> Rendered:
    survey = household.surveys.exclude(state=SurveyRecordState.SUPERSEDED).order_by("-version").first()
    if survey is None:
        raise InvalidInput(f"{household.code} 尚无调查记录，不能生成调查确认表。", field="household")
    html = render_to_string("documents/pdf/survey_sheet.html", {
        "household": household, "project": household.project, "survey": survey,
        "parcels": list(household.parcels.all()), "buildings": list(household.buildings.all()),
        "attachments": list(household.attachments.all()), "crops": list(household.crops.all()),
        "members": list(household.members.all()), "today": clock.today(),
    })
    return Rendered(html_to_pdf(html), f"调查确认表-{household.code}-v{survey.version}.pdf",
                    f"调查确认表 {household.code} {household.head_name}", "", household.project, household,
                    household.village.path)


def _household_notice(household: Household) -> Rendered:
    from zhengqian.public.codes import lookup_code

    project = household.project
    today = clock.today()
    _, number = next_number(scope=project.code, kind="household_notice", year=today.year, prefix=f"{project.code}查")
    code = lookup_code(household.pk)
    lookup = public_url(reverse("public:lookup"))
    html = render_to_string("documents/pdf/household_notice.html", {
        "household": household, "project": project, "number": number, "code": f"{code[:4]}-{code[4:]}",
        "lookup_url": lookup, "qr": qr_data_uri(lookup), "today": today,
        "authority": f"{project.district.name}征地拆迁工作领导小组办公室",
    })
    return Rendered(html_to_pdf(html), f"查询告知单-{household.code}.pdf",
                    f"补偿信息查询告知单 {household.code} {household.head_name}", number, project, household,
                    household.village.path)


def poster_html(document: Any) -> str:
    """The notice as issued, with a QR code to its public page under the signature."""
    url = public_url(reverse("public:notice", args=[document.pk]))
    block = render_to_string("documents/pdf/poster_qr.html", {"url": url, "qr": qr_data_uri(url),
                                                               "document": document})
    html: str = document.html
    return html.replace("</body>", block + "</body>") if "</body>" in html else html + block


def _notice_poster(document: Any) -> Rendered:
    if document.household_id is not None or document.published_on is None:
        raise InvalidInput("只有已张贴公布的公告可以生成张贴版（带二维码）。", field="document")
    path = min((t.path for t in document.project.townships.all()), default=document.project.district.path, key=len)
    return Rendered(html_to_pdf(poster_html(document)), f"张贴版-{document.number}.pdf",
                    f"{document.title}（张贴版）", document.number, document.project, None, path)


def _payment_list(project: Any) -> Rendered:
    """付款清单: every payment of the project with its payee, category, amount and state
    (putian-2014 (七)(十): paid into the household's real-name account)."""
    from zhengqian.domain.money import format_yuan
    from zhengqian.funds.models import Payment

    payments = list(Payment.objects.filter(project=project).exclude(state="cancelled")
                    .select_related("household", "agreement").order_by("household__code", "id"))
    total = sum((p.amount for p in payments), start=Decimal(0))
    html = render_to_string("documents/pdf/payment_list.html", {
        "project": project, "payments": payments, "total": format_yuan(total), "today": clock.today(),
    })
    return Rendered(html_to_pdf(html), f"付款清单-{project.code}.pdf", f"付款清单 {project.code}", "", project,
                    None, project.district.path)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    model: str
    render: Callable[[Any], Rendered]


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind("valuation_statement", "补偿计算单", "compensation.valuation", _valuation),
        Kind("agreement", "补偿协议（PDF）", "compensation.agreement", _agreement),
        Kind("agreement_docx", "补偿协议（Word）", "compensation.agreement", _agreement_docx),
        Kind("publicity_list", "补偿公示表", "compensation.publicitylist", _publicity),
        Kind("survey_sheet", "调查确认表", "households.household", _survey_sheet),
        Kind("household_notice", "补偿信息查询告知单", "households.household", _household_notice),
        Kind("notice_poster", "张贴版公告（带二维码）", "procedure.proceduredocument", _notice_poster),
        Kind("payment_list", "付款清单", "projects.project", _payment_list),
    )
}


def render(kind: str, obj: models.Model) -> Rendered:
    spec = KINDS.get(kind)
    if spec is None:
        raise InvalidInput(f"未知的文书类型：{kind}", field="kind")
    if obj._meta.label_lower != spec.model:
        raise InvalidInput(f"{spec.label}不能由{obj._meta.verbose_name}生成。", field="kind")
    return spec.render(obj)
