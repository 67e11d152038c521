"""Demo coordination (runs after the other apps' demos), with dates relative to today:

- the departments and duties of the linkage scheme (the data migration seeds them too);
- a joint meeting 40 days ago on YZ-2026-004 with three decisions: public security's task done
  on time, finance's task overdue, the 龙洲湾街道 task still running; a joint meeting 5 days
  ago whose agenda starts with the open decisions, and a new decision for natural resources;
- a larger incident 10 days ago (leader on site in 90 minutes, closed) and a major incident
  reported yesterday with no arrival recorded and no joint meeting yet (escalated);
- two petitions on PT-2026-003 (界石镇): one answered in time, one overdue with 国土资源局;
- a support case (subsistence allowance) handed to 民政局; one penalty record;
- a draft social stability risk assessment (BN-2026-002) and one salvage posting.

Idempotent: nothing is added once a joint meeting exists. Ends with the coordination scan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from zhengqian.core import clock
from zhengqian.core.models import Department, Jurisdiction, User
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from . import actions, actions_incidents, actions_petitions, assessment
from .departments import seed
from .models import DepartmentDuty, JointMeeting

PDF = b"%PDF-1.4 demo coordination evidence"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.LOCAL_ZONE)


def load(log: Callable[[str], None]) -> None:
    added = seed(Department, DepartmentDuty)
    if JointMeeting.objects.exists():
        log(f"部门职责补充 {added} 条；会议等演示数据已存在")
        return
    project = Project.objects.filter(code="YZ-2026-004").first()
    other = Project.objects.filter(code="PT-2026-003").first()
    if project is None or other is None:
        log("缺少演示项目，跳过")
        return
    office = User.objects.get(username="office")
    police = User.objects.get(username="police")
    dept = {d.code: d for d in Department.objects.all()}
    longzhou = Jurisdiction.objects.get(code="500113009")
    jieshi = Jurisdiction.objects.get(code="500113110")
    today = clock.today()

    first_day = today - timedelta(days=40)
    with clock.frozen(_at(first_day, 16)):
        first = actions.meeting_record(
            actor=office,
            title="龙洲湾滨江公园征收工作调度",
            held_on=first_day,
            place="区政府第三会议室",
            chair="分管副区长",
            agenda="1. 征收补偿资金落实\n2. 安置人员户籍核实\n3. 群众工作与公告张贴",
            departments=[dept[c] for c in ("natural_resources", "public_security", "finance", "letters_visits")],
            attendees="国土资源局、公安局、财政局、信访局、龙洲湾街道负责人",
            minutes="会议听取了龙洲湾街道征收工作进展汇报，研究了资金和户籍问题。",
        )
        checked = actions.decision_record(
            actor=office,
            meeting=first,
            text="核实被征收户安置人员户籍",
            project=project,
            owners=[actions.Owner(department=dept["public_security"])],
            period_count=10,
        )
        actions.decision_record(
            actor=office,
            meeting=first,
            text="落实征收补偿资金并足额缴存征地拆迁专户",
            project=project,
            owners=[actions.Owner(department=dept["finance"])],
            period_count=10,
        )
        actions.decision_record(
            actor=office,
            meeting=first,
            text="做好群众工作，张贴公告并拍照留存",
            project=project,
            owners=[actions.Owner(township=longzhou)],
            period_count=60,
            period_unit="days",
        )
    with clock.frozen(_at(first_day + timedelta(days=9), 10)):
        actions.task_complete(
            actor=police,
            task=checked.tasks.get(),
            note="已逐户核实户籍 12 户，无异动。",
            evidence=actions.Upload(PDF + b" hukou", "户籍核实情况.pdf", "application/pdf"),
        )

    second_day = today - timedelta(days=5)
    with clock.frozen(_at(second_day, 15)):
        from .views import _carried_agenda

        second = actions.meeting_record(
            actor=office,
            title="龙洲湾滨江公园征收工作月度调度",
            held_on=second_day,
            place="区政府第三会议室",
            chair="分管副区长",
            agenda=_carried_agenda(office) + "\n4. 拒不腾地户处置",
            departments=[dept[c] for c in ("natural_resources", "finance", "court", "urban_management")],
            attendees="国土资源局、财政局、法院、城管执法局、龙洲湾街道负责人",
            minutes="督办上次会议未办结事项；研究拒不腾地户的处置。",
        )
        actions.decision_record(
            actor=office,
            meeting=second,
            text="对拒不腾地户依法启动限期腾地程序",
            project=project,
            owners=[actions.Owner(department=dept["natural_resources"])],
            period_count=15,
        )

    households = list(Household.objects.filter(project=project).order_by("code")[:2])
    larger_day = today - timedelta(days=10)
    with clock.frozen(_at(larger_day, 10, 20)):
        larger = actions_incidents.incident_report(
            actor=office,
            project=project,
            township=longzhou,
            occurred_at=_at(larger_day, 10),
            place="新湾村2组施工便道",
            size=25,
            severity="larger",
            summary="部分村民聚集阻挡施工车辆，要求先行兑现青苗补偿。",
            first_response="街道工作人员到场劝导，施工暂停。",
            households=households,
        )
    with clock.frozen(_at(larger_day, 11, 50)):
        actions_incidents.incident_arrival(
            actor=office, incident=larger, leader_name="龙洲湾街道党工委书记", arrived_at=_at(larger_day, 11, 50)
        )
    with clock.frozen(_at(larger_day, 17)):
        actions_incidents.incident_note(actor=office, incident=larger, text="现场答复青苗补偿兑付时间，群众散去。")
        actions_incidents.incident_close(actor=office, incident=larger, text="已平息，施工恢复。")
    yesterday = today - timedelta(days=1)
    with clock.frozen(_at(yesterday, 9, 30)):
        actions_incidents.incident_report(
            actor=office,
            project=project,
            township=longzhou,
            occurred_at=_at(yesterday, 9),
            place="新湾村1组",
            size=80,
            severity="major",
            summary="群众聚集反映安置房分配问题，人数较多。",
            first_response="街道、派出所到场维持秩序。",
            households=households[:1],
        )

    with clock.frozen(_at(today - timedelta(days=70), 10)):
        late = actions_petitions.petition_receive(
            actor=office,
            project=other,
            township=jieshi,
            petitioner="周某",
            channel="来访",
            summary="对房屋面积认定有异议，要求重新丈量。",
            received_on=today - timedelta(days=70),
        )
        actions_petitions.petition_assign(actor=office, petition=late, department=dept["natural_resources"])
    with clock.frozen(_at(today - timedelta(days=20), 10)):
        answered = actions_petitions.petition_receive(
            actor=office,
            project=other,
            township=jieshi,
            petitioner="吴某",
            channel="来信",
            summary="询问青苗补偿标准。",
            received_on=today - timedelta(days=20),
        )
        actions_petitions.petition_assign(actor=office, petition=answered, department=dept["letters_visits"])
    with clock.frozen(_at(today - timedelta(days=10), 10)):
        actions_petitions.petition_answer(
            actor=office, petition=answered, answer="已书面告知补偿标准及依据。", answered_on=today - timedelta(days=10)
        )

    if households:
        actions_petitions.support_case_open(
            actor=office, household=households[-1], kind="subsistence", need="户主年老多病，家庭收入低，申请纳入低保。"
        )
    assessment.reward_penalty_record(
        actor=office,
        period=str(today.year),
        kind="penalty",
        department=dept["finance"],
        reason="联席会议决议（补偿资金缴存专户）逾期未办结，扣减工作经费。",
    )
    _risk_and_salvage(office, today, log)
    tasks, incidents = actions_petitions.coordination_scan()
    log(f"部门 {Department.objects.count()} 个，会议 2 次，逾期任务 {tasks} 项，超时事件 {incidents} 起")


def _risk_and_salvage(office: User, today: date, log: Callable[[str], None]) -> None:
    """A draft risk assessment, and a salvage posting on a building of the funded project."""
    from zhengqian.domain.errors import DomainError
    from zhengqian.households.models import Building

    from . import actions_risk, actions_salvage

    # BN-2026-002 has not published its pre-announcement: its assessment stays a draft until then
    # (the other demo projects recorded theirs in the procedure demo).
    project = Project.objects.get(code="BN-2026-002")
    assessment = actions_risk.risk_assessment_open(
        actor=office, project=project, title=f"{project.name}社会稳定风险评估"
    )
    actions_risk.risk_item_add(
        actor=office,
        assessment=assessment,
        description="部分群众对补偿标准有异议",
        level="medium",
        mitigation="逐户解释政策，公开补偿标准",
    )
    actions_risk.risk_item_add(actor=office, assessment=assessment, description="施工扰民", level="low")
    building = Building.objects.filter(household__project__code="BN-2026-002").order_by("id").first()
    if building is None:
        return
    try:
        actions_salvage.salvage_record(
            actor=office,
            building=building,
            owner_type="state",
            valued_amount="3000.00",
            proceeds="3150.00",
            disposed_on=today - timedelta(days=3),
            buyer="巴南区再生资源回收公司",
            evidence=actions.Upload(PDF + b" salvage", "残值处置凭证.pdf", "application/pdf"),
        )
    except DomainError as error:
        log(f"残值未入账：{error}")
