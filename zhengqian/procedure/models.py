"""The statutory procedure of each project and household (putian-2014 (一)–(九),
yongzhou-linkage 五(一), banan-2015 (二)(三), national-2019).

The law is in the policy pack and the pure engine (``zhengqian.domain.procedure``); these rows
are what happened: one ``ProcedureStep`` per step of the pack for the project, for each
household and, once started, for each household's forced-vacate chain. A row carries the
recorded completion (who, when, evidence) and a copy of its governing deadline (``due_on``,
computed by the legal core from its anchor step) so the overdue board is one indexed query.

Scope: a project step is visible with its project; a household or chain step when its
village lies in the user's subtree and its project is visible (selectors).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhengqian.core.models import EvidenceFile
from zhengqian.domain.policy import EVIDENCE_KINDS, FACTS
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

EVIDENCE_CHOICES = list(EVIDENCE_KINDS.items())
FACT_CHOICES = list(FACTS.items())


class StepScope(models.TextChoices):
    PROJECT = "project", "项目"
    HOUSEHOLD = "household", "到户"
    FORCED_VACATE = "forced_vacate", "限期腾地程序"


class StepStatus(models.TextChoices):
    """Stored status; "overdue" is a conclusion drawn on a day (domain ``StepState.OVERDUE``)."""

    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"
    WAIVED = "waived", "已豁免"


OPEN_STATUSES = (StepStatus.NOT_STARTED, StepStatus.IN_PROGRESS)


class StepBasis(models.TextChoices):
    NONE = "", "—"
    SURVEY_RESULT_USED = "survey_result_used", "逾期未登记，以调查核实结果为准"
    RIGHTS_WAIVED = "rights_waived", "逾期未登记，视为放弃补偿权利"
    LAPSED = "lapsed", "期满未行使，视为放弃"
    OVERRIDE = "override", "经授权越过关口"


class FactSource(models.TextChoices):
    MANUAL = "manual", "人工登记"
    FUNDS = "funds", "资金台账"
    RESETTLEMENT = "resettlement", "安置台账"


class ProjectFact(models.Model):
    """A fact a gate requires (policy ``FACTS``: funds in place, pledge signed…), as recorded by
    a person with evidence. Until the funds issue sets them from real data, these rows are
    the source of the funding gates."""

    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="facts")
    code = models.CharField("事实", max_length=60, choices=FACT_CHOICES)
    value = models.BooleanField("成立", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间")
    evidence = models.ForeignKey(
        EvidenceFile, verbose_name="证明文件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("说明", blank=True)
    source = models.CharField("来源", max_length=20, choices=FactSource.choices, default=FactSource.MANUAL)

    class Meta:
        verbose_name = "项目事实"
        verbose_name_plural = "项目事实"
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="project_fact_unique"),
            models.CheckConstraint(name="project_fact_code_valid", condition=Q(code__in=list(FACTS))),
            models.CheckConstraint(
                name="project_fact_true_has_evidence",
                condition=Q(value=False) | Q(evidence__isnull=False) | ~Q(source="manual"),
            ),
        ]

    def __str__(self) -> str:
        return f"{FACTS.get(self.code, self.code)}：{'是' if self.value else '否'}"


class ProcedureStep(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="procedure_steps"
    )
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="procedure_steps"
    )
    scope = models.CharField("范围", max_length=20, choices=StepScope.choices)
    code = models.CharField("步骤", max_length=60)
    order = models.IntegerField("顺序", default=0)
    optional = models.BooleanField("可选步骤", default=False)
    status = models.CharField("状态", max_length=20, choices=StepStatus.choices, default=StepStatus.NOT_STARTED)
    started_on = models.DateField("开始日期", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField("登记时间", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    basis = models.CharField("依据", max_length=30, choices=StepBasis.choices, blank=True, default="")
    waive_reason = models.TextField("豁免理由", blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="豁免人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waived_at = models.DateTimeField("豁免时间", null=True, blank=True)
    overridden_gates = models.JSONField("越过的关口", default=list, blank=True)
    override_reason = models.TextField("越过关口的理由", blank=True)
    reopened_count = models.PositiveIntegerField("重新打开次数", default=0)
    # The governing deadline, copied from the legal core (refreshed by actions and the scan).
    deadline_code = models.CharField("期限", max_length=60, blank=True)
    anchor_on = models.DateField("起算日", null=True, blank=True)
    due_on = models.DateField("届满日", null=True, blank=True)
    due_provisional = models.BooleanField("届满日暂定", default=False)
    due_clause = models.CharField("期限依据", max_length=80, blank=True)
    overdue_since = models.DateField("逾期起始", null=True, blank=True)
    jurisdiction_path = models.CharField(max_length=255)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "程序步骤"
        verbose_name_plural = "程序步骤"
        ordering = ["project_id", "household_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"], condition=Q(household__isnull=True), name="procstep_project_code_unique"
            ),
            models.UniqueConstraint(
                fields=["household", "code"],
                condition=Q(household__isnull=False),
                name="procstep_household_code_unique",
            ),
            models.CheckConstraint(name="procstep_status_valid", condition=Q(status__in=StepStatus.values)),
            models.CheckConstraint(
                name="procstep_done_has_date",
                condition=(Q(status="done", done_on__isnull=False) | (~Q(status="done") & Q(done_on__isnull=True))),
            ),
            models.CheckConstraint(
                name="procstep_waived_has_reason", condition=~Q(status="waived") | ~Q(waive_reason="")
            ),
            models.CheckConstraint(
                name="procstep_scope_matches_household",
                condition=(
                    Q(scope="project", household__isnull=True) | (~Q(scope="project") & Q(household__isnull=False))
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on", "id"],
                name="procstep_open_due",
                condition=Q(status__in=["not_started", "in_progress"], due_on__isnull=False),
            ),
            models.Index(
                fields=["project", "due_on"],
                name="procstep_open_project_due",
                condition=Q(status__in=["not_started", "in_progress"], due_on__isnull=False),
            ),
            models.Index(
                fields=["code", "due_on", "id"],
                name="procstep_open_code_due",
                condition=Q(status__in=["not_started", "in_progress"], due_on__isnull=False),
            ),
            models.Index(fields=["jurisdiction_path"], name="procstep_path", opclasses=["varchar_pattern_ops"]),
            # the nightly scan's "newly overdue" look-up
            models.Index(
                fields=["due_on"],
                name="procstep_overdue_pending",
                condition=Q(
                    status__in=["not_started", "in_progress"],
                    overdue_since__isnull=True,
                    optional=False,
                    due_provisional=False,
                    due_on__isnull=False,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}（{self.household_id or self.project_id}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class StepEvidence(models.Model):
    """A file proving a step: the document, the photo of the posting, the minutes…"""

    step = models.ForeignKey(ProcedureStep, on_delete=models.PROTECT, related_name="evidence")
    file = models.ForeignKey(EvidenceFile, verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("证据类型", max_length=20, choices=EVIDENCE_CHOICES)
    note = models.CharField("说明", max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = "步骤证据"
        verbose_name_plural = "步骤证据"
        ordering = ["step_id", "id"]
        constraints = [models.UniqueConstraint(fields=["step", "file", "kind"], name="step_evidence_unique")]

    def __str__(self) -> str:
        return f"{EVIDENCE_KINDS.get(self.kind, self.kind)} {self.file.original_name}"


# --- documents: notices (告知书, 公告) and the forced-vacate chain ------------------------------


class DocumentStatus(models.TextChoices):
    ISSUED = "issued", "已制作"
    PUBLISHED = "published", "已张贴公布"
    SERVED = "served", "已送达"


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", "直接送达"
    LEFT_AT_HOME = "left_at_home", "留置送达"
    POST = "post", "邮寄送达"
    PUBLIC = "public", "公告送达"
    COURT = "court", "递交人民法院"


class DocumentCounter(models.Model):
    """The last number given to a kind of document of a project in a year: numbers are
    gap-free because the row is locked (select_for_update) while the next one is taken."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "kind", "year"], name="doc_counter_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class ProcedureDocument(models.Model):
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="documents")
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField("文书类型", max_length=40)
    step_code = models.CharField("对应步骤", max_length=60)
    title = models.CharField("标题", max_length=120)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=80)
    issued_on = models.DateField("成文日期")
    html = models.TextField("正文（HTML）")
    html_sha256 = models.CharField(max_length=64)
    pdf = models.ForeignKey(EvidenceFile, verbose_name="PDF", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.ISSUED)
    registration_deadline = models.DateField("补偿登记截止日", null=True, blank=True)
    published_on = models.DateField("张贴/公布日期", null=True, blank=True)
    posting_place = models.CharField("张贴地点", max_length=300, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=20, choices=ServiceMethod.choices, blank=True)
    served_to = models.CharField("受送达人", max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制作时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "程序文书"
        verbose_name_plural = "程序文书"
        ordering = ["project_id", "kind", "year", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "year", "seq"], name="procdoc_number_unique"),
            models.CheckConstraint(name="procdoc_status_valid", condition=Q(status__in=DocumentStatus.values)),
            models.CheckConstraint(
                name="procdoc_published_has_place",
                condition=Q(published_on__isnull=True) | ~Q(posting_place=""),
            ),
            models.CheckConstraint(
                name="procdoc_served_has_method", condition=Q(served_on__isnull=True) | ~Q(service_method="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class DocumentEvidence(models.Model):
    """Photos of the posting (yongzhou-linkage 五(一)1 张贴并拍照留存) or proof of service."""

    document = models.ForeignKey(ProcedureDocument, on_delete=models.PROTECT, related_name="evidence")
    file = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("证据类型", max_length=20, choices=EVIDENCE_CHOICES)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "file", "kind"], name="doc_evidence_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_id}"


# --- villager assembly (putian-2014 (一)) ----------------------------------------------------


class Assembly(models.Model):
    project = models.ForeignKey(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="assemblies")
    held_on = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=200)
    closed = models.BooleanField("已结束", default=False)
    total = models.PositiveIntegerField("被征地农户数（按承包经营权证）", default=0)
    present = models.PositiveIntegerField("亲自参加", default=0)
    proxies = models.PositiveIntegerField("委托参加", default=0)
    quorum_met = models.BooleanField("达到法定人数", default=False)
    quorum_text = models.TextField("法定人数说明", blank=True)
    used_as_evidence = models.BooleanField("已作为步骤证据", default=False)
    minutes = models.ForeignKey(
        EvidenceFile, verbose_name="会议记录", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signature_list = models.ForeignKey(
        EvidenceFile, verbose_name="签到名册", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "村民代表和被征地农民大会"
        verbose_name_plural = "村民代表和被征地农民大会"
        ordering = ["project_id", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="assembly_evidence_needs_quorum",
                condition=Q(used_as_evidence=False) | Q(quorum_met=True, closed=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


class Attendance(models.TextChoices):
    ABSENT = "absent", "未到"
    PRESENT = "present", "亲自参加"
    PROXY = "proxy", "委托参加"


class AssemblyAttendance(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="roll")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    certificate_no = models.CharField("土地承包经营权证号", max_length=60)
    attendance = models.CharField("出席", max_length=10, choices=Attendance.choices, default=Attendance.ABSENT)
    proxy_name = models.CharField("受托人", max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assembly_id", "certificate_no", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "household"], name="attendance_once"),
            models.UniqueConstraint(fields=["assembly", "certificate_no"], name="attendance_certificate_once"),
            models.CheckConstraint(name="attendance_proxy_named", condition=~Q(attendance="proxy") | ~Q(proxy_name="")),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_no} {self.attendance}"


# --- hearings (putian-2014 (三), banan-2015 三, 实施条例 第二十八条) --------------------------------


class OpinionOutcome(models.TextChoices):
    NONE = "", "—"
    PENDING = "pending", "待征求听证代表意见"
    ACCEPTED = "accepted", "未被否决"
    REJECTED = "rejected", "三分之二以上听证代表不同意"


class Hearing(models.Model):
    """One project's hearing: the request, the representatives, the hearing record, the
    coordination opinion and its vote; or (national pack) the objection count that makes it
    mandatory and the re-announced plan."""

    project = models.OneToOneField(Project, verbose_name="征地项目", on_delete=models.PROTECT, related_name="hearing")
    requested_on = models.DateField("申请日期", null=True, blank=True)
    requested_by = models.CharField("申请人", max_length=120, blank=True)
    members = models.PositiveIntegerField("集体经济组织成员数", null=True, blank=True)
    objecting = models.PositiveIntegerField("认为方案不符合法律法规的成员数", null=True, blank=True)
    triggered = models.BooleanField("应当组织听证", default=False)
    trigger_text = models.TextField("听证条件说明", blank=True)
    held_on = models.DateField("听证日期", null=True, blank=True)
    opinion_round = models.PositiveIntegerField("协调意见轮次", default=0)
    opinion_text = models.TextField("协调意见", blank=True)
    opinion_on = models.DateField("协调意见日期", null=True, blank=True)
    opinion_outcome = models.CharField("征求意见结果", max_length=20, choices=OpinionOutcome.choices, blank=True)
    opinion_document = models.ForeignKey(
        EvidenceFile, verbose_name="协调意见书", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion_text_result = models.TextField("表决说明", blank=True)
    revised_plan_published_on = models.DateField("修改后方案重新公告日期", null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"

    def __str__(self) -> str:
        return f"{self.project_id} 听证"


class Vote(models.TextChoices):
    NONE = "", "未表态"
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"


class HearingRepresentative(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="representatives")
    name = models.CharField("姓名", max_length=40)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    elected_on = models.DateField("推选日期")
    vote = models.CharField("对协调意见", max_length=10, choices=Vote.choices, blank=True, default="")

    class Meta:
        ordering = ["hearing_id", "id"]
        constraints = [models.UniqueConstraint(fields=["hearing", "name"], name="hearing_rep_unique")]

    def __str__(self) -> str:
        return self.name


# --- the overdue board (issue 6 §8) ----------------------------------------------------------


class OverdueEvent(models.Model):
    """A step found overdue by the nightly scan. Append-only; one per step and due date, so
    running the scan twice records nothing new."""

    step = models.ForeignKey(ProcedureStep, on_delete=models.PROTECT, related_name="overdue_events")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=60)
    due_on = models.DateField("届满日")
    detected_on = models.DateField("发现日期")
    clause = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = "逾期记录"
        verbose_name_plural = "逾期记录"
        ordering = ["-detected_on", "id"]
        constraints = [models.UniqueConstraint(fields=["step", "due_on"], name="overdue_once_per_due")]

    def __str__(self) -> str:
        return f"{self.code} 逾期（{self.due_on}）"


class Notification(models.Model):
    """An in-app message to one user (the bell in the navbar)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="procedure_notes")
    key = models.CharField(max_length=120)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
