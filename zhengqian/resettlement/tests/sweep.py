"""Scope-sweep entries for every object URL of the resettlement app (used by
zhengqian/core/tests/test_scope_sweep.py)."""

from __future__ import annotations

from typing import Any

from zhengqian.core import clock
from zhengqian.core.models import User
from zhengqian.households.tests.factories import village_of

from .. import actions, actions_allocation, actions_social
from ..models import PersonDecision, Unit


def _pk(name: str) -> Any:
    return lambda o: {"pk": o[name].pk}


def _project(o: dict[str, Any]) -> dict[str, Any]:
    return {"project_id": o["project"].pk}


RESETTLEMENT_URLS: dict[str, Any] = {
    "resettlement:project": _project,
    "resettlement:scheme_set": _project,
    "resettlement:person_list_publish": _project,
    "resettlement:day_create": _project,
    "resettlement:enrolment_lists": _project,
    "resettlement:enrolment_create": _project,
    "resettlement:person_list": _pk("rs_person_list"),
    "resettlement:household": _pk("rs_household"),
    "resettlement:persons_determine": _pk("rs_household"),
    "resettlement:option_choose": _pk("rs_household"),
    "resettlement:objection_file": _pk("rs_decision"),
    "resettlement:objection_resolve": _pk("rs_objection"),
    "resettlement:estate": _pk("rs_estate"),
    "resettlement:estate_record": _pk("rs_estate"),
    "resettlement:unit_create": _pk("rs_estate"),
    "resettlement:unit_import": _pk("rs_estate"),
    "resettlement:unit_status": _pk("rs_unit"),
    "resettlement:day": _pk("rs_day"),
    "resettlement:draw_record": _pk("rs_day"),
    "resettlement:allocate": _pk("rs_day"),
    "resettlement:ticket_skip": _pk("rs_ticket"),
    "resettlement:allocation": _pk("rs_allocation"),
    "resettlement:confirmation": _pk("rs_allocation"),
    "resettlement:handover": _pk("rs_allocation"),
    "resettlement:certificate": _pk("rs_allocation"),
    "resettlement:allocation_cancel": _pk("rs_allocation"),
    "resettlement:enrolment_detail": _pk("rs_enrolment"),
    "resettlement:enrolment_review": _pk("rs_enrolment"),
    "resettlement:enrolment_publish": _pk("rs_enrolment"),
    "resettlement:enrolment_export": _pk("rs_enrolment"),
    "api-1:resettlement_household_detail": lambda o: {"household_id": o["rs_household"].pk},
    "api-1:resettlement_persons_determine": lambda o: {"household_id": o["rs_household"].pk},
    "api-1:resettlement_option_choose": lambda o: {"household_id": o["rs_household"].pk},
    "api-1:resettlement_unit_list": lambda o: {"estate_id": o["rs_estate"].pk},
    "api-1:resettlement_unit_create": lambda o: {"estate_id": o["rs_estate"].pk},
    "api-1:resettlement_unit_import": lambda o: {"estate_id": o["rs_estate"].pk},
    "api-1:resettlement_day_create": _project,
    "api-1:resettlement_day_detail": lambda o: {"day_id": o["rs_day"].pk},
    "api-1:resettlement_allocate": lambda o: {"day_id": o["rs_day"].pk},
    "api-1:resettlement_allocation_detail": lambda o: {"allocation_id": o["rs_allocation"].pk},
    "api-1:resettlement_handover": lambda o: {"allocation_id": o["rs_allocation"].pk},
    "api-1:resettlement_certificate": lambda o: {"allocation_id": o["rs_allocation"].pk},
}


def _unit(o: dict[str, Any]) -> dict[str, Any]:
    return {"building_no": "9", "number": "901", "floor": 9, "area": "80"}


# Routes on one path share its methods, so both names of /estates/{id}/units get the body.
RESETTLEMENT_BODIES: dict[str, Any] = {
    "api-1:resettlement_unit_list": _unit,
    "api-1:resettlement_option_choose": lambda o: {
        "form": "cash",
        "chosen_on": clock.today().isoformat(),
        "signed_by_name": "x",
    },
    "api-1:resettlement_unit_create": _unit,
    "api-1:resettlement_day_create": lambda o: {
        "estate_id": o["rs_estate"].pk,
        "on": clock.today().isoformat(),
        "rule": "signing",
    },
    "api-1:resettlement_allocate": lambda o: {"ticket_id": o["rs_ticket"].pk, "unit_id": o["rs_unit"].pk},
    "api-1:resettlement_handover": lambda o: {"handed_over_on": clock.today().isoformat()},
    "api-1:resettlement_certificate": lambda o: {"certificate_no": "x", "certificate_on": clock.today().isoformat()},
}


def resettlement_objects(*, project: Any, township: Any) -> dict[str, Any]:
    """A scheme, an estate with two units, two households choosing housing, a selection day with
    one allocation, a published person list with an objection, an enrolment list — township A."""
    from .factories import estate, family, housing_choice, scheme

    office = User.objects.create_user(
        username="sweep_rs_office", password="Passw0rd!2026", role="expropriation_office", jurisdiction=project.district
    )
    today = clock.today()
    scheme(office, project)
    pool = estate(office, township, code="SWEEP-E", areas=("90.00", "88.00"))
    first = family(office, project, township, "SWEEP-R1")
    second = family(office, project, township, "SWEEP-R2")
    for household in (first, second):
        housing_choice(office, household, today)
    day = actions_allocation.selection_day_create(actor=office, project=project, estate=pool, on=today, rule="signing")
    tickets = list(day.tickets.order_by("position"))
    allocation = actions_allocation.unit_allocate(
        actor=office, ticket=tickets[0], unit=Unit.objects.get(estate=pool, area="90.00")
    )
    village = village_of(township)
    person_list = actions.person_list_publish(actor=office, project=project, village=village, published_on=today)
    decision = PersonDecision.objects.filter(household=first).first()
    objection = actions.person_objection_file(
        actor=office, decision=decision, filed_on=today, filed_by_name="x", content="x"
    )
    enrolment = actions_social.enrolment_list_create(
        actor=office,
        project=project,
        village=village,
        contribution="100",
        share_government="60",
        share_collective="30",
        share_person="10",
    )
    return {
        "rs_household": second,
        "rs_decision": decision,
        "rs_objection": objection,
        "rs_estate": pool,
        "rs_unit": Unit.objects.get(estate=pool, area="88.00"),
        "rs_day": day,
        "rs_ticket": tickets[1],
        "rs_allocation": allocation,
        "rs_person_list": person_list,
        "rs_enrolment": enrolment,
    }
