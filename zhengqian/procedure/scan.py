"""The nightly procedure scan (``manage.py procedure_scan``, for cron; idempotent).

1. Every active project and registered household has its step rows (new households since).
2. Every open step's governing deadline is recomputed by the legal core from its anchor date
   (``engine.due_from``: the pack's period rules on the official calendar). Rows are read
   grouped by (pack, deadline, anchor date, stored due date), so a million open steps cost one
   grouped query plus one computation per distinct start; only groups whose stored date
   differs (a holiday year loaded since, a 暂定 date confirmed) are rewritten.
3. Steps past a due date that is not provisional become overdue: one ``OverdueEvent`` per step
   and due date (unique), so a second run the same day records nothing.
4. The responsible users get one in-app notification per day (unique per user and day):
   the office and leadership of the district, and the township clerks of the households.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from zhengqian.core import audit, clock
from zhengqian.core.models import Role, User
from zhengqian.core.packs import pack as cached_pack
from zhengqian.households.models import Household, HouseholdStatus
from zhengqian.projects.models import Project, ProjectStatus

from . import engine
from .models import OPEN_STATUSES, Notification, OverdueEvent, ProcedureStep, StepScope

ACTIVE = (ProjectStatus.PREPARING, ProjectStatus.IN_PROGRESS, ProjectStatus.SUSPENDED)
OFFICE_ROLES = (Role.EXPROPRIATION_OFFICE, Role.LEADERSHIP_OFFICE)


@dataclass(frozen=True)
class ScanReport:
    today: date
    rows_created: int
    groups: int
    checked: int
    due_changed: int
    new_overdue: int
    notified: int

    def __str__(self) -> str:
        return (
            f"{self.today}：检查 {self.checked} 个未完成步骤（{self.groups} 组期限），"
            f"补建 {self.rows_created} 行，更新届满日 {self.due_changed} 个，新增逾期 {self.new_overdue} 个，"
            f"通知 {self.notified} 人"
        )


def ensure_all_rows() -> int:
    """Create the missing rows of active projects (cheap when nothing is missing: two grouped
    counts decide which projects need a look)."""
    projects = list(Project.objects.filter(status__in=ACTIVE).select_related("district"))
    households = dict(
        Household.objects.filter(project__in=projects, status=HouseholdStatus.REGISTERED)
        .values_list("project_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = dict(
        ProcedureStep.objects.filter(project__in=projects, scope__in=[StepScope.PROJECT, StepScope.HOUSEHOLD])
        .values_list("project_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    created = 0
    for project in projects:
        pack = engine.pack_of(project)
        expected = len(pack.steps_for("project")) + households.get(project.pk, 0) * len(pack.steps_for("household"))
        if rows.get(project.pk, 0) >= expected:
            continue
        before = ProcedureStep.objects.filter(project=project).count()
        engine.ensure_project_steps(project, pack)
        engine.ensure_household_steps(project, pack)
        engine.refresh_project(project, pack)
        created += ProcedureStep.objects.filter(project=project).count() - before
    return created


Stale = tuple[int, str, date, "date | None", bool, date, bool]


def recompute_due(today: date) -> tuple[int, int, int]:
    """(groups, rows checked, rows changed). Rows are grouped by project, deadline, anchor and
    stored due date (no join: the project's pack comes from a small dict); each distinct
    (pack, deadline, anchor) is computed once by the legal core."""
    calendar = engine.calendar()
    pack_of_project = dict(Project.objects.values_list("pk", "policy_pack"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # an in-memory hash aggregate, no JIT warm-up
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
    groups = (
        ProcedureStep.objects.filter(status__in=OPEN_STATUSES, anchor_on__isnull=False)
        .exclude(deadline_code="")
        .values_list("project_id", "deadline_code", "anchor_on", "due_on", "due_provisional")
        .annotate(n=Count("id"))
        .order_by()
    )
    computed: dict[tuple[str, str, date], tuple[date, bool]] = {}
    checked = count = 0
    stale: list[Stale] = []
    # fetched at once (a server-side cursor would forbid PostgreSQL's parallel aggregate)
    for project_id, deadline_code, anchor_on, due_on, provisional, n in list(groups):
        count += 1
        checked += n
        pack_code = pack_of_project[project_id]
        key = (pack_code, deadline_code, anchor_on)
        result = computed.get(key)
        if result is None:
            result = computed[key] = engine.due_from(cached_pack(pack_code), calendar, deadline_code, anchor_on)
        if result != (due_on, provisional):
            stale.append((project_id, deadline_code, anchor_on, due_on, provisional, *result))
    return count, checked, _rewrite(stale)


def _rewrite(stale: list[Stale]) -> int:
    """Give the stale groups their recomputed date: one statement per thousand groups on
    PostgreSQL, one per group elsewhere."""
    now = clock.now()
    changed = 0
    if connection.vendor != "postgresql" or any(row[3] is None for row in stale):
        for project_id, code, anchor_on, due_on, provisional, new_due, new_provisional in stale:
            changed += ProcedureStep.objects.filter(
                project_id=project_id,
                status__in=OPEN_STATUSES,
                deadline_code=code,
                anchor_on=anchor_on,
                due_on=due_on,
                due_provisional=provisional,
            ).update(due_on=new_due, due_provisional=new_provisional, overdue_since=None, updated_at=now)
        return changed
    table = ProcedureStep._meta.db_table
    for start in range(0, len(stale), 1000):
        chunk = stale[start : start + 1000]
        rows = ", ".join(["(%s::bigint, %s, %s::date, %s::date, %s::boolean, %s::date, %s::boolean)"] * len(chunk))
        # the table name comes from the model and every value is a placeholder
        sql = (
            f"UPDATE {table} AS s SET due_on = v.new_due, due_provisional = v.new_prov, "  # noqa: S608
            f"overdue_since = NULL, updated_at = %s FROM (VALUES {rows}) AS v(project_id, code, anchor, old_due, "
            "old_prov, new_due, new_prov) WHERE s.project_id = v.project_id AND s.deadline_code = v.code "
            "AND s.anchor_on = v.anchor AND s.due_on = v.old_due "
            "AND s.due_provisional = v.old_prov AND s.status IN ('not_started', 'in_progress')"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [now, *(value for row in chunk for value in row)])
            changed += cursor.rowcount
    return changed


def record_overdue(today: date) -> list[tuple[int, int | None, str]]:
    """Mark newly overdue steps; returns (project, household, path) of each."""
    newly = ProcedureStep.objects.filter(
        status__in=OPEN_STATUSES, optional=False, due_provisional=False, due_on__lt=today, overdue_since__isnull=True
    )
    rows = list(
        newly.values_list("pk", "project_id", "household_id", "code", "due_on", "due_clause", "jurisdiction_path")
    )
    if not rows:
        return []
    OverdueEvent.objects.bulk_create(
        [
            OverdueEvent(
                step_id=pk,
                project_id=project,
                household_id=household,
                code=code,
                due_on=due,
                detected_on=today,
                clause=clause,
            )
            for pk, project, household, code, due, clause, _ in rows
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), 5000):
        ProcedureStep.objects.filter(pk__in=ids[start : start + 5000]).update(overdue_since=today)
    return [(project, household, path) for _, project, household, _, _, _, path in rows]


def notify(today: date, overdue: list[tuple[int, int | None, str]]) -> int:
    if not overdue:
        return 0
    per_project = Counter(project for project, _, _ in overdue)
    households = Counter((project, path) for project, household, path in overdue if household is not None)
    projects = {p.pk: p for p in Project.objects.filter(pk__in=per_project).select_related("district")}
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    users = list(User.objects.filter(is_active=True, jurisdiction__isnull=False).select_related("jurisdiction"))
    for user in users:
        scope = user.jurisdiction.path  # type: ignore[union-attr]
        if user.role in OFFICE_ROLES:
            for pk, n in per_project.items():
                if projects[pk].district.path.startswith(scope):
                    counts[user.pk][pk] += n
        elif user.role == Role.TOWNSHIP_CLERK:
            for (pk, path), n in households.items():
                if path.startswith(scope):
                    counts[user.pk][pk] += n
    url = reverse("procedure:board") + "?overdue=1"
    now = clock.now()
    notes = []
    for user_pk, by_project in counts.items():
        total = sum(by_project.values())
        parts = "；".join(f"{projects[pk].code} {n} 项" for pk, n in sorted(by_project.items()))
        notes.append(
            Notification(
                user_id=user_pk,
                key=f"overdue:{today.isoformat()}",
                title=f"新增逾期步骤 {total} 项",
                body=f"{today} 扫描发现：{parts}。请在程序看板查看并处理。",
                url=url,
                created_at=now,
            )
        )
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    return len(notes)


def procedure_scan(*, today: date | None = None, ensure: bool = True) -> ScanReport:
    """Run the nightly scan for ``today`` (default: the clock's today). Idempotent.
    ``ensure=False`` skips the row-completion pass (bench/board_scan.py times it apart)."""
    today = today or clock.today()
    with transaction.atomic():
        created = ensure_all_rows() if ensure else 0
        groups, checked, changed = recompute_due(today)
        overdue = record_overdue(today)
        notified = notify(today, overdue)
        if overdue or changed or created:
            audit.record(
                actor=None,
                action="procedure.scan",
                after={
                    "today": today,
                    "rows_created": created,
                    "due_changed": changed,
                    "new_overdue": len(overdue),
                    "notified": notified,
                },
                object_label=f"程序扫描 {today}",
            )
    return ScanReport(today, created, groups, checked, changed, len(overdue), notified)


def notification_read(*, actor: User, pk: int | None = None) -> int:
    """Mark one (or all) of the user's notifications read; returns how many."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=clock.now())
