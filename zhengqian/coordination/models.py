"""Coordination and supervision (yongzhou-linkage 二–五, banan-2015 (二)(六)(七)(八)):
department duties, tasks, joint meetings and their decisions, incidents with their escalation
clock, petitions, support cases, assessment scores and reward/penalty records.

Departments are ``core.Department``; this app adds their duties and their work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import Department, EvidenceFile, Jurisdiction
from zhengqian.domain.coordination import OwnerType, RiskLevel, Severity
from zhengqian.households.models import Building, Household
from zhengqian.projects.models import Project


class DepartmentDuty(models.Model):
    """One duty of a department as the linkage scheme lists it (yongzhou-linkage 三)."""

    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.CASCADE, related_name="duties")
    clause = models.CharField("依据", max_length=60)
    text = models.TextField("职责")
    order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "部门职责"
        verbose_name_plural = "部门职责"
        ordering = ["department_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["department", "clause"], name="duty_once_per_clause")]

    def __str__(self) -> str:
        return f"{self.department} {self.clause}"


class TaskSource(models.TextChoices):
    MANUAL = "manual", "交办"
    DECISION = "decision", "联席会议决议"
    INCIDENT = "incident", "突发事件"
    PETITION = "petition", "信访"
    SUPPORT = "support", "困难帮扶"


class TaskStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已撤销"


class Task(models.Model):
    """A piece of work given to one department or one township, for a project (and a
    household where it applies), due on a date computed on the work calendar."""

    title = models.CharField("任务", max_length=200)
    detail = models.TextField("说明", blank=True)
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="tasks")
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    department = models.ForeignKey(
        Department, verbose_name="责任部门", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    township = models.ForeignKey(
        Jurisdiction, verbose_name="责任镇街", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    source = models.CharField("来源", max_length=20, choices=TaskSource.choices, default=TaskSource.MANUAL)
    decision = models.ForeignKey(
        "Decision", verbose_name="决议", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    incident = models.ForeignKey(
        "Incident", verbose_name="突发事件", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    status = models.CharField("状态", max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    given_on = models.DateField("交办日期")
    period = models.CharField("期限", max_length=30)
    due_on = models.DateField("办结期限", db_index=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    due_clause = models.CharField("依据", max_length=80, blank=True)
    completed_on = models.DateField("办结日期", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_note = models.TextField("办结情况", blank=True)
    cancel_reason = models.TextField("撤销理由", blank=True)
    evidence = models.ForeignKey(
        EvidenceFile, verbose_name="办结材料", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "督办任务"
        verbose_name_plural = "督办任务"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="task_one_owner",
                condition=(Q(department__isnull=False) & Q(township__isnull=True))
                | (Q(department__isnull=True) & Q(township__isnull=False)),
            ),
            models.CheckConstraint(
                name="task_done_has_evidence",
                condition=~Q(status="done") | (Q(evidence__isnull=False) & Q(completed_on__isnull=False)),
            ),
            models.CheckConstraint(name="task_status_valid", condition=Q(status__in=TaskStatus.values)),
            models.CheckConstraint(
                name="task_cancelled_with_reason", condition=~Q(status="cancelled") | ~Q(cancel_reason="")
            ),
            models.CheckConstraint(name="task_due_after_given", condition=Q(due_on__gte=models.F("given_on"))),
        ]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        return str(self.department or self.township)


class MeetingKind(models.TextChoices):
    JOINT_MEETING = "joint_meeting", "联席会议"
    JOINT_ACTION = "joint_action", "联合行动"


class JointMeeting(models.Model):
    """A joint meeting of the leadership group (monthly, yongzhou-linkage 四(一)) or a joint
    action of departments (四(二)), with its attendees, minutes and decisions."""

    kind = models.CharField("类型", max_length=20, choices=MeetingKind.choices, default=MeetingKind.JOINT_MEETING)
    district = models.ForeignKey(Jurisdiction, verbose_name="区县", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("议题", max_length=200)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=60, blank=True)
    agenda = models.TextField("议程", blank=True)
    departments = models.ManyToManyField(Department, verbose_name="参会部门", related_name="joint_meetings", blank=True)
    attendees = models.TextField("参会人员", blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    incident = models.ForeignKey(
        "Incident",
        verbose_name="研究的突发事件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}：{self.title}"


class Decision(models.Model):
    """One decision of a joint meeting; it is carried out through its tasks and stays open
    (on the next meeting's agenda) while any of them is open."""

    meeting = models.ForeignKey(JointMeeting, verbose_name="会议", on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("决议事项")
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "会议决议"
        verbose_name_plural = "会议决议"
        ordering = ["meeting_id", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_once")]

    def __str__(self) -> str:
        return f"决议{self.number}：{self.text[:40]}"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "处置中"
    CLOSED = "closed", "已结案"


class Incident(models.Model):
    """An incident during expropriation, first reported by the township to the project command
    (yongzhou-linkage 五(三))."""

    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="incidents")
    township = models.ForeignKey(Jurisdiction, verbose_name="报告镇街", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField("发生时间")
    place = models.CharField("地点", max_length=200)
    size = models.PositiveIntegerField("涉及人数")
    severity = models.CharField(
        "等级", max_length=10, choices=[(s.value, s.label) for s in Severity], default=Severity.GENERAL.value
    )
    summary = models.TextField("事件概况")
    first_response = models.TextField("先期处置", blank=True)
    households = models.ManyToManyField(Household, verbose_name="涉及户", blank=True, related_name="incidents")
    reported_at = models.DateTimeField("报告时间")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_site_due = models.DateTimeField("负责人到场时限", null=True, blank=True)
    leader_name = models.CharField("到场负责人", max_length=60, blank=True)
    arrived_at = models.DateTimeField("到场时间", null=True, blank=True)
    late_notified = models.BooleanField(default=False, editable=False)
    status = models.CharField("状态", max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    jurisdiction_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = "突发事件"
        verbose_name_plural = "突发事件"
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="incident_severity_valid", condition=Q(severity__in=[s.value for s in Severity])
            ),
            models.CheckConstraint(
                name="incident_escalated_has_clock", condition=Q(severity="general") | Q(on_site_due__isnull=False)
            ),
            models.CheckConstraint(
                name="incident_closed_has_time", condition=Q(status="open") | Q(closed_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.place} {self.get_severity_display()}"


class IncidentAction(models.Model):
    """One entry of an incident's timeline."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    at = models.DateTimeField("时间")
    kind = models.CharField("类型", max_length=30)
    text = models.TextField("内容")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "处置记录"
        verbose_name_plural = "处置记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:40]}"


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    ASSIGNED = "assigned", "已交办"
    ANSWERED = "answered", "已答复"


class Petition(models.Model):
    """A petition or complaint (信访, yongzhou-linkage 三(二)(十四)), answered within its
    deadline (信访工作条例 第三十二条)."""

    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="petitions")
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    township = models.ForeignKey(Jurisdiction, verbose_name="镇街", on_delete=models.PROTECT, related_name="+")
    petitioner = models.CharField("信访人", max_length=60)
    channel = models.CharField("渠道", max_length=30, default="来访")
    summary = models.TextField("诉求")
    received_on = models.DateField("受理日期")
    due_on = models.DateField("答复期限")
    extended = models.BooleanField("已延期", default=False)
    department = models.ForeignKey(
        Department, verbose_name="承办部门", null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    status = models.CharField("状态", max_length=10, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED)
    answer = models.TextField("答复意见", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    jurisdiction_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="petition_answered_has_answer",
                condition=~Q(status="answered") | (Q(answered_on__isnull=False) & ~Q(answer="")),
            ),
            models.CheckConstraint(
                name="petition_due_after_received", condition=Q(due_on__gte=models.F("received_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.petitioner}：{self.summary[:30]}"


class SupportKind(models.TextChoices):
    """banan-2015 (二): 低保、子女入学、就业和产业扶持."""

    SUBSISTENCE = "subsistence", "最低生活保障"
    SCHOOL = "school", "子女入学"
    EMPLOYMENT = "employment", "就业帮扶"
    INDUSTRY = "industry", "产业扶持"


#: The department that owns each kind of support (banan-2015 (二): 民政、教育、人力社保、农业…).
SUPPORT_DEPARTMENT = {
    SupportKind.SUBSISTENCE: "civil_affairs",
    SupportKind.SCHOOL: "education",
    SupportKind.EMPLOYMENT: "hr_social_security",
    SupportKind.INDUSTRY: "agriculture",
}


class SupportCase(models.Model):
    """A difficulty of an affected household handed to the department that owns it, tracked
    as that department's task (banan-2015 (二))."""

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="support_cases")
    kind = models.CharField("帮扶类型", max_length=20, choices=SupportKind.choices)
    need = models.TextField("困难情况")
    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="support_case")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "困难帮扶"
        verbose_name_plural = "困难帮扶"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.household} {self.get_kind_display()}"


class SubjectKind(models.TextChoices):
    TOWNSHIP = "township", "镇街"
    DEPARTMENT = "department", "部门"


class AssessmentScore(models.Model):
    """A subject's score for a period, frozen with the indicator figures it was computed from
    (yongzhou-linkage 四(三), banan-2015 (八))."""

    period = models.CharField("考核期", max_length=10)
    subject_kind = models.CharField("对象类型", max_length=12, choices=SubjectKind.choices)
    township = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1)
    figures = models.JSONField("指标")
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        ordering = ["period", "subject_kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "township"], name="score_once_per_township"),
            models.UniqueConstraint(fields=["period", "department"], name="score_once_per_department"),
            models.CheckConstraint(name="score_in_range", condition=Q(score__gte=0) & Q(score__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.township or self.department} {self.score}"


class RewardPenalty(models.Model):
    """A reward or a penalty decided on an assessment (yongzhou-linkage 四(三))."""

    KIND_CHOICES = [("reward", "奖励"), ("penalty", "扣减/追责")]
    period = models.CharField("考核期", max_length=10)
    township = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=KIND_CHOICES)
    reason = models.TextField("事由")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "奖惩记录"
        verbose_name_plural = "奖惩记录"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="reward_one_subject",
                condition=(Q(department__isnull=False) & Q(township__isnull=True))
                | (Q(department__isnull=True) & Q(township__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.get_kind_display()}"


class RiskAssessment(models.Model):
    """A project's social stability risk assessment (实施条例 第二十六条, putian-2014 (八)):
    risk items, level, mitigation, conclusion. Concluding it completes the procedure step
    ``stability_assessment`` with the report and the minutes as evidence, so the pack's order
    (compensation plan after the assessment) reads it."""

    STATUS_CHOICES = [("draft", "评估中"), ("concluded", "已作出结论")]
    project = models.ForeignKey(
        Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    title = models.CharField("评估事项", max_length=200)
    level = models.CharField("风险等级", max_length=10, blank=True, choices=[(r.value, r.label) for r in RiskLevel])
    conclusion = models.TextField("评估结论", blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default="draft")
    concluded_on = models.DateField("结论日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "社会稳定风险评估"
        verbose_name_plural = "社会稳定风险评估"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="risk_concluded_complete",
                condition=Q(status="draft") | (Q(concluded_on__isnull=False) & ~Q(level="") & ~Q(conclusion="")),
            ),
            models.CheckConstraint(name="risk_concluded_not_high", condition=Q(status="draft") | ~Q(level="high")),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.title}"


class RiskItem(models.Model):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="items")
    description = models.TextField("风险点")
    level = models.CharField("等级", max_length=10, choices=[(r.value, r.label) for r in RiskLevel])
    mitigation = models.TextField("化解措施", blank=True)

    class Meta:
        verbose_name = "风险点"
        verbose_name_plural = "风险点"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:40]


