"""The bridge between the procedure rows and the pure engine (``zhengqian.domain.procedure``).

- ``ensure_*`` create the "not started" rows of a pack's steps (idempotent; run inside the
  action's transaction, by the nightly scan and by the demo);
- ``records_of`` / ``facts_for`` turn rows into the engine's ``StepRecord`` map and facts;
- ``refresh_due`` copies each open step's governing deadline (the earliest ``within`` period
  whose anchor is done, as ``evaluate`` reads it) onto its row for the board;
- ``due_from`` recomputes one such deadline from its anchor date (the nightly scan).

Facts: every ``FACTS`` entry is read from ``ProjectFact`` rows (false unless recorded true),
except ``paid_in_full``: set by the funds ledger when it has spoken (``project_fact_set``),
otherwise derived — for the project, every registered household whose rights were not waived
has its ``paid`` step done (putian-2014 (七) "足额支付到位"); for one household (the gate on
``handed_over``), that household's ``paid`` step is done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db.models import QuerySet

from zhengqian.core import clock
from zhengqian.core.packs import pack as cached_pack
from zhengqian.domain.calendar import WorkCalendar
from zhengqian.domain.policy import FACTS, PolicyPack
from zhengqian.domain.procedure import StepRecord
from zhengqian.domain.schedule import schedule
from zhengqian.households.models import Household, HouseholdStatus
from zhengqian.legal.selectors import work_calendar
from zhengqian.projects.models import Project

from .models import OPEN_STATUSES, ProcedureStep, ProjectFact, StepScope, StepStatus

DERIVED_FACTS = frozenset({"paid_in_full"})
RECORDABLE_FACTS = {code: label for code, label in FACTS.items() if code not in DERIVED_FACTS}


def pack_of(project: Project) -> PolicyPack:
    return cached_pack(project.policy_pack)


def calendar() -> WorkCalendar:
    return work_calendar()


# --------------------------------------------------------------------------- rows


def _row(project: Project, step_code: str, pack: PolicyPack, household: Household | None, path: str) -> ProcedureStep:
    step = pack.step(step_code)
    return ProcedureStep(
        project=project,
        household=household,
        scope=step.scope,
        code=step.code,
        order=step.order,
        optional=step.optional,
        jurisdiction_path=path,
        updated_at=clock.now(),
    )


def ensure_project_steps(project: Project, pack: PolicyPack) -> None:
    codes = [step.code for step in pack.steps_for(StepScope.PROJECT)]
    have = set(ProcedureStep.objects.filter(project=project, household__isnull=True).values_list("code", flat=True))
    missing = [code for code in codes if code not in have]
    if missing:
        path = project.district.path
        ProcedureStep.objects.bulk_create(
            [_row(project, code, pack, None, path) for code in missing], ignore_conflicts=True
        )


def ensure_household_steps(project: Project, pack: PolicyPack, households: Iterable[Household] | None = None) -> int:
    """Rows of the household-scope steps for ``households`` (default: every registered
    household of the project); returns how many rows were created."""
    codes = [step.code for step in pack.steps_for(StepScope.HOUSEHOLD)]
    if households is None:
        households = Household.objects.filter(project=project, status=HouseholdStatus.REGISTERED).select_related(
            "village"
        )
    households = list(households)
    have: dict[int, set[str]] = {}
    for household_id, code in ProcedureStep.objects.filter(
        household__in=[h.pk for h in households], scope=StepScope.HOUSEHOLD
    ).values_list("household_id", "code"):
        have.setdefault(household_id, set()).add(code)
    rows = [
        _row(project, code, pack, household, household.village.path)
        for household in households
        for code in codes
        if code not in have.get(household.pk, set())
    ]
    if rows:
        ProcedureStep.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


def ensure_chain_steps(household: Household, pack: PolicyPack) -> None:
    codes = [step.code for step in pack.steps_for(StepScope.FORCED_VACATE)]
    have = set(
        ProcedureStep.objects.filter(household=household, scope=StepScope.FORCED_VACATE).values_list("code", flat=True)
    )
    rows = [
        _row(household.project, code, pack, household, household.village.path) for code in codes if code not in have
    ]
    if rows:
        ProcedureStep.objects.bulk_create(rows, ignore_conflicts=True)


def project_rows(project: Project) -> QuerySet[ProcedureStep]:
    return ProcedureStep.objects.filter(project=project, household__isnull=True)


def household_rows(household: Household) -> QuerySet[ProcedureStep]:
    return ProcedureStep.objects.filter(household=household)


# --------------------------------------------------------------------------- records and facts


def records_of(pack: PolicyPack, rows: Iterable[ProcedureStep]) -> dict[str, StepRecord]:
    """The engine's records: rows that have started, are done or waived (codes the pack no
    longer has are left out)."""
    records: dict[str, StepRecord] = {}
    for row in rows:
        if not pack.has_step(row.code):
            continue
        if row.started_on is None and row.done_on is None and row.status != StepStatus.WAIVED:
            continue
        records[row.code] = StepRecord(
            row.code,
            started_on=row.started_on,
            done_on=row.done_on if row.status == StepStatus.DONE else None,
            waived=row.status == StepStatus.WAIVED,
            waive_reason=row.waive_reason,
        )
    return records


def recorded_facts(project: Project) -> dict[str, bool]:
    """Recorded facts; ``paid_in_full`` only when the funds ledger has set it."""
    rows = ProjectFact.objects.filter(project=project).values_list("code", "value", "source")
    return {
        code: bool(value)
        for code, value, source in rows
        if code in FACTS and (code not in DERIVED_FACTS or source != "manual")
    }


def all_households_paid(project: Project) -> bool:
    relevant = Household.objects.filter(project=project, status=HouseholdStatus.REGISTERED).exclude(
        pk__in=ProcedureStep.objects.filter(project=project, code="registered", status=StepStatus.WAIVED).values(
            "household_id"
        )
    )
    total = relevant.count()
    if total == 0:
        return False
    paid = ProcedureStep.objects.filter(
        project=project, code="paid", status=StepStatus.DONE, household__in=relevant
    ).count()
    return paid == total


def facts_for(
    project: Project, household: Household | None = None, *, rows: Iterable[ProcedureStep] = ()
) -> dict[str, bool]:
    """The facts gates read: recorded ones, and ``paid_in_full`` derived for the project or
    for ``household`` (then ``rows`` are that household's rows, when already loaded)."""
    facts = recorded_facts(project)
    if household is None:
        if "paid_in_full" not in facts:  # the ledger's answer governs once the funds app gives one
            facts["paid_in_full"] = all_households_paid(project)
    else:
        facts["paid_in_full"] = any(row.code == "paid" and row.status == StepStatus.DONE for row in rows)
    return facts


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Due:
    deadline_code: str
    anchor_on: date
    due_on: date
    provisional: bool
    clause: str


def governing_deadlines(pack: PolicyPack, calendar: WorkCalendar, known: Mapping[str, date]) -> dict[str, Due]:
    """For each target step, the earliest ``within`` deadline whose start is known (what
    ``evaluate`` reports as ``due``), with the date of its root anchor step."""
    result: dict[str, Due] = {}
    for item in schedule(pack, calendar, known):
        if item.kind != "within":
            continue
        current = result.get(item.target)
        if current is not None and current.due_on <= item.due:
            continue
        root = _root(pack, item.deadline_code)
        result[item.target] = Due(
            item.deadline_code, known[pack.deadline(root).anchor], item.due, item.provisional, item.citation.label
        )
    return result


def _root(pack: PolicyPack, code: str) -> str:
    deadline = pack.deadline(code)
    return _root(pack, deadline.starts_after) if deadline.starts_after else code


def due_from(pack: PolicyPack, calendar: WorkCalendar, deadline_code: str, anchor_on: date) -> tuple[date, bool]:
    """The due date of ``deadline_code`` when its root anchor was done on ``anchor_on`` (a
    ``starts_after`` period starts at the end of the one it follows), and whether it is 暂定."""
    deadline = pack.deadline(deadline_code)
    start, provisional = anchor_on, False
    if deadline.starts_after:
        start, provisional = due_from(pack, calendar, deadline.starts_after, anchor_on)
    result = calendar.due(start, deadline.rule)
    return result.due, provisional or result.provisional


@cache
def rule_chain(pack_code: str, deadline_code: str) -> tuple[object, ...]:
    """The period rules applied one after another from the root anchor (for the scan)."""
    pack = cached_pack(pack_code)
    rules: list[object] = []
    code: str | None = deadline_code
    while code:
        deadline = pack.deadline(code)
        rules.insert(0, deadline.rule)
        code = deadline.starts_after
    return tuple(rules)


def refresh_due(pack: PolicyPack, rows: list[ProcedureStep], known: Mapping[str, date]) -> None:
    """Copy the governing deadline onto every row of ``rows`` (saved when it changed).
    ``known`` maps step codes to done dates for every step the deadlines may start from."""
    governing = governing_deadlines(pack, calendar(), {k: v for k, v in known.items() if pack.has_step(k)})
    changed = []
    for row in rows:
        due = governing.get(row.code)
        values = (
            (due.deadline_code, due.anchor_on, due.due_on, due.provisional, due.clause)
            if due is not None
            else ("", None, None, False, "")
        )
        current = (row.deadline_code, row.anchor_on, row.due_on, row.due_provisional, row.due_clause)
        if values != current:
            if values[2] != row.due_on or values[3] != row.due_provisional:
                row.overdue_since = None  # a new due date: the scan concludes afresh
            row.deadline_code, row.anchor_on, row.due_on, row.due_provisional, row.due_clause = values
            changed.append(row)
    if changed:
        now = clock.now()
        for row in changed:
            row.updated_at = now
        ProcedureStep.objects.bulk_update(
            changed,
            ["deadline_code", "anchor_on", "due_on", "due_provisional", "due_clause", "overdue_since", "updated_at"],
        )


def known_dates(rows: Iterable[ProcedureStep]) -> dict[str, date]:
    return {row.code: row.done_on for row in rows if row.status == StepStatus.DONE and row.done_on is not None}


def refresh_project(project: Project, pack: PolicyPack) -> None:
    rows = list(project_rows(project))
    refresh_due(pack, rows, known_dates(rows))


def refresh_household(household: Household, pack: PolicyPack, project_known: Mapping[str, date] | None = None) -> None:
    if project_known is None:
        project_known = known_dates(project_rows(household.project))
    rows = list(household_rows(household))
    refresh_due(pack, rows, {**project_known, **known_dates(rows)})


def is_overdue(row: ProcedureStep, today: date) -> bool:
    """The domain's reading: open, not optional, past a due date that is not 暂定."""
    return (
        row.status in OPEN_STATUSES
        and not row.optional
        and row.due_on is not None
        and not row.due_provisional
        and today > row.due_on
    )
