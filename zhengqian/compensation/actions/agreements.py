"""Compensation agreements (补偿协议, yongzhou-linkage 五(一)4 "组织签订征收土地协议"):
generated from the household's current valuation, numbered per project per year without gaps
or duplicates, signed once, then immutable; corrections only by a supplementary agreement
(民法典 第五百四十三条 "当事人协商一致，可以变更合同"). Signing starts the payment clock:
full payment within 3 months of the agreement (yongzhou-linkage 五(一)4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from zhengqian.core import audit, clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import User
from zhengqian.core.packs import pack
from zhengqian.core.permissions import require
from zhengqian.domain.calendar import PeriodRule
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.money import round_fen, sum_money
from zhengqian.households.models import Household
from zhengqian.legal.selectors import work_calendar
from zhengqian.projects.models import Project

from ..models import (
    CLAUSE_APPROVAL,
    CLAUSE_PAYMENT,
    CLAUSE_SUPPLEMENT,
    Agreement,
    AgreementCounter,
    AgreementKind,
    AgreementStatus,
    ResettlementChoice,
    StandardStatus,
    Valuation,
)
from .common import check_household, choice, day, in_scope, integer, require_confirmed, require_current_standard, text

AGREEMENT_FIELDS = [
    "kind", "number", "status", "valuation", "amount", "amount_household", "amount_collective", "resettlement_choice",
    "bank_name", "bank_account_no", "bank_account_holder", "queue_position", "signed_on", "signatories",
    "signed_copy", "payment_due", "payment_due_provisional",
]
SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/tiff"}


def format_number(year: int, serial: int) -> str:
    """〔2026〕第0001号."""
    return f"〔{year}〕第{serial:04d}号"


def _next_serial(project: Project, year: int) -> int:
    """The next number of ``project`` in ``year``: the counter row is locked until the
    surrounding transaction ends, so concurrent signers queue and never share or skip one."""
    from zhengqian.documents.numbering import take_next

    return take_next(AgreementCounter, project=project, year=year)


def _check_agreement(actor: User, agreement: Agreement) -> Agreement:
    require(actor, "agreement.manage")
    if not isinstance(agreement, Agreement):
        raise InvalidInput("协议不存在。", field="agreement")
    agreement = Agreement.objects.select_related("household__village", "project").get(pk=agreement.pk)
    if not in_scope(actor, agreement.household.village.path):
        raise InvalidInput("该协议不在您的辖区。", field="agreement")
    return agreement


def _refuse_signed(agreement: Agreement) -> None:
    if agreement.status == AgreementStatus.SIGNED:
        raise GateClosed(
            f"{agreement.get_kind_display()}{agreement.number}已于 {agreement.signed_on} 签订，不能修改或重复签订；"
            "更正须另签补充协议",
            clause=CLAUSE_SUPPLEMENT,
        )


def _bank(household: Household) -> dict[str, str]:
    holder = household.bank_account_holder.name if household.bank_account_holder_id else household.head_name
    return {"bank_name": household.bank_name, "bank_account_no": household.bank_account_no,
            "bank_account_holder": holder if household.bank_account_no else ""}


def _current_valuation(household: Household) -> Valuation:
    standard = require_current_standard(household.project)
    valuation = Valuation.objects.filter(household=household, is_current=True).select_related("standard").first()
    if valuation is None or valuation.standard_id != standard.pk:
        raise GateClosed(f"{household.code} 户尚未按现行补偿标准{standard.label}计价，请先计价", clause=CLAUSE_APPROVAL)
    return valuation


def agreement_generate(
    *, actor: User, household: Household, resettlement_choice: str = ResettlementChoice.UNDECIDED
) -> Agreement:
    """Generate the household's agreement from its current valuation, or refresh its unsigned
    draft (same number). A signed agreement is never regenerated (民法典 第五百四十三条)."""
    require(actor, "agreement.manage")
    household = check_household(actor, household)
    require_confirmed(household)
    choice(resettlement_choice, ResettlementChoice, "resettlement_choice", "安置方式")
    with transaction.atomic():
        household = Household.objects.select_for_update(of=("self",)).select_related(
            "project", "village", "bank_account_holder"
        ).get(pk=household.pk)
        valuation = _current_valuation(household)
        existing = Agreement.objects.select_for_update().filter(
            household=household, kind=AgreementKind.ORIGINAL
        ).first()
        if existing is not None:
            _refuse_signed(existing)
        values = {
            "valuation": valuation, "amount": valuation.total, "amount_household": valuation.total_household,
            "amount_collective": valuation.total_collective, "resettlement_choice": resettlement_choice,
            **_bank(household), "updated_at": clock.now(),
        }
        if existing is not None:
            before = audit.snapshot(existing, AGREEMENT_FIELDS)
            for field, value in values.items():
                setattr(existing, field, value)
            existing.save()
            agreement, action = existing, "agreement.regenerate"
        else:
            before = None
            year = clock.today().year
            serial = _next_serial(household.project, year)
            agreement = Agreement.objects.create(
                project=household.project, household=household, kind=AgreementKind.ORIGINAL, year=year,
                serial=serial, number=format_number(year, serial), queue_position=serial, created_by=actor,
                created_at=clock.now(), **values,
            )
            action = "agreement.generate"
        audit.record(actor=actor, action=action, obj=agreement, before=before,
                     after=audit.snapshot(agreement, AGREEMENT_FIELDS), jurisdiction_path=household.village.path,
                     object_label=f"{household.code} {agreement}")
    return agreement


def signed_total(original: Agreement) -> Any:
    """What the signed agreement and its signed supplements add up to."""
    amounts = [original.amount, *original.supplements.filter(status=AgreementStatus.SIGNED).values_list(
        "amount", flat=True)]
    return round_fen(sum_money(amounts))


def agreement_supplement(*, actor: User, agreement: Agreement) -> Agreement:
    """A supplementary agreement for the difference between the signed amount and the
    household's current valuation (after re-pricing or a survey correction)."""
    original = _check_agreement(actor, agreement)
    if original.kind != AgreementKind.ORIGINAL or original.status != AgreementStatus.SIGNED:
        raise GateClosed("只有已签订的补偿协议才能签订补充协议", clause=CLAUSE_SUPPLEMENT)
    with transaction.atomic():
        household = Household.objects.select_for_update(of=("self",)).select_related(
            "project", "village", "bank_account_holder"
        ).get(pk=original.household_id)
        valuation = _current_valuation(household)
        delta = round_fen(valuation.total - signed_total(original))
        draft = Agreement.objects.select_for_update().filter(
            parent=original, status=AgreementStatus.DRAFT
        ).first()
        last_signed = original.supplements.filter(status=AgreementStatus.SIGNED).order_by("-serial").first()
        basis = last_signed.valuation_id if last_signed else original.valuation_id
        if delta == 0 and valuation.pk == basis:
            raise InvalidInput("现行估价与已签协议一致，无需补充协议。", field="agreement")
        signed_household = original.amount_household + sum_money(
            original.supplements.filter(status=AgreementStatus.SIGNED).values_list("amount_household", flat=True)
        )
        values = {
            "valuation": valuation, "amount": delta,
            "amount_household": round_fen(valuation.total_household - signed_household),
            "amount_collective": round_fen(delta - (valuation.total_household - signed_household)),
            "resettlement_choice": original.resettlement_choice, **_bank(household), "updated_at": clock.now(),
        }
        if draft is not None:
            before = audit.snapshot(draft, AGREEMENT_FIELDS)
            for field, value in values.items():
                setattr(draft, field, value)
            draft.save()
            supplement = draft
        else:
            before = None
            year = clock.today().year
            serial = _next_serial(household.project, year)
            supplement = Agreement.objects.create(
                project=household.project, household=household, kind=AgreementKind.SUPPLEMENTARY, parent=original,
                year=year, serial=serial, number=format_number(year, serial), queue_position=serial,
                created_by=actor, created_at=clock.now(), **values,
            )
        audit.record(actor=actor, action="agreement.supplement", obj=supplement, before=before,
                     after=audit.snapshot(supplement, AGREEMENT_FIELDS), jurisdiction_path=household.village.path,
                     reason=f"更正{original.number}", object_label=f"{household.code} {supplement}")
    return supplement


