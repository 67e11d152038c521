"""Printable documents: the valuation statement, the agreement and the publicity list as PDF
(WeasyPrint, Noto CJK fonts), and the agreement as .docx (docxtpl on a template built with
python-docx the first time it is needed, or the file named by settings.COMPENSATION_AGREEMENT_DOCX,
which `manage.py agreement_template` writes for an office to adapt)."""

from __future__ import annotations

import io
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from zhengqian.domain.compensation import CATEGORIES, PAYEES
from zhengqian.domain.money import amount_in_words, format_yuan

from .models import Agreement, AgreementKind, AgreementStatus, PublicityList, Valuation

_template_lock = threading.Lock()
_template_bytes: bytes | None = None


def pdf_from_template(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()  # type: ignore[no-any-return]


def _line_rows(valuation: Valuation) -> list[dict[str, Any]]:
    return [
        {
            "position": line.position, "category": CATEGORIES.get(line.category, line.category),
            "description": line.description, "formula": line.formula, "amount": format_yuan(line.amount),
            "payee": PAYEES.get(line.payee, line.payee), "clause": line.clause,
            "excluded_reason": line.excluded_reason,
        }
        for line in valuation.lines.all()
    ]


def _category_totals(valuation: Valuation) -> list[tuple[str, str]]:
    sums: dict[str, Decimal] = {}
    for line in valuation.lines.all():
        sums[line.category] = sums.get(line.category, Decimal(0)) + line.amount
    return [(label, format_yuan(sums[code])) for code, label in CATEGORIES.items() if code in sums]


def valuation_context(valuation: Valuation) -> dict[str, Any]:
    household = valuation.household
    return {
        "valuation": valuation, "household": household, "project": household.project,
        "lines": _line_rows(valuation), "by_category": _category_totals(valuation),
        "total": format_yuan(valuation.total), "total_in_words": valuation.total_in_words,
        "total_household": format_yuan(valuation.total_household),
        "total_collective": format_yuan(valuation.total_collective),
    }


def agreement_context(agreement: Agreement) -> dict[str, Any]:
    from .actions.agreements import payment_period

    household = agreement.household
    rule, clause = payment_period(agreement.project)
    valuation = agreement.valuation
    context = valuation_context(valuation)
    previous = None
    if agreement.kind == AgreementKind.SUPPLEMENTARY and agreement.parent is not None:
        previous = format_yuan(valuation.total - agreement.amount)
    context.update({
        "agreement": agreement, "number": agreement.number, "kind": agreement.get_kind_display(),
        "title": "征地补偿补充协议" if agreement.kind == AgreementKind.SUPPLEMENTARY else "征地补偿协议",
        "parent_number": agreement.parent.number if agreement.parent else "",
        "previous_total": previous,
        "amount": format_yuan(agreement.amount), "amount_in_words": amount_in_words(agreement.amount),
        "amount_household": format_yuan(agreement.amount_household),
        "amount_collective": format_yuan(agreement.amount_collective),
        "office": f"{agreement.project.district.name}征地拆迁工作领导小组办公室",
        "collective": f"{household.village.name}农村集体经济组织",
        "head_name": household.head_name, "household_code": household.code,
        "village": household.village.name + (f" {household.group.name}" if household.group_id else ""),
        "standard_label": f"{agreement.project.code} 补偿标准{valuation.standard.label}",
        "approval_reference": valuation.standard.approval_reference,
        "resettlement": agreement.get_resettlement_choice_display(),
        "bank_name": agreement.bank_name or "（未登记）", "bank_account_no": agreement.bank_account_no or "—",
        "bank_account_holder": agreement.bank_account_holder or "—",
        "signed": agreement.status == AgreementStatus.SIGNED,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "　　年　　月　　日",
        "signatories": agreement.signatories,
        "payment_due": agreement.payment_due.isoformat() if agreement.payment_due else "",
        "payment_period": str(rule), "payment_clause": agreement.payment_clause or clause,
        "project_code": agreement.project.code,
    })
    return context


def agreement_pdf(agreement: Agreement) -> bytes:
    return pdf_from_template("compensation/pdf/agreement.html", agreement_context(agreement))


def valuation_pdf(valuation: Valuation) -> bytes:
    return pdf_from_template("compensation/pdf/valuation.html", valuation_context(valuation))


def publicity_pdf(publicity: PublicityList) -> bytes:
    entries = list(publicity.entries.all())
    return pdf_from_template("compensation/pdf/publicity.html", {
        "publicity": publicity, "entries": entries, "categories": CATEGORIES,
        "total": format_yuan(publicity.total),
    })


# --- .docx ------------------------------------------------------------------------------------------

_DOCX_PARAGRAPHS = [
    "编号：{{ project_code }} {{ number }}",
    "甲方（征收方）：{{ office }}",
    "乙方（被征收户）：{{ head_name }}（户编号 {{ household_code }}，{{ village }}）",
    "{% if parent_number %}本协议为原协议 {{ parent_number }} 的补充协议，原协议其余条款继续有效。{% endif %}",
    "依据经审定的 {{ standard_label }}（{{ approval_reference }}），甲乙双方就乙方被征收土地、房屋及地上附着物的补偿"
    "达成如下协议：",
    "一、补偿明细如下表（每项列明计算式与依据条款）：",
]
_DOCX_AFTER = [
    "二、补偿合计 {{ total }} 元（大写：{{ total_in_words }}）。"
    "{% if previous_total %}原协议已约定 {{ previous_total }} 元，本补充协议调整 {{ amount }} 元"
    "（大写：{{ amount_in_words }}）。{% endif %}",
    "三、支付：付乙方实名账户 {{ bank_name }} {{ bank_account_no }}（户名 {{ bank_account_holder }}）"
    "{{ amount_household }} 元；付 {{ collective }} {{ amount_collective }} 元。",
    "四、甲方在本协议签订后 {{ payment_period }}内足额支付（{{ payment_clause }}）；款项经项目资金专户支付。",
    "五、安置方式：{{ resettlement }}。",
    "六、本协议签订后不得擅自变更；确需更正的，另行签订补充协议。",
    "甲方（盖章）：　　　　　　　　乙方（签字）：{{ signatories }}",
    "签订日期：{{ signed_on }}",
]
_DOCX_HEADERS = ["序号", "类别", "内容", "计算式", "金额（元）", "支付对象", "依据"]
_DOCX_CELLS = ["position", "category", "description", "formula", "amount", "payee", "clause"]


def build_agreement_template() -> bytes:
    """The agreement .docx template with docxtpl tags, built with python-docx."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ title }}")
    run.bold = True
    run.font.size = Pt(18)
    for text in _DOCX_PARAGRAPHS:
        document.add_paragraph(text)
    table = document.add_table(rows=4, cols=len(_DOCX_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, _DOCX_HEADERS, strict=True):
        cell.text = header
    table.rows[1].cells[0].text = "{%tr for line in lines %}"
    for cell, name in zip(table.rows[2].cells, _DOCX_CELLS, strict=True):
        cell.text = "{{ line." + name + " }}"
        if name == "description":
            cell.text += "{% if line.excluded_reason %}（不予补偿：{{ line.excluded_reason }}）{% endif %}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    for text in _DOCX_AFTER:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _template() -> bytes:
    global _template_bytes
    configured = getattr(settings, "COMPENSATION_AGREEMENT_DOCX", "")
    if configured and Path(configured).is_file():
        return Path(configured).read_bytes()
    with _template_lock:
        if _template_bytes is None:
            _template_bytes = build_agreement_template()
        return _template_bytes


def agreement_docx(agreement: Agreement) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(_template()))
    document.render(agreement_context(agreement))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
