"""Handover of the unit, the months of transition and the property certificate
(banan-2015 (四), banan-2015 (五) 住房安置费/过渡费 by the compensation standard)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from zhengqian.compensation.actions.common import day, text
from zhengqian.compensation.models import CompensationStandard, StandardStatus
from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain import resettlement as rules
from zhengqian.domain.errors import DomainError, GateClosed, InvalidInput
from zhengqian.domain.money import round_fen
from zhengqian.households.models import Building, BuildingUse, Legality

from . import procedure_link
from .actions import in_scope
from .actions_allocation import ALLOCATION_FIELDS
from .models import Allocation, Unit, UnitStatus

HANDOVER_FIELDS = [
    *ALLOCATION_FIELDS,
    "handed_over_on",
    "vacated_on",
    "transition_months",
    "transition_amount",
    "certificate_no",
    "certificate_on",
]


def _check(actor: User, allocation: Allocation) -> None:
    require(actor, "resettlement.manage")
    if not isinstance(allocation, Allocation) or not in_scope(actor, allocation.jurisdiction_path):
        raise InvalidInput("该分房记录不在您的辖区。", field="allocation")
    if allocation.cancelled:
        raise InvalidInput("该分房已撤销。", field="allocation")


def transition_price(allocation: Allocation, months: int) -> tuple[Decimal | None, str]:
    """Price ``months`` of transition by the project's approved standard (rate ``transition``,
    per household per month or per m² of permitted dwelling per month); None when the standard
    has no such rate."""
    standard = CompensationStandard.objects.filter(
        project_id=allocation.project_id, status=StandardStatus.APPROVED
    ).first()
    rate = standard.rates.filter(item="transition").first() if standard else None
    if rate is None:
        return None, "现行补偿标准没有过渡费单价"
    if rate.unit == "month":
        return round_fen(rate.amount * months), f"{months} 个月 × {rate.amount.normalize()} 元/月（{rate.clause}）"
    area = sum(
        (
            b.floor_area
            for b in Building.objects.filter(household_id=allocation.household_id, use=BuildingUse.RESIDENTIAL).exclude(
                legality=Legality.NEW_UNLAWFUL
            )
        ),
        Decimal(0),
    )
    return round_fen(
        rate.amount * area * months
    ), f"{area}㎡ × {months} 个月 × {rate.amount.normalize()} 元/㎡·月（{rate.clause}）"


def allocation_handover(
    *, actor: User, allocation: Allocation, handed_over_on: Any, vacated_on: Any = None
) -> Allocation:
    """Record the handover of the unit; with the date the original house was vacated, the months
    of transition (a started month counts whole) are priced by the compensation standard and the
    household is re-priced with them, so the agreement and payments follow. Completes the
    household's ``resettled`` step when the pack has one."""
    _check(actor, allocation)
    handed = day(handed_over_on, "handed_over_on", "交房日期")
    vacated = day(vacated_on, "vacated_on", "原房腾空日期", required=False)
    assert handed is not None
    with transaction.atomic():
        allocation = (
            Allocation.objects.select_for_update()
            .select_related("unit__estate", "household__project", "household__village")
            .get(pk=allocation.pk)
        )
        if allocation.handed_over_on is not None:
            raise InvalidInput(f"已于 {allocation.handed_over_on} 交房。", field="handed_over_on")
        if handed < allocation.allocated_on:
            raise InvalidInput("交房日期不能早于分房日期。", field="handed_over_on")
        before = audit.snapshot(allocation, HANDOVER_FIELDS)
        allocation.handed_over_on, allocation.vacated_on = handed, vacated
        if vacated is not None:
            months = rules.transition_months(vacated, handed)
            allocation.transition_months = months
            allocation.transition_amount, _ = transition_price(allocation, months)
        allocation.updated_at = clock.now()
        allocation.save()
        Unit.objects.filter(pk=allocation.unit_id).update(status=UnitStatus.HANDED_OVER, updated_at=clock.now())
        audit.record(
            actor=actor,
            action="resettlement.handover",
            obj=allocation,
            before=before,
            after=audit.snapshot(allocation, HANDOVER_FIELDS),
            jurisdiction_path=allocation.jurisdiction_path,
        )
        notes = []
        if allocation.transition_months is not None:
            notes.append(_reprice(actor, allocation))
        notes.append(
            procedure_link.step_done(
                actor=actor,
                household=allocation.household,
                code="resettled",
                done_on=handed,
                document=f"交房记录：{allocation.household} {allocation.unit} {handed}".encode(),
                name=f"交房记录-{allocation.household.code}.txt",
                note=f"交房：{allocation.unit}",
            )
        )
        allocation.procedure_note = "；".join(note for note in notes if note)
    return allocation


def _reprice(actor: User, allocation: Allocation) -> str:
    """Feed the months of transition into the household's valuation (the compensation app's
    transition line); "" when done, else why not (the handover stands)."""
    from zhengqian.compensation.actions import valuation_run

    try:
        with transaction.atomic():
            valuation_run(actor=actor, household=allocation.household, transition_months=allocation.transition_months)
    except (DomainError, PermissionError) as error:
        return f"过渡期未计入估价：{error}"
    except Exception as error:
        return f"过渡期未计入估价：{error}"
    return ""


def certificate_record(*, actor: User, allocation: Allocation, certificate_no: Any, certificate_on: Any) -> Allocation:
    """Record the property certificate (banan-2015 (四) 分房后三个月内最迟不超过六个月完成权证办理);
    completes the household's ``property_certificate`` step, which stops the clock on the board."""
    _check(actor, allocation)
    number = text(certificate_no, "certificate_no", "房屋权证号", 60, required=True)
    issued = day(certificate_on, "certificate_on", "发证日期")
    assert issued is not None
    with transaction.atomic():
        allocation = (
            Allocation.objects.select_for_update().select_related("household__project", "unit").get(pk=allocation.pk)
        )
        if allocation.certificate_on is not None:
            raise InvalidInput(
                f"已于 {allocation.certificate_on} 登记权证 {allocation.certificate_no}。", field="certificate_no"
            )
        if issued < allocation.allocated_on:
            raise GateClosed("发证日期不能早于分房日期", clause=rules.CLAUSE_CERTIFICATE, field="certificate_on")
        if Allocation.objects.filter(certificate_no=number).exclude(pk=allocation.pk).exists():
            raise InvalidInput(f"权证号 {number} 已登记给其他房屋。", field="certificate_no")
        before = audit.snapshot(allocation, HANDOVER_FIELDS)
        allocation.certificate_no, allocation.certificate_on, allocation.updated_at = number, issued, clock.now()
        allocation.save()
        audit.record(
            actor=actor,
            action="resettlement.certificate",
            obj=allocation,
            before=before,
            after=audit.snapshot(allocation, HANDOVER_FIELDS),
            jurisdiction_path=allocation.jurisdiction_path,
        )
        allocation.procedure_note = procedure_link.step_done(
            actor=actor,
            household=allocation.household,
            code="property_certificate",
            done_on=issued,
            document=f"房屋权证：{number}（{issued}）{allocation.unit}".encode(),
            name=f"房屋权证-{allocation.household.code}.txt",
            note=f"权证号 {number}",
        )
    return allocation