class Salvage(models.Model):
    """Salvage of a demolished building, disposed of by the rule for the project owner's type
    and its proceeds posted to the funds ledger (banan-2015 (六): 谁出资，谁受益，谁负责)."""

    OWNER_TYPES = [(o.value, o.label) for o in OwnerType]
    building = models.OneToOneField(Building, verbose_name="房屋", on_delete=models.PROTECT, related_name="salvage")
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="salvages")
    owner_type = models.CharField("业主性质", max_length=10, choices=OWNER_TYPES)
    valued_amount = models.DecimalField("残值评估价", max_digits=14, decimal_places=2)
    proceeds = models.DecimalField("处置收入", max_digits=14, decimal_places=2)
    disposed_on = models.DateField("处置日期")
    buyer = models.CharField("受让方", max_length=120)
    method = models.CharField("处置方式", max_length=120)
    filing_reference = models.CharField("国资办备案号", max_length=60, blank=True)
    entry = models.OneToOneField(
        "funds.JournalEntry", verbose_name="记账分录", on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ForeignKey(EvidenceFile, verbose_name="处置凭证", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    jurisdiction_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = "残值处置"
        verbose_name_plural = "残值处置"
        ordering = ["-disposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="salvage_amounts_positive", condition=Q(valued_amount__gte=0) & Q(proceeds__gt=0)
            ),
            models.CheckConstraint(
                name="salvage_lump_sum_filed", condition=~Q(owner_type="lump_sum") | ~Q(filing_reference="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} 残值"