def agreement_update(
    *, actor: User, agreement: Agreement, resettlement_choice: str | None = None, queue_position: Any = None
) -> Agreement:
    """Change an unsigned agreement's resettlement choice or place in the signing queue."""
    agreement = _check_agreement(actor, agreement)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update(of=("self",)).select_related("household__village").get(
            pk=agreement.pk
        )
        _refuse_signed(agreement)
        before = audit.snapshot(agreement, AGREEMENT_FIELDS)
        if resettlement_choice is not None:
            agreement.resettlement_choice = choice(resettlement_choice, ResettlementChoice, "resettlement_choice",
                                                   "安置方式")
        if queue_position not in (None, ""):
            agreement.queue_position = integer(queue_position, "queue_position", "签约顺序", 0, 1_000_000)
        agreement.updated_at = clock.now()
        agreement.save()
        audit.record(actor=actor, action="agreement.update", obj=agreement, before=before,
                     after=audit.snapshot(agreement, AGREEMENT_FIELDS),
                     jurisdiction_path=agreement.household.village.path)
    return agreement


def payment_period(project: Project) -> tuple[PeriodRule, str]:
    """The payment clock started by signing: the project's pack deadline anchored on
    ``agreement_signed`` if it has one, else 3 months (yongzhou-linkage 五(一)4)."""
    policy = pack(project.policy_pack)
    for deadline in policy.deadlines:
        if deadline.anchor == "agreement_signed":
            return deadline.rule, deadline.citation.label
    return PeriodRule.of("months", 3), CLAUSE_PAYMENT


