"""Reads of the procedure, scoped like projects and households (design §5): a project's steps
with its project; a household's steps, documents and chain with its household; the board
over the user's jurisdiction. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, JurisdictionLevel, User
from zhengqian.core.packs import pack as cached_pack
from zhengqian.core.selectors import jurisdiction_get
from zhengqian.domain import procedure as engine_rules
from zhengqian.domain.policy import ACTORS, EVIDENCE_KINDS, FACTS, PolicyPack
from zhengqian.households.models import Household
from zhengqian.households.selectors import household_get
from zhengqian.projects.models import Project
from zhengqian.projects.selectors import project_get, projects_for

from . import engine
from .documents import CHAIN_KINDS, KINDS, NOTICE_KINDS, title_for
from .models import (
    OPEN_STATUSES,
    Assembly,
    AssemblyAttendance,
    DocumentEvidence,
    Hearing,
    Notification,
    ProcedureDocument,
    ProcedureStep,
    ProjectFact,
    StepEvidence,
    StepScope,
    StepStatus,
)

STATE_CSS = {
    "not_started": "secondary",
    "in_progress": "primary",
    "done": "success",
    "overdue": "danger",
    "waived": "warning",
}


@dataclass
class StepView:
    status: engine_rules.StepStatus
    row: ProcedureStep | None
    evidence: list[StepEvidence]

    @property
    def step(self) -> Any:
        return self.status.step

    @property
    def code(self) -> str:
        return self.status.code

    @property
    def state(self) -> str:
        return str(self.status.state)

    @property
    def state_label(self) -> str:
        if self.row is not None and self.row.reopened_count and self.state == "in_progress":
            return "已重新打开"
        return self.status.state.label

    @property
    def css(self) -> str:
        return STATE_CSS[self.state]

    @property
    def actor_label(self) -> str:
        return ACTORS.get(self.status.step.actor, self.status.step.actor)

    @property
    def evidence_labels(self) -> list[str]:
        return [EVIDENCE_KINDS[kind] for kind in self.status.step.evidence]

    @property
    def document_kind(self) -> str:
        return self.code if self.code in KINDS else ""


def _views(statuses: tuple[engine_rules.StepStatus, ...], rows: dict[str, ProcedureStep]) -> list[StepView]:
    result = []
    for status in statuses:
        row = rows.get(status.code)
        evidence = list(row.evidence.all()) if row is not None else []
        result.append(StepView(status, row, evidence))
    return result


def _rows(qs: QuerySet[ProcedureStep]) -> dict[str, ProcedureStep]:
    qs = qs.select_related("done_by", "waived_by").prefetch_related(
        Prefetch("evidence", queryset=StepEvidence.objects.select_related("file").order_by("id"))
    )
    return {row.code: row for row in qs}


@dataclass
class FactView:
    code: str
    label: str
    derived: bool
    value: bool
    row: ProjectFact | None
    gates: list[Any] = field(default_factory=list)


@dataclass
class ProjectProcedure:
    project: Project
    pack: PolicyPack
    today: date
    steps: list[StepView]
    facts: list[FactView]
    notices: list[ProcedureDocument]
    assemblies: list[Assembly]
    hearing: Hearing | None
    household_progress: list[tuple[str, str, int, int]]
    household_count: int
    late_registration: engine_rules.LateRegistration
    notice_kinds: list[tuple[str, str]]


def project_procedure(*, user: User, pk: Any) -> ProjectProcedure:
    project = project_get(user=user, pk=pk)
    pack = engine.pack_of(project)
    today = clock.today()
    rows = _rows(engine.project_rows(project))
    facts = engine.facts_for(project)
    statuses = engine_rules.evaluate(
        pack, engine.calendar(), engine.records_of(pack, rows.values()), facts, today, "project"
    )
    recorded = {
        fact.code: fact
        for fact in ProjectFact.objects.filter(project=project).select_related("recorded_by", "evidence")
    }
    gates_by_fact: dict[str, list[Any]] = {}
    for gate in pack.gates:
        gates_by_fact.setdefault(gate.requires, []).append(gate)
    fact_views = [
        FactView(
            code,
            label,
            code in engine.DERIVED_FACTS,
            facts.get(code, False),
            recorded.get(code),
            gates_by_fact.get(code, []),
        )
        for code, label in FACTS.items()
        if code in gates_by_fact or code in recorded  # the facts this pack's gates read
    ]
    households = Household.objects.filter(project=project, status="registered")
    household_count = households.count()
    done = dict(
        ProcedureStep.objects.filter(project=project, scope=StepScope.HOUSEHOLD, status=StepStatus.DONE)
        .values_list("code")
        .annotate(n=Count("id"))
        .order_by()
    )
    progress = [(step.code, step.name, done.get(step.code, 0), household_count) for step in pack.steps_for("household")]
    return ProjectProcedure(
        project=project,
        pack=pack,
        today=today,
        steps=_views(statuses, rows),
        facts=fact_views,
        notices=list(
            ProcedureDocument.objects.filter(project=project, household__isnull=True)
            .select_related("pdf")
            .order_by("-created_at", "-id")
        ),
        assemblies=list(Assembly.objects.filter(project=project)),
        hearing=Hearing.objects.filter(project=project).prefetch_related("representatives").first(),
        household_progress=progress,
        household_count=household_count,
        late_registration=engine_rules.late_registration(pack),
        notice_kinds=[(kind, title_for(pack, kind)) for kind in NOTICE_KINDS if pack.has_step(kind)],
    )


@dataclass
class HouseholdProcedure:
    household: Household
    project: Project
    pack: PolicyPack
    today: date
    steps: list[StepView]
    chain: list[StepView]
    chain_dates: dict[str, engine_rules.ChainStep]
    chain_started: bool
    documents: list[ProcedureDocument]
    chain_kinds: list[tuple[str, str]]
    late_registration: engine_rules.LateRegistration


def household_procedure(*, user: User, pk: Any) -> HouseholdProcedure:
    household = household_get(user=user, pk=pk)
    project = household.project
    pack = engine.pack_of(project)
    today = clock.today()
    project_rows = _rows(engine.project_rows(project))
    own = _rows(engine.household_rows(household))
    records = engine.records_of(pack, [*project_rows.values(), *own.values()])
    facts = engine.facts_for(project, household, rows=own.values())
    calendar = engine.calendar()
    statuses = engine_rules.evaluate(pack, calendar, records, facts, today, "household")
    chain_started = any(row.scope == StepScope.FORCED_VACATE for row in own.values())
    chain = engine_rules.evaluate(pack, calendar, records, facts, today, "forced_vacate") if chain_started else ()
    served = {code: record.done_on for code, record in records.items() if record.done_on is not None}
    dates = {item.step.code: item for item in engine_rules.chain_schedule(pack, calendar, served)}
    return HouseholdProcedure(
        household=household,
        project=project,
        pack=pack,
        today=today,
        steps=_views(statuses, own),
        chain=_views(chain, own),
        chain_dates=dates,
        chain_started=chain_started,
        documents=list(
            ProcedureDocument.objects.filter(household=household).select_related("pdf").order_by("issued_on", "id")
        ),
        chain_kinds=[(kind, title_for(pack, kind)) for kind in CHAIN_KINDS if pack.has_step(kind)],
        late_registration=engine_rules.late_registration(pack),
    )


# --------------------------------------------------------------------------- documents, meetings


def documents_for(user: User) -> QuerySet[ProcedureDocument]:
    visible = projects_for(user=user).order_by().values("pk")
    scope = user.scope_path or "\x00"
    return (
        ProcedureDocument.objects.filter(project__in=visible)
        .filter(Q(household__isnull=True) | Q(household__village__path__startswith=scope))
        .select_related("project", "project__district", "household", "household__village", "pdf")
    )


def document_get(*, user: User, pk: Any) -> ProcedureDocument:
    try:
        return documents_for(user).get(pk=int(pk))
    except (ProcedureDocument.DoesNotExist, ValueError, TypeError):
        raise Http404("文书不存在") from None


def document_evidence(document: ProcedureDocument) -> list[Any]:
    return list(document.evidence.select_related("file").order_by("id"))


def document_evidence_get(*, user: User, pk: Any) -> DocumentEvidence:
    try:
        return (
            DocumentEvidence.objects.filter(document__in=documents_for(user).values("pk"))
            .select_related("file")
            .get(pk=int(pk))
        )
    except (DocumentEvidence.DoesNotExist, ValueError, TypeError):
        raise Http404("证据不存在") from None


def assembly_get(*, user: User, pk: Any) -> Assembly:
    try:
        return (
            Assembly.objects.filter(project__in=projects_for(user=user).order_by().values("pk"))
            .select_related("project", "project__district")
            .get(pk=int(pk))
        )
    except (Assembly.DoesNotExist, ValueError, TypeError):
        raise Http404("会议不存在") from None


def assembly_roll(assembly: Assembly) -> list[AssemblyAttendance]:
    return list(assembly.roll.select_related("household", "household__village").order_by("certificate_no"))


def step_evidence_get(*, user: User, pk: Any) -> StepEvidence:
    visible = projects_for(user=user).order_by().values("pk")
    scope = user.scope_path or "\x00"
    try:
        return (
            StepEvidence.objects.filter(step__project__in=visible)
            .filter(Q(step__household__isnull=True) | Q(step__jurisdiction_path__startswith=scope))
            .select_related("file", "step")
            .get(pk=int(pk))
        )
    except (StepEvidence.DoesNotExist, ValueError, TypeError):
        raise Http404("证据不存在") from None


# --------------------------------------------------------------------------- the board


@dataclass
class BoardRow:
    row: ProcedureStep
    name: str
    actor: str
    days_left: int
    overdue: bool

    @property
    def township(self) -> str:
        household = self.row.household
        return household.village.parent.name if household is not None and household.village.parent else ""


def board_steps(
    *,
    user: User,
    project_id: int | None = None,
    township_id: int | None = None,
    code: str = "",
    overdue_only: bool = False,
    today: date | None = None,
) -> QuerySet[ProcedureStep]:
    """Open steps with a due date in the user's jurisdiction, the nearest due date first
    (optional steps only while their window is open)."""
    today = today or clock.today()
    visible = list(projects_for(user=user).order_by().values_list("pk", flat=True))
    qs = ProcedureStep.objects.filter(status__in=OPEN_STATUSES, due_on__isnull=False, project_id__in=visible)
    # A right's window that has closed (an objection, a hearing request) is no longer a clock.
    qs = qs.exclude(optional=True, due_on__lt=today)
    jurisdiction = user.jurisdiction if user.jurisdiction_id else None
    if jurisdiction is None or jurisdiction.level != JurisdictionLevel.DISTRICT:
        qs = qs.filter(Q(household__isnull=True) | Q(jurisdiction_path__startswith=user.scope_path or "\x00"))
    if project_id:
        qs = qs.filter(project_id=project_id)
    if township_id:
        township = jurisdiction_get(user=user, pk=township_id)
        through = Project.townships.through
        in_township = Exists(through.objects.filter(project_id=OuterRef("project_id"), jurisdiction_id=township.pk))
        qs = qs.filter(Q(jurisdiction_path__startswith=township.path) | (Q(household__isnull=True) & in_township))
    if code:
        qs = qs.filter(code=code)
    if overdue_only:
        qs = qs.filter(due_on__lt=today, due_provisional=False, optional=False)
    return qs.order_by("due_on", "id")


def board_page(qs: QuerySet[ProcedureStep], page: int, per_page: int = 50) -> tuple[list[BoardRow], bool]:
    """One page of the board without counting every row (the board can hold millions)."""
    today = clock.today()
    start = max(page - 1, 0) * per_page
    rows = list(
        qs.select_related("project", "household", "household__village", "household__village__parent")[
            start : start + per_page + 1
        ]
    )
    result = []
    for row in rows[:per_page]:
        pack = engine.pack_of(row.project)
        step = pack.step(row.code) if pack.has_step(row.code) else None
        result.append(
            BoardRow(
                row=row,
                name=step.name if step else row.code,
                actor=ACTORS.get(step.actor, "") if step else "",
                days_left=(row.due_on - today).days if row.due_on else 0,
                overdue=engine.is_overdue(row, today),
            )
        )
    return result, len(rows) > per_page


OVERDUE_COUNT_CAP = 1000


def board_overdue_count(qs: QuerySet[ProcedureStep], today: date | None = None) -> int:
    """Overdue steps among ``qs``, counted up to ``OVERDUE_COUNT_CAP`` (shown as "1000+")."""
    today = today or clock.today()
    return qs.filter(due_on__lt=today, due_provisional=False, optional=False).order_by()[:OVERDUE_COUNT_CAP].count()


def board_step_choices(user: User) -> list[tuple[str, str]]:
    """Step codes of the packs the user's projects use (for the filter)."""
    seen: dict[str, str] = {}
    for code in projects_for(user=user).order_by().values_list("policy_pack", flat=True).distinct():
        for step in cached_pack(code).steps:
            seen.setdefault(step.code, step.name)
    return sorted(seen.items(), key=lambda item: item[0])


