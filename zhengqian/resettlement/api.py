"""API of resettlement: resettled persons, household choices, the housing pool, selection days
and allocation, handover and certificates. Same selectors (scoped; 404 outside the user's
subtree) and actions as the staff pages; refusals are 400 JSON with the clause and field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile

from zhengqian.core.selectors import jurisdiction_get
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.selectors import project_get

from . import actions, actions_allocation, actions_handover, actions_housing, selectors

router = Router(tags=["安置"])


class DecisionOut(Schema):
    id: int
    member_id: int
    name: str
    counts: bool
    reason: str
    clause: str
    age_band: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.member.name)


class OptionOut(Schema):
    form: str
    persons: int
    entitled_area: Decimal
    estate_id: int | None
    priority_group: int
    chosen_on: date
    signed_by_name: str
    clause: str


class OptionIn(Schema):
    form: str
    chosen_on: str
    signed_by_name: str
    estate_id: int | None = None
    priority_group: int = 9
    note: str = ""


class AllocationOut(Schema):
    id: int
    household_id: int
    unit_id: int
    unit: str
    allocated_on: date
    entitled_area: Decimal
    unit_area: Decimal
    price_lines: list[dict[str, Any]]
    balance: Decimal
    handed_over_on: date | None
    transition_months: int | None
    transition_amount: Decimal | None
    certificate_due: date
    certificate_latest: date
    certificate_provisional: bool
    certificate_no: str
    certificate_on: date | None

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit)


class HouseholdOut(Schema):
    id: int
    code: str
    head_name: str
    persons: list[DecisionOut]
    option: OptionOut | None
    allocation: AllocationOut | None
    resettlement_in_place: bool
    resettlement_in_place_reason: str


class EstateIn(Schema):
    code: str
    name: str
    jurisdiction_id: int
    owner_name: str
    address: str = ""
    planned_completion: str | None = None


class EstateOut(Schema):
    id: int
    code: str
    name: str
    jurisdiction_id: int
    owner_name: str
    address: str
    planned_completion: date | None
    accepted_on: date | None


class UnitIn(Schema):
    building_no: str
    number: str
    floor: int
    area: str
    layout: str = ""
    orientation: str = ""


class UnitOut(Schema):
    id: int
    estate_id: int
    building_no: str
    number: str
    floor: int
    area: Decimal
    layout: str
    orientation: str
    status: str


class ImportOut(Schema):
    imported: int


class DayIn(Schema):
    estate_id: int
    on: str
    rule: str
    seed: str = ""


class TicketOut(Schema):
    id: int
    position: int
    household_id: int
    household_code: str
    status: str

    @staticmethod
    def resolve_household_code(obj: Any) -> str:
        return str(obj.household.code)


class DayOut(Schema):
    id: int
    project_id: int
    estate_id: int
    on: date
    rule: str
    seed: str
    draw_record: dict[str, Any]
    tickets: list[TicketOut]

    @staticmethod
    def resolve_tickets(obj: Any) -> list[Any]:
        return list(obj.tickets.select_related("household").order_by("position"))


class AllocateIn(Schema):
    ticket_id: int
    unit_id: int


class HandoverIn(Schema):
    handed_over_on: str
    vacated_on: str | None = None


class CertificateIn(Schema):
    certificate_no: str
    certificate_on: str


class ClockOut(Schema):
    allocation_id: int
    household_code: str
    unit: str
    allocated_on: date
    due: date
    latest: date
    provisional: bool
    state: str
    days_left: int


def _household_out(household: Any) -> dict[str, Any]:
    in_place, reason = actions.resettlement_in_place(household)
    return {
        "id": household.pk,
        "code": household.code,
        "head_name": household.head_name,
        "persons": list(selectors.decisions_of(household)),
        "option": selectors.option_of(household),
        "allocation": household.allocations.filter(cancelled=False).select_related("unit__estate").first(),
        "resettlement_in_place": in_place,
        "resettlement_in_place_reason": reason,
    }


@router.get("/households/{int:household_id}", response=HouseholdOut, summary="户的安置人口、安置方式与分房")
def resettlement_household_detail(request: HttpRequest, household_id: int) -> Any:
    return _household_out(selectors.household_get(user=request.user, pk=household_id))


@router.post("/households/{int:household_id}/persons", response=list[DecisionOut], summary="核定安置人口")
def resettlement_persons_determine(request: HttpRequest, household_id: int) -> Any:
    household = selectors.household_get(user=request.user, pk=household_id)
    return actions.persons_determine(actor=request.user, household=household)


@router.post("/households/{int:household_id}/option", response=OptionOut, summary="记录安置方式选择")
def resettlement_option_choose(request: HttpRequest, household_id: int, payload: OptionIn) -> Any:
    household = selectors.household_get(user=request.user, pk=household_id)
    data = payload.dict()
    estate_id = data.pop("estate_id")
    estate = selectors.estate_get(user=request.user, pk=estate_id) if estate_id else None
    return actions.option_choose(actor=request.user, household=household, estate=estate, **data)


@router.get("/estates", response=list[EstateOut], summary="安置房小区")
def resettlement_estate_list(request: HttpRequest) -> Any:
    return list(selectors.estates_for(user=request.user))


@router.post("/estates", response={201: EstateOut}, summary="登记安置房小区")
def resettlement_estate_create(request: HttpRequest, payload: EstateIn) -> Status:
    data = payload.dict()
    data["jurisdiction"] = jurisdiction_get(user=request.user, pk=data.pop("jurisdiction_id"))
    return Status(201, actions_housing.estate_create(actor=request.user, **data))


@router.get("/estates/{int:estate_id}/units", response=list[UnitOut], summary="小区房源")
def resettlement_unit_list(request: HttpRequest, estate_id: int, status: str = "") -> Any:
    return list(selectors.units_of(selectors.estate_get(user=request.user, pk=estate_id), status))


@router.post("/estates/{int:estate_id}/units", response={201: UnitOut}, summary="登记一套房屋")
def resettlement_unit_create(request: HttpRequest, estate_id: int, payload: UnitIn) -> Status:
    estate = selectors.estate_get(user=request.user, pk=estate_id)
    return Status(201, actions_housing.unit_create(actor=request.user, estate=estate, **payload.dict()))


@router.post(
    "/estates/{int:estate_id}/units/import", response={201: ImportOut}, summary="从 Excel 导入房源（全部或全不）"
)
def resettlement_unit_import(request: HttpRequest, estate_id: int, file: File[UploadedFile] = None) -> Status:  # type: ignore[assignment]
    estate = selectors.estate_get(user=request.user, pk=estate_id)
    if file is None:
        raise InvalidInput("请上传 .xlsx 文件。", field="file")
    try:
        units = actions_housing.units_import(actor=request.user, estate=estate, content=file.read())
    except actions_housing.ImportRefused as refused:
        raise InvalidInput(f"{refused}；" + "；".join(refused.problems[:50]), field="file") from None
    return Status(201, {"imported": len(units)})


@router.post("/projects/{int:project_id}/selection-days", response={201: DayOut}, summary="安排选房日并公布顺序")
def resettlement_day_create(request: HttpRequest, project_id: int, payload: DayIn) -> Status:
    project = project_get(user=request.user, pk=project_id)
    data = payload.dict()
    estate = selectors.estate_get(user=request.user, pk=data.pop("estate_id"))
    day = actions_allocation.selection_day_create(actor=request.user, project=project, estate=estate, **data)
    return Status(201, day)


@router.get("/selection-days/{int:day_id}", response=DayOut, summary="选房日：顺序与抽签记录")
def resettlement_day_detail(request: HttpRequest, day_id: int) -> Any:
    return selectors.selection_day_get(user=request.user, pk=day_id)


@router.post("/selection-days/{int:day_id}/allocations", response={201: AllocationOut}, summary="选定房屋（分房）")
def resettlement_allocate(request: HttpRequest, day_id: int, payload: AllocateIn) -> Status:
    day = selectors.selection_day_get(user=request.user, pk=day_id)
    ticket = selectors.ticket_get(user=request.user, pk=payload.ticket_id)
    if ticket.day_id != day.pk:
        raise InvalidInput("该户不在本选房日的顺序中。", field="ticket_id")
    unit = selectors.unit_get(user=request.user, pk=payload.unit_id)
    return Status(201, actions_allocation.unit_allocate(actor=request.user, ticket=ticket, unit=unit))


@router.get("/allocations/{int:allocation_id}", response=AllocationOut, summary="分房记录")
def resettlement_allocation_detail(request: HttpRequest, allocation_id: int) -> Any:
    return selectors.allocation_get(user=request.user, pk=allocation_id)


@router.post("/allocations/{int:allocation_id}/handover", response=AllocationOut, summary="登记交房")
def resettlement_handover(request: HttpRequest, allocation_id: int, payload: HandoverIn) -> Any:
    allocation = selectors.allocation_get(user=request.user, pk=allocation_id)
    return actions_handover.allocation_handover(actor=request.user, allocation=allocation, **payload.dict())


@router.post("/allocations/{int:allocation_id}/certificate", response=AllocationOut, summary="登记房屋权证")
def resettlement_certificate(request: HttpRequest, allocation_id: int, payload: CertificateIn) -> Any:
    allocation = selectors.allocation_get(user=request.user, pk=allocation_id)
    return actions_handover.certificate_record(actor=request.user, allocation=allocation, **payload.dict())


@router.get("/certificate-clocks", response=list[ClockOut], summary="房屋权证办理时钟（三个月，最迟六个月）")
def resettlement_certificate_clocks(request: HttpRequest, state: str = "open") -> Any:
    rows = selectors.certificate_clocks(list(selectors.allocations_for(user=request.user, state=state)[:500]))
    return [
        {
            "allocation_id": r.allocation.pk,
            "household_code": r.allocation.household.code,
            "unit": str(r.allocation.unit),
            "allocated_on": r.clock.allocated_on,
            "due": r.clock.due,
            "latest": r.clock.latest,
            "provisional": r.clock.provisional,
            "state": r.clock.state.value,
            "days_left": r.clock.days_left,
        }
        for r in rows
    ]