def agreement_sign(
    *,
    actor: User,
    agreement: Agreement,
    signed_on: date | str,
    signatories: str,
    scan: bytes,
    scan_name: str,
    scan_content_type: str = "application/pdf",
) -> Agreement:
    """Record the signing: date, signatories and the scanned signed copy (kept as evidence by
    SHA-256). Starts the payment clock (payment_due). Signing twice is refused."""
    agreement = _check_agreement(actor, agreement)
    _refuse_signed(agreement)
    signed = day(signed_on, "signed_on", "签订日期")
    names = text(signatories, "signatories", "签字人", 200, required=True)
    if not scan:
        raise InvalidInput("请上传签字后的协议扫描件。", field="scan")
    if scan_content_type not in SCAN_TYPES:
        raise InvalidInput("扫描件须为 PDF、JPEG、PNG 或 TIFF 文件。", field="scan")
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update(of=("self",)).select_related(
            "household__village", "household__project", "project", "valuation__standard"
        ).get(pk=agreement.pk)
        _refuse_signed(agreement)
        household = agreement.household
        require_confirmed(household)
        if agreement.valuation.standard.status != StandardStatus.APPROVED:
            raise GateClosed(f"协议{agreement.number}依据的补偿标准已被替代，请重新生成后再签", clause=CLAUSE_APPROVAL)
        current = Valuation.objects.filter(household=household, is_current=True).values_list("pk", flat=True).first()
        if current != agreement.valuation_id:
            raise GateClosed(f"协议{agreement.number}依据的估价已更新，请重新生成后再签", clause=CLAUSE_APPROVAL)
        if signed < agreement.created_at.astimezone(clock.LOCAL_ZONE).date():
            raise InvalidInput(f"签订日期不能早于协议生成日期（{agreement.created_at:%Y-%m-%d}）。", field="signed_on")
        if agreement.kind == AgreementKind.SUPPLEMENTARY and agreement.parent.status != AgreementStatus.SIGNED:
            raise GateClosed("原协议尚未签订，不能签订补充协议", clause=CLAUSE_SUPPLEMENT)
        rule, clause = payment_period(agreement.project)
        due = work_calendar().due(signed, rule)
        evidence = evidence_store(
            actor=actor, content=scan, original_name=scan_name, content_type=scan_content_type,
            note=f"{agreement.number} 签字件", jurisdiction_path=household.village.path,
        )
        before = audit.snapshot(agreement, AGREEMENT_FIELDS)
        agreement.status, agreement.signed_on, agreement.signatories = AgreementStatus.SIGNED, signed, names
        agreement.signed_copy, agreement.recorded_by = evidence, actor
        agreement.payment_due, agreement.payment_due_provisional = due.due, due.provisional
        agreement.payment_clause, agreement.updated_at = clause, clock.now()
        agreement.save()
        audit.record(actor=actor, action="agreement.sign", obj=agreement, before=before,
                     after=audit.snapshot(agreement, AGREEMENT_FIELDS), jurisdiction_path=household.village.path,
                     reason=f"足额支付期限 {due.due}{'（暂定）' if due.provisional else ''}，依据 {clause}",
                     object_label=f"{household.code} {agreement}")
    return agreement