def townships_for_board(user: User) -> QuerySet[Jurisdiction]:
    from zhengqian.core.selectors import townships_for

    return townships_for(user=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


@dataclass(frozen=True)
class OtherClock:
    """A clock kept by another app, summarised on the board so one page shows every overdue duty."""

    label: str
    clause: str
    overdue: int
    due_soon: int
    url: str


def other_clocks(user: User) -> list[OtherClock]:
    """Clocks kept by other apps, counted for the user's scope: the 3-month full-payment clocks of
    signed agreements (putian-2014 (七), yongzhou-linkage 五(一)4) and, when coordination is
    installed, the due dates of the tasks it assigns (yongzhou-linkage 四(四))."""
    from django.urls import reverse

    from zhengqian.funds.selectors import payment_clocks

    states = [c.state for c in payment_clocks(user)]
    clocks = [
        OtherClock(
            "补偿款3个月内足额支付", "putian-2014 (七)；yongzhou-linkage 五(一)4",
            states.count("overdue"), states.count("due_soon"), reverse("funds:clocks"),
        )
    ]
    if apps.is_installed("zhengqian.coordination"):
        from zhengqian.coordination.selectors import task_clock_counts

        overdue, due_soon = task_clock_counts(user)
        clocks.append(OtherClock("督办任务", "yongzhou-linkage 四(四)", overdue, due_soon,
                                 reverse("coordination:tasks") + "?overdue=1"))
    return clocks
