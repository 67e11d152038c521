"""Demo resettlement in BN-2026-002 (南泉街道): the project's scheme, an estate of 24 units with
its five-unifications records, every household's resettled persons decided, three households
choosing housing and one cash, and a selection day today with the order drawn by lot — the
first household has chosen, the others are waiting on the selection-day screen. Idempotent: a
project with a scheme is left alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, User
from zhengqian.domain.errors import DomainError
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from . import actions, actions_allocation, actions_housing
from .models import Scheme

DEMO_PROJECT = "BN-2026-002"
AREAS = ("62.50", "88.30", "95.60", "118.20")


def load(log: Callable[[str], None]) -> None:
    project = Project.objects.filter(code=DEMO_PROJECT).first()
    if project is None or Scheme.objects.filter(project=project).exists():
        return
    office = User.objects.get(username="office")
    today = clock.today()
    actions.scheme_set(
        actor=office,
        project=project,
        per_person_m2="30",
        max_over_m2="10",
        price_within="800",
        price_above="4500",
        refund_unused="2000",
        source="巴南府办〔2026〕安置方案（演示）",
    )
    township = Jurisdiction.objects.get(code="500113005")
    estate = actions_housing.estate_create(
        actor=office,
        code="NQ-AZ-01",
        name="南泉安置小区一期",
        jurisdiction=township,
        owner_name="重庆巴源建设有限公司",
        address="南泉街道迎宾路 8 号",
        planned_completion=today + timedelta(days=60),
    )
    for building in ("1", "2"):
        for floor in range(1, 4):
            for index, area in enumerate(AREAS, start=1):
                actions_housing.unit_create(
                    actor=office,
                    estate=estate,
                    building_no=building,
                    number=f"{floor}0{index}",
                    floor=floor,
                    area=area,
                    layout=["两室一厅", "三室两厅", "三室两厅", "四室两厅"][index - 1],
                    orientation="南" if index % 2 else "东南",
                )
    for kind, content in (
        ("planning", "纳入全区安置房建设统一规划"),
        ("scheduling", "区征地办统一调度，本期 24 套"),
        ("inspection", "区政府督查室季度督查，进度正常"),
    ):
        actions_housing.estate_record_add(actor=office, estate=estate, kind=kind, on=today, content=content)
    households = list(Household.objects.filter(project=project, status="registered").order_by("code"))
    housing = []
    for household in households:
        try:
            decisions = actions.persons_determine(actor=office, household=household)
        except DomainError:
            continue
        if not any(d.counts for d in decisions):
            continue
        head = household.members.order_by("id").first()
        form = "housing" if len(housing) < 3 else "cash"
        try:
            actions.option_choose(
                actor=office,
                household=household,
                form=form,
                chosen_on=today,
                signed_by_name=head.name if head else household.head_name,
                estate=estate if form == "housing" else None,
            )
        except DomainError:
            continue
        if form == "housing":
            housing.append(household)
        elif len(housing) >= 3:
            break
    log(f"{project.code}：安置方案、安置小区 {estate.name}（24 套），{len(housing)} 户选择安置房安置")
    if not housing:
        return
    day = actions_allocation.selection_day_create(
        actor=office,
        project=project,
        estate=estate,
        on=today,
        rule="lottery",
        seed=f"南泉街道 {today:%Y%m%d} 现场公开抽签",
    )
    ticket = actions_allocation.next_ticket(day)
    units = actions_allocation.fitting_units(day, ticket.household.resettlement_option) if ticket else []
    if ticket is not None and units:
        actions_allocation.unit_allocate(actor=office, ticket=ticket, unit=units[0])
    log(f"{project.code}：选房日 {day.on}（公开抽签），第 1 号已选房，其余户待选")
