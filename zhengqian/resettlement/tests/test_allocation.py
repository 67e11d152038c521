"""Selection days, fair order, allocation, handover, certificates and transition (banan-2015 (四))."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.domain import resettlement as rules
from zhengqian.domain.errors import GateClosed, InvalidInput

from .. import actions_allocation, actions_handover
from ..models import Allocation, SelectionTicket, TicketStatus, Unit, UnitStatus
from .factories import estate, family, housing_choice, scheme

TODAY = date(2026, 3, 2)


@pytest.fixture
def day_of_three(frozen_clock, office_user, project_a, township_a):
    """Three households of 3, 2 and 3 persons (90, 60, 90 m²) and an estate of 88, 62, 95, 120 m²."""
    scheme(office_user, project_a)
    pool = estate(office_user, township_a, areas=("88.00", "62.00", "95.00", "120.00"))
    households = [
        family(office_user, project_a, township_a, code, persons=n) for code, n in (("S-1", 3), ("S-2", 2), ("S-3", 3))
    ]
    for household in households:
        housing_choice(office_user, household, TODAY)
    day = actions_allocation.selection_day_create(
        actor=office_user, project=project_a, estate=pool, on=TODAY, rule="lottery", seed="公证处 2026-03-02 第7391号"
    )
    return {
        "actor": office_user,
        "estate": pool,
        "households": households,
        "day": day,
        "units": {u.area: u for u in Unit.objects.filter(estate=pool)},
    }


def test_lottery_order_is_the_published_draw(day_of_three):
    day = day_of_three["day"]
    expected = rules.lottery_order(["S-1", "S-2", "S-3"], "公证处 2026-03-02 第7391号")
    assert day.draw_record["order"] == expected
    assert [t.household.code for t in day.tickets.order_by("position")] == expected
    assert day.draw_record["seed"] == day.seed == "公证处 2026-03-02 第7391号"


def test_signing_order(frozen_clock, office_user, project_a, township_a):
    scheme(office_user, project_a)
    pool = estate(office_user, township_a, areas=("90",))
    for code in ("T-2", "T-1"):
        housing_choice(office_user, family(office_user, project_a, township_a, code), TODAY)
    day = actions_allocation.selection_day_create(
        actor=office_user, project=project_a, estate=pool, on=TODAY, rule="signing"
    )
    assert day.draw_record["order"] == ["T-1", "T-2"]  # neither signed: by household code


def _next(day):
    return actions_allocation.next_ticket(day)


def test_allocation_in_order_fits_and_never_twice(day_of_three):
    actor, day, units = day_of_three["actor"], day_of_three["day"], day_of_three["units"]
    first, second = list(day.tickets.order_by("position"))[:2]
    with pytest.raises(GateClosed) as out_of_turn:
        actions_allocation.unit_allocate(actor=actor, ticket=second, unit=units[Decimal("62.00")])
    assert "顺序" in str(out_of_turn.value)
    entitled = first.household.resettlement_option.entitled_area
    with pytest.raises(GateClosed) as too_big:
        actions_allocation.unit_allocate(actor=actor, ticket=first, unit=units[Decimal("120.00")])
    assert too_big.value.field == "unit"
    allocation = actions_allocation.unit_allocate(actor=actor, ticket=first, unit=units[Decimal("95.00")])
    assert allocation.entitled_area == entitled
    assert Unit.objects.get(pk=allocation.unit_id).status == UnitStatus.ALLOCATED
    again = actions_allocation.unit_allocate(actor=actor, ticket=first, unit=units[Decimal("95.00")])
    assert again.pk == allocation.pk  # a double click
    events = AuditEvent.objects.count()
    with pytest.raises(GateClosed):
        actions_allocation.unit_allocate(actor=actor, ticket=_next(day), unit=units[Decimal("95.00")])
    assert AuditEvent.objects.count() == events
    assert Allocation.objects.filter(unit=units[Decimal("95.00")]).count() == 1


def test_price_lines_of_the_allocation(day_of_three):
    actor, day, units = day_of_three["actor"], day_of_three["day"], day_of_three["units"]
    ticket = _next(day)
    option = ticket.household.resettlement_option
    unit = units[Decimal("95.00")] if option.entitled_area == Decimal("90.00") else units[Decimal("62.00")]
    allocation = actions_allocation.unit_allocate(actor=actor, ticket=ticket, unit=unit)
    if option.entitled_area == Decimal("90.00"):  # 90 × 800 + 5 × 4500
        assert allocation.balance == Decimal("94500.00")
    else:  # 60 × 800 + 2 × 4500
        assert allocation.balance == Decimal("57000.00")


def test_skip_and_cancel(day_of_three):
    actor, day, units = day_of_three["actor"], day_of_three["day"], day_of_three["units"]
    first = _next(day)
    actions_allocation.ticket_skip(actor=actor, ticket=first, reason="未到场")
    second = _next(day)
    assert second.pk != first.pk
    unit = (
        units[Decimal("62.00")] if second.household.resettlement_option.entitled_area == 60 else units[Decimal("88.00")]
    )
    allocation = actions_allocation.unit_allocate(actor=actor, ticket=second, unit=unit)
    actions_allocation.allocation_cancel(actor=actor, allocation=allocation, reason="录入错误")
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.AVAILABLE
    assert SelectionTicket.objects.get(pk=second.pk).status == TicketStatus.WAITING


def test_not_on_another_day(day_of_three):
    actor, day, units = day_of_three["actor"], day_of_three["day"], day_of_three["units"]
    with clock.frozen("2026-03-03T09:00:00"), pytest.raises(GateClosed):
        actions_allocation.unit_allocate(actor=actor, ticket=_next(day), unit=units[Decimal("88.00")])


def test_handover_certificate_and_transition(frozen_clock, office_user, make_user, district, project_a, township_a):
    """Transition from vacating on 2025-09-10 to handover on 2026-03-02: 6 months (a started
    month counts), 6 × 800 = 4 800 yuan by the standard; the valuation is re-priced with it."""
    from zhengqian.compensation.models import Valuation
    from zhengqian.compensation.tests.factories import approved_standard, priced_household

    scheme(office_user, project_a, require_contract=False)
    approved_standard(office_user, make_user("leader_t", "leadership_office", district), project_a, months=2)
    household = priced_household(office_user, project_a, township_a, "H-T")
    housing_choice(office_user, household, TODAY)
    pool = estate(office_user, township_a, areas=("90.00",))
    day = actions_allocation.selection_day_create(
        actor=office_user, project=project_a, estate=pool, on=TODAY, rule="priority"
    )
    allocation = actions_allocation.unit_allocate(actor=office_user, ticket=_next(day), unit=pool.units.get())
    assert (allocation.certificate_due, allocation.certificate_latest) == (date(2026, 6, 2), date(2026, 9, 2))
    with pytest.raises(InvalidInput):
        actions_handover.allocation_handover(actor=office_user, allocation=allocation, handed_over_on="2026-03-01")
    handed = actions_handover.allocation_handover(
        actor=office_user, allocation=allocation, handed_over_on=TODAY, vacated_on="2025-09-10"
    )
    assert (handed.transition_months, handed.transition_amount) == (6, Decimal("4800.00"))
    current = Valuation.objects.get(household=household, is_current=True)
    assert current.transition_months == 6
    assert current.lines.get(item="transition").amount == Decimal("4800.00")
    done = actions_handover.certificate_record(
        actor=office_user, allocation=allocation, certificate_no="渝(2026)巴南区不动产权第0001号", certificate_on=TODAY
    )
    assert done.certificate_on == TODAY
    with pytest.raises(InvalidInput):
        actions_handover.certificate_record(
            actor=office_user, allocation=allocation, certificate_no="X", certificate_on=TODAY
        )


def test_certificate_clock_on_the_procedure_board(frozen_clock, office_user, project_b, township_b):
    """In a banan-2015 project the allocation completes ``housing_allocated``, so the
    ``property_certificate`` step is due three months later on the overdue board."""
    from zhengqian.procedure.models import ProcedureStep, StepStatus

    scheme(office_user, project_b)
    household = family(office_user, project_b, township_b, "B-1")
    housing_choice(office_user, household, TODAY)
    pool = estate(office_user, township_b, areas=("90.00",))
    day = actions_allocation.selection_day_create(
        actor=office_user, project=project_b, estate=pool, on=TODAY, rule="signing"
    )
    allocation = actions_allocation.unit_allocate(actor=office_user, ticket=_next(day), unit=pool.units.get())
    assert getattr(allocation, "procedure_note", "") == ""
    step = ProcedureStep.objects.get(household=household, code="housing_allocated")
    assert step.status == StepStatus.DONE and step.done_on == TODAY
    certificate = ProcedureStep.objects.get(household=household, code="property_certificate")
    assert certificate.due_on == allocation.certificate_due == date(2026, 6, 2)
    actions_handover.certificate_record(
        actor=office_user, allocation=allocation, certificate_no="C-1", certificate_on=TODAY
    )
    certificate.refresh_from_db()
    assert certificate.status == StepStatus.DONE


# --------------------------------------------------------------------------- concurrency


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_households_one_unit_at_the_same_moment(office_user, project_a, township_a):
    """Two selection days (one household each) pick the same unit in two threads: one
    allocation, one refusal, the unit allocated once."""
    with clock.frozen("2026-03-02T09:30:00"):
        scheme(office_user, project_a)
        pool = estate(office_user, township_a, areas=("90.00",))
        tickets = []
        for code in ("C-1", "C-2"):
            housing_choice(office_user, family(office_user, project_a, township_a, code), TODAY)
            day = actions_allocation.selection_day_create(
                actor=office_user, project=project_a, estate=pool, on=TODAY, rule="signing"
            )
            for other in day.tickets.exclude(household__code=code):  # only this household chooses on this day
                actions_allocation.ticket_skip(actor=office_user, ticket=other, reason="另日选房")
            tickets.append(day.tickets.get(household__code=code))
    unit = pool.units.get()
    barrier = threading.Barrier(2)
    results: list[object] = []

    def choose(ticket):
        try:
            with clock.frozen("2026-03-02T09:30:00"):
                barrier.wait()
                results.append(actions_allocation.unit_allocate(actor=office_user, ticket=ticket, unit=unit))
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=choose, args=(t,)) for t in tickets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    allocations = [r for r in results if isinstance(r, Allocation)]
    refusals = [r for r in results if isinstance(r, GateClosed)]
    assert len(allocations) == 1 and len(refusals) == 1, results
    assert Allocation.objects.filter(unit=unit, cancelled=False).count() == 1
    assert SelectionTicket.objects.filter(status=TicketStatus.CHOSEN).count() == 1
