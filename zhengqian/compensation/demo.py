"""Demo compensation data, after the households' demo: an approved standard for every demo
project (rates for every item its survey found), priced households, and in BN-2026-002 a fuller
story — six more confirmed households, agreements generated and two signed, a second standard
version that re-prices everyone (the signed two need a supplementary agreement), and a village
publicity list under way with an objection. Idempotent: a project with a standard is left alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from stdnum.cn import ric

from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, User
from zhengqian.households import actions as household_actions
from zhengqian.households.landclass import LAND_CLASSES
from zhengqian.households.models import (
    Attachment,
    Building,
    BuildingUse,
    Crop,
    Household,
    Parcel,
    Structure,
    SurveyState,
)
from zhengqian.projects.models import Project

from . import actions
from .models import CompensationStandard, JobStatus, RepricingJob, Valuation

STORY_PROJECT = "BN-2026-002"
LAND_PER_MU = {"01": "45000", "02": "40000", "03": "20000", "04": "18000", "11": "30000"}
HOUSE_PER_M2 = {"steel_concrete": "1500", "brick_concrete": "1200", "brick_wood": "900", "earth_wood": "700",
                "simple": "300", "other": "400"}
ATTACHMENTS = {"well": ("水井", "item", "800"), "tree": ("零星果树", "plant", "120"),
               "grave": ("坟墓迁移", "item", "3000"),
               "fence": ("围墙", "m", "45"), "shed": ("棚房", "m2", "150"), "pond": ("鱼塘", "m2", "20"),
               "toilet": ("厕所", "item", "600"), "pen": ("畜禽圈舍", "m2", "120"), "yard": ("院坝", "m2", "40"),
               "other": ("其他附着物", "item", "200")}
CROP_PER_M2 = "2.50"
PDF = b"%PDF-1.4\n% demo signed agreement scan\n"


def _rates(project: Project) -> list[tuple[str, str, str, str, str, str, str]]:
    """One rate for every land class, house type, attachment and crop the survey found."""
    rates = [
        ("resettlement_subsidy", "resettlement_subsidy", "安置补助费", "person", "30000", "household",
         "banan-2015 (五)"),
        ("relocation", "relocation", "搬迁费", "household", "2000", "household", "banan-2015 (五)"),
        ("transition", "transition", "过渡费", "month", "800", "household", "banan-2015 (五)"),
        ("social_security", "social_security", "被征地农民社会保障费", "person", "10000", "household",
         "putian-2014 (十五)"),
    ]
    for land_class in sorted(set(Parcel.objects.filter(project=project).values_list("land_class", flat=True))):
        if land_class == "0702":
            rates.append(("land_compensation", "land_0702", "宅基地土地补偿费", "m2", "60", "collective",
                          "putian-2014 (十二)"))
        else:
            amount = LAND_PER_MU.get(land_class[:2], "25000")
            name = f"{LAND_CLASSES[land_class]}土地补偿费"
            rates.append(("land_compensation", f"land_{land_class}", name, "mu", amount, "collective",
                          "putian-2014 (十二)"))
    for structure, use in sorted(set(Building.objects.filter(project=project).values_list("structure", "use"))):
        name = f"{Structure(structure).label}{BuildingUse(use).label}"
        rates.append(("house", f"house_{structure}_{use}", name, "m2", HOUSE_PER_M2.get(structure, "500"), "owner",
                      "banan-2015 (五)"))
    for kind in sorted(set(Attachment.objects.filter(project=project).values_list("kind", flat=True))):
        name, unit, amount = ATTACHMENTS[kind]
        rates.append(("attachment", f"attachment_{kind}", name, unit, amount, "owner", "banan-2015 (五)"))
    for kind, unit in sorted(set(Crop.objects.filter(project=project).values_list("kind", "unit"))):
        if unit == "m2":
            rates.append(("standing_crop", f"crop_{kind}", f"青苗（{kind}）", "m2", CROP_PER_M2, "contractor",
                          "putian-2014 (十二)"))
        elif unit == "plant":
            rates.append(("standing_crop", f"crop_{kind}", f"青苗（{kind}）", "item", "15", "contractor",
                          "putian-2014 (十二)"))
    return rates


def _approve(office: User, leader: User, standard: CompensationStandard, reference: str) -> RepricingJob | None:
    actions.standard_submit(actor=office, standard=standard)
    actions.standard_approve(actor=leader, standard=standard, approval_reference=reference)
    job = RepricingJob.objects.filter(standard=standard, status=JobStatus.PENDING).first()
    if job is not None:
        actions.repricing_run(job.pk)  # at once: the demo must not leave a job to a thread
        job.refresh_from_db()
    return job


def _first_standard(office: User, leader: User, project: Project) -> None:
    today = clock.today()
    standard = actions.standard_create(actor=office, project=project, reason="项目首版补偿标准",
                                       transition_months_default=6)
    for category, item, name, unit, amount, payee, clause in _rates(project):
        actions.rate_set(actor=office, standard=standard, category=category, item=item, name=name, unit=unit,
                         amount_value=amount, payee=payee, clause=clause)
    actions.reward_window_add(actor=office, standard=standard, start=today - timedelta(days=30),
                              end=today + timedelta(days=60), amount_per_household="5000")
    _approve(office, leader, standard, f"区征地拆迁工作领导小组会议纪要〔{today.year}〕{project.pk}号")


def _people(office: User, household: Household, head: str, index: int) -> None:
    """The head, a spouse and (every other household) a child, with valid ID numbers."""
    people = [(head, "head", date(1965 + index, 3, 1 + index)), (f"{head[0]}妻{index}", "spouse",
                                                                    date(1967 + index, 6, 2 + index))]
    if index % 2 == 0:
        people.append((f"{head[0]}子{index}", "child", date(1992 + index, 9, 3 + index)))
    holder = None
    for number, (name, relation, birth) in enumerate(people):
        body = f"500113{birth:%Y%m%d}{(800 + 10 * index + 2 * number + (1 if relation != 'spouse' else 0)):03d}"
        member = household_actions.member_add(actor=office, household=household, name=name, relation=relation,
                                              id_number=body + ric.calc_check_digit(body + "0"))
        holder = holder or member
    household_actions.household_set_bank_account(actor=office, household=household, bank_name="重庆农村商业银行",
                                                 bank_account_no=f"6221388800{index:06d}", holder=holder)


def _more_households(office: User, project: Project, count: int) -> list[Household]:
    """Confirmed households for the story: surveyed and signed 40 days ago, window closed."""
    today = clock.today()
    village = Jurisdiction.objects.filter(pk__in=Household.objects.filter(project=project).values("village")) \
        .order_by("code").first()
    names = ["周德明", "吴玉梅", "郑光荣", "冯淑芬", "陈国平", "褚小红"]
    made = []
    for index in range(count):
        head = names[index % len(names)]
        household = household_actions.household_create(
            actor=office, project=project, code=f"{project.code[-3:]}-D{index + 1:02d}", head_name=head,
            village=village, group=village.children.order_by("code").first() if village else None,
        )
        _people(office, household, head, index)
        parcel = household_actions.parcel_create(actor=office, project=project, village=village, household=household,
                                                 land_class="0101", area=str(1200 + 150 * index))
        household_actions.building_create(actor=office, household=household, structure="brick_concrete",
                                          floor_area=str(95 + 12 * index), parcel=parcel)
        household_actions.attachment_create(actor=office, household=household, kind="well", quantity="1",
                                            unit="mouth")
        survey = household_actions.survey_record(actor=office, household=household,
                                                 surveyed_on=today - timedelta(days=41))
        household_actions.survey_sign(actor=office, survey=survey, signed_on=today - timedelta(days=40),
                                      signed_by_name=head)
        made.append(household)
    household_actions.survey_close_windows(today=today)
    return made


def _story(office: User, leader: User, project: Project) -> str:
    today = clock.today()
    _more_households(office, project, 6)
    confirmed = list(Household.objects.filter(project=project, survey_state=SurveyState.CONFIRMED).order_by("code"))
    for index, household in enumerate(confirmed):
        handover = today - timedelta(days=5) if index % 3 == 0 else None
        actions.valuation_run(actor=office, household=household, handover_on=handover)
    agreements = [actions.agreement_generate(actor=office, household=household) for household in confirmed[:5]]
    for agreement in agreements[:2]:
        actions.agreement_sign(actor=office, agreement=agreement, signed_on=today, signatories=(
            f"{agreement.household.head_name}；区征地办 李科长"), scan=PDF + agreement.number.encode(),
            scan_name=f"{agreement.number}签字件.pdf")
    second = actions.standard_create(actor=office, project=project,
                                     reason="区政府调整砖混房屋补偿单价（上调 100 元/m²）")
    rate = second.rates.filter(item__startswith="house_brick_concrete").first()
    if rate is not None:
        actions.rate_set(actor=office, standard=second, category=rate.category, item=rate.item, name=rate.name,
                         unit=rate.unit, amount_value="1300", payee=rate.payee, clause=rate.clause, rate=rate)
    job = _approve(office, leader, second, f"区征地拆迁工作领导小组会议纪要〔{today.year}〕{project.pk + 10}号")
    village = confirmed[0].village
    publicity = actions.publicity_create(actor=office, project=project, village=village)
    actions.publicity_publish(actor=office, publicity=publicity, published_on=today - timedelta(days=2))
    actions.publicity_objection_file(actor=office, publicity=publicity, filed_on=today - timedelta(days=1),
                                     filed_by_name=confirmed[0].head_name, household=confirmed[0],
                                     content="院内水井未计入，请核实。")
    changed = job.changed if job else 0
    return (f"{project.code}：{len(confirmed)} 户计价，{len(agreements)} 份协议（2 份已签），"
            f"第2版标准重新计价 {changed} 户有变化")


def load(log: Callable[[str], None]) -> None:
    office = User.objects.get(username="office")
    leader = User.objects.get(username="leader")
    for project in Project.objects.filter(code__in=["BN-2026-001", "BN-2026-002", "PT-2026-003", "YZ-2026-004"]):
        if CompensationStandard.objects.filter(project=project).exists() or not project.households.exists():
            continue
        _first_standard(office, leader, project)
        if project.code == STORY_PROJECT:
            log(_story(office, leader, project))
    log(f"估价 {Valuation.objects.filter(is_current=True).count()} 户，"
        f"补偿标准 {CompensationStandard.objects.count()} 个版本")
