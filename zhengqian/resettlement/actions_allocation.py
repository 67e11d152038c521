"""Selection days and allocation (banan-2015 (三)(四)): the township publishes the order of
choosing (signing order, a lottery from a recorded seed, or priority groups), households choose
in that order on the selection day, and a unit is allocated at most once.

Concurrency: ``unit_allocate`` locks the ticket and the unit rows (``select_for_update``) and
the database refuses a second live allocation of a unit or of a household (partial unique
constraints), so two households choosing the same unit at the same moment get one allocation
and one refusal, with nothing else changed. Repeating the same request (a double click)
returns the allocation already made."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string

from zhengqian.compensation.actions.common import choice, day, text
from zhengqian.compensation.models import Agreement, AgreementKind, AgreementStatus
from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain import resettlement as rules
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.projects.models import Project

from . import facts, procedure_link
from .actions import area_rules, check_estate, check_project, in_scope, require_scheme
from .models import (
    Allocation,
    Estate,
    HouseholdOption,
    OrderRule,
    SelectionDay,
    SelectionTicket,
    TicketStatus,
    Unit,
    UnitStatus,
)

DAY_FIELDS = ["project", "estate", "on", "rule", "seed", "published_on"]
ALLOCATION_FIELDS = [
    "household",
    "unit",
    "allocated_on",
    "entitled_area",
    "unit_area",
    "balance",
    "cancelled",
    "cancel_reason",
    "certificate_due",
    "certificate_latest",
    "certificate_provisional",
]


def _signing_dates(household_ids: list[int]) -> dict[int, date]:
    return dict(
        Agreement.objects.filter(
            household_id__in=household_ids, kind=AgreementKind.ORIGINAL, status=AgreementStatus.SIGNED
        ).values_list("household_id", "signed_on")
    )


def selection_day_create(
    *, actor: User, project: Project, estate: Estate, on: Any, rule: Any, seed: Any = "", published_on: Any = None
) -> SelectionDay:
    """Publish a selection day and its order (banan-2015 (四) 由镇街负责安置房分配; banan-2015 (三)
    群众代表参与安置房分配). The households are those of the project in the actor's area that chose
    housing (in this estate or any) and have no unit yet.

    - ``signing``: by the date the compensation agreement was signed, unsigned households last;
    - ``lottery``: ranked by SHA-256(seed, household code); the seed (given, or drawn here) and
      the ranked list are kept as the public draw record, so anyone can recompute it;
    - ``priority``: by priority group (1 first), then by signing date."""
    require(actor, "resettlement.manage")
    check_project(actor, project)
    estate = check_estate(actor, estate)
    rule = choice(rule, OrderRule, "rule", "选房顺序规则")
    when = day(on, "on", "选房日期", not_future=False)
    published = day(published_on, "published_on", "顺序公布日期") if published_on not in (None, "") else clock.today()
    seed_text = text(seed, "seed", "抽签种子", 120)
    if rule == OrderRule.LOTTERY and not seed_text:
        seed_text = secrets.token_hex(16)
    assert when is not None and published is not None
    if when < published:
        raise InvalidInput("选房日期不能早于顺序公布日期。", field="on")
    options = list(
        HouseholdOption.objects.filter(project=project, form=rules.Form.HOUSING, household__status="registered")
        .filter(jurisdiction_path__startswith=actor.scope_path or "\x00")
        .filter(Q(estate__isnull=True) | Q(estate=estate))
        .exclude(household__allocations__cancelled=False)
        .select_related("household")
        .distinct()
    )
    if not options:
        raise GateClosed("没有选择安置房安置且尚未分房的户，不能安排选房", clause=rules.CLAUSE_ALLOCATION)
    codes = {option.household.code: option for option in options}
    signed = _signing_dates([option.household_id for option in options])
    far = date.max

    def signing_key(option: HouseholdOption) -> tuple[date, str]:
        return (signed.get(option.household_id, far), option.household.code)

    draw: dict[str, Any] = {"rule": rule, "households": sorted(codes)}
    if rule == OrderRule.LOTTERY:
        order = rules.lottery_order(codes, seed_text)
        draw.update(
            seed=seed_text, algorithm="按 SHA-256(种子 + U+001F + 户编号) 的十六进制值从小到大排序", order=order
        )
    elif rule == OrderRule.PRIORITY:
        order = rules.priority_order(
            [
                (code, option.priority_group, index)
                for index, (code, option) in enumerate(sorted(codes.items(), key=lambda item: signing_key(item[1])))
            ]
        )
        draw.update(order=order, groups={code: codes[code].priority_group for code in order})
    else:
        order = [option.household.code for option in sorted(options, key=signing_key)]
        draw.update(order=order, signed_on={code: str(signed.get(codes[code].household_id, "")) for code in order})
    with transaction.atomic():
        selection = SelectionDay.objects.create(
            project=project,
            estate=estate,
            on=when,
            rule=rule,
            seed=seed_text if rule == OrderRule.LOTTERY else "",
            draw_record=draw,
            published_on=published,
            jurisdiction_path=estate.jurisdiction.path,
            created_by=actor,
            created_at=clock.now(),
        )
        SelectionTicket.objects.bulk_create(
            [
                SelectionTicket(day=selection, household=codes[code].household, position=position)
                for position, code in enumerate(order, start=1)
            ]
        )
        audit.record(
            actor=actor,
            action="resettlement.selection_day.create",
            obj=selection,
            after={**audit.snapshot(selection, DAY_FIELDS), "draw": draw},
            jurisdiction_path=selection.jurisdiction_path,
        )
    return selection


def check_day(actor: User, selection: SelectionDay) -> SelectionDay:
    if not isinstance(selection, SelectionDay) or not in_scope(actor, selection.jurisdiction_path):
        raise InvalidInput("选房日不存在或不在您的辖区。", field="day")
    return selection


def ticket_skip(*, actor: User, ticket: SelectionTicket, reason: Any) -> SelectionTicket:
    """The household called is absent or declines today: it is passed over (recorded with the
    reason) and the next one chooses."""
    require(actor, "resettlement.manage")
    check_day(actor, ticket.day)
    why = text(reason, "reason", "理由", 200, required=True)
    with transaction.atomic():
        ticket = SelectionTicket.objects.select_for_update().select_related("day", "household").get(pk=ticket.pk)
        if ticket.status != TicketStatus.WAITING:
            raise InvalidInput(f"第{ticket.position}号已{ticket.get_status_display()}。", field="ticket")
        ticket.status = TicketStatus.SKIPPED
        ticket.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="resettlement.ticket.skip",
            obj=ticket,
            after={"status": ticket.status},
            reason=why,
            jurisdiction_path=ticket.day.jurisdiction_path,
            object_label=f"{ticket.household.code} 第{ticket.position}号",
        )
    return ticket


def next_ticket(selection: SelectionDay) -> SelectionTicket | None:
    return (
        selection.tickets.filter(status=TicketStatus.WAITING).select_related("household").order_by("position").first()
    )


def unit_allocate(*, actor: User, ticket: SelectionTicket, unit: Unit) -> Allocation:
    """Allocate ``unit`` to the household of ``ticket`` on its selection day: only the next
    household in the published order, only an available unit of the day's estate that fits the
    household's entitlement (banan-2015 (四)). The price lines (entitled area at the
    resettlement price, area above it at the higher price) and the property-certificate clock
    (3 months, at the latest 6) are fixed here."""
    require(actor, "resettlement.manage")
    check_day(actor, ticket.day)
    if not isinstance(unit, Unit):
        raise InvalidInput("请选择房屋。", field="unit")
    today = clock.today()
    from zhengqian.legal.selectors import work_calendar

    calendar = work_calendar()
    try:
        with transaction.atomic():
            ticket = (
                SelectionTicket.objects.select_for_update()
                .select_related("day__project", "household__village", "household__project")
                .get(pk=ticket.pk)
            )
            household, selection = ticket.household, ticket.day
            existing = Allocation.objects.filter(ticket=ticket, cancelled=False).first()
            if existing is not None:
                if existing.unit_id == unit.pk:
                    return existing  # the same request again
                raise InvalidInput(f"{household.code} 户已选定 {existing.unit}。", field="ticket")
            if ticket.status != TicketStatus.WAITING:
                raise InvalidInput(f"第{ticket.position}号已{ticket.get_status_display()}。", field="ticket")
            if selection.on != today:
                raise GateClosed(f"选房日为 {selection.on}，今天不能在该选房日选房", clause=rules.CLAUSE_ALLOCATION)
            earlier = selection.tickets.filter(position__lt=ticket.position, status=TicketStatus.WAITING).first()
            if earlier is not None:
                raise GateClosed(
                    f"须按公布的顺序选房：第{earlier.position}号尚未选房",
                    clause=rules.CLAUSE_ALLOCATION,
                    field="ticket",
                )
            unit = Unit.objects.select_for_update().select_related("estate__jurisdiction").get(pk=unit.pk)
            if unit.estate_id != selection.estate_id:
                raise InvalidInput(f"{unit} 不属于本次选房的小区。", field="unit")
            if unit.status != UnitStatus.AVAILABLE:
                raise GateClosed(
                    f"{unit.label} {unit.get_status_display()}，不能分配", clause=rules.CLAUSE_ALLOCATION, field="unit"
                )
            option = HouseholdOption.objects.filter(household=household).first()
            if option is None or option.form != rules.Form.HOUSING:
                raise GateClosed(f"{household.code} 户未选择安置房安置", clause=rules.CLAUSE_FORMS, field="ticket")
            area = area_rules(require_scheme(household.project))
            fits, why = rules.unit_fits(unit.area, option.entitled_area, area)
            if not fits:
                raise GateClosed(f"该房屋不符合本户安置面积：{why}", clause=rules.CLAUSE_FORMS, field="unit")
            if Allocation.objects.filter(household=household, cancelled=False).exists():
                raise InvalidInput(f"{household.code} 户已分配安置房。", field="ticket")
            settlement = rules.settle_unit(unit.area, option.entitled_area, area)
            clock_ = rules.certificate_clock(calendar, today, today)
            allocation = Allocation.objects.create(
                household=household,
                project=household.project,
                unit=unit,
                ticket=ticket,
                allocated_on=today,
                entitled_area=option.entitled_area,
                unit_area=unit.area,
                price_lines=[
                    {
                        "description": line.description,
                        "area": str(line.area),
                        "price": str(line.price),
                        "amount": str(line.amount),
                        "formula": line.formula,
                    }
                    for line in settlement.lines
                ],
                balance=settlement.balance,
                certificate_due=clock_.due,
                certificate_latest=clock_.latest,
                certificate_provisional=clock_.provisional,
                jurisdiction_path=household.village.path,
                created_by=actor,
                created_at=clock.now(),
                updated_at=clock.now(),
            )
            unit.status, unit.updated_at = UnitStatus.ALLOCATED, clock.now()
            unit.save(update_fields=["status", "updated_at"])
            ticket.status = TicketStatus.CHOSEN
            ticket.save(update_fields=["status"])
            facts.refresh(actor=actor, project=household.project)
            audit.record(
                actor=actor,
                action="resettlement.allocate",
                obj=allocation,
                after=audit.snapshot(allocation, ALLOCATION_FIELDS),
                jurisdiction_path=household.village.path,
                object_label=f"{household.code} → {unit}",
            )
            document = render_to_string("resettlement/confirmation_doc.html", {"allocation": allocation})
            allocation.procedure_note = procedure_link.step_done(
                actor=actor,
                household=household,
                code="housing_allocated",
                done_on=today,
                document=document.encode(),
                name=f"选房确认书-{household.code}.html",
                note=f"选房确认：{unit}",
            )
    except IntegrityError:
        raise GateClosed(
            "该房屋刚被分配给其他户（或本户已分房），请重新选择", clause=rules.CLAUSE_ALLOCATION, field="unit"
        ) from None
    return allocation


def allocation_cancel(*, actor: User, allocation: Allocation, reason: Any) -> Allocation:
    """Cancel an allocation before handover (the unit becomes available again, the household's
    ticket waits again); a handed-over unit is not taken back here."""
    require(actor, "resettlement.manage")
    if not in_scope(actor, allocation.jurisdiction_path):
        raise InvalidInput("该分房记录不在您的辖区。", field="allocation")
    why = text(reason, "reason", "撤销理由", 200, required=True)
    with transaction.atomic():
        allocation = Allocation.objects.select_for_update().select_related("unit").get(pk=allocation.pk)
        if allocation.cancelled:
            raise InvalidInput("该分房已撤销。", field="allocation")
        if allocation.handed_over_on is not None:
            raise GateClosed("已交房，不能撤销分房", clause=rules.CLAUSE_ALLOCATION)
        before = audit.snapshot(allocation, ALLOCATION_FIELDS)
        allocation.cancelled, allocation.cancel_reason, allocation.updated_at = True, why, clock.now()
        allocation.save()
        Unit.objects.filter(pk=allocation.unit_id).update(status=UnitStatus.AVAILABLE, updated_at=clock.now())
        if allocation.ticket_id:
            SelectionTicket.objects.filter(pk=allocation.ticket_id).update(status=TicketStatus.WAITING)
        facts.refresh(actor=actor, project=allocation.project)
        audit.record(
            actor=actor,
            action="resettlement.allocation.cancel",
            obj=allocation,
            before=before,
            after=audit.snapshot(allocation, ALLOCATION_FIELDS),
            reason=why,
            jurisdiction_path=allocation.jurisdiction_path,
        )
    return allocation


def fitting_units(selection: SelectionDay, option: HouseholdOption | None) -> list[Unit]:
    """Available units of the day's estate that fit the household's entitlement, the closest
    in area first."""
    units = Unit.objects.filter(estate=selection.estate, status=UnitStatus.AVAILABLE).select_related("estate")
    if option is None or option.form != rules.Form.HOUSING:
        return []
    scheme = require_scheme(selection.project)
    limit = option.entitled_area + scheme.max_over_m2
    found = list(units.filter(area__lte=limit))
    found.sort(key=lambda unit: (abs(unit.area - option.entitled_area), unit.building_no, unit.floor, unit.number))
    return found
