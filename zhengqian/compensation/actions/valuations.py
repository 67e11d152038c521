"""Pricing households (估价) with the approved standard: one household now, or every household
of a project in a re-pricing job with progress and a diff (issue 7 §3–4).

Each run stores a ``Valuation`` with its ``ValuationLine`` rows (the pure domain's lines) and
makes it the household's current one. A draft agreement follows its household's current
valuation; a signed agreement never does: a household whose signed amount differs from its
new valuation is listed as needing a supplementary agreement (民法典 第五百四十三条).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any, NamedTuple

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F, Prefetch, Q

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.packs import pack
from zhengqian.core.permissions import require
from zhengqian.domain import compensation as domain
from zhengqian.domain.errors import DomainError, GateClosed, InvalidInput
from zhengqian.domain.money import round_fen, sum_money
from zhengqian.households.models import Household, HouseholdStatus, SurveyState

from ..bulk import insert_rows, insert_values
from ..inputs import Terms, domain_standard, household_inputs
from ..models import (
    CLAUSE_APPROVAL,
    CLAUSE_ONE_STANDARD,
    Agreement,
    AgreementKind,
    AgreementStatus,
    CompensationStandard,
    JobStatus,
    RepricingChange,
    RepricingJob,
    StandardRate,
    StandardStatus,
    Valuation,
    ValuationLine,
)
from .common import check_household, check_project, day, integer, require_confirmed, require_current_standard

logger = logging.getLogger(__name__)

CHUNK = 2500
LINE_FIELDS = (
    "category", "item", "source", "description", "quantity", "unit", "rate", "formula", "amount", "payee",
    "clause", "excluded_reason", "case_by_case",
)


def standard_for_pricing(standard: CompensationStandard) -> domain.Standard:
    fresh = (
        CompensationStandard.objects.select_related("project")
        .prefetch_related(Prefetch("rates", queryset=StandardRate.objects.order_by("item")), "reward_windows")
        .get(pk=standard.pk)
    )
    return domain_standard(fresh)


@dataclass(frozen=True)
class Priced:
    household_id: int
    project_id: int
    result: domain.Valuation
    terms: Terms
    persons: int


def _totals(result: domain.Valuation) -> tuple[Decimal, Decimal, Decimal]:
    """Total, the household's part and the collective's part (each summed once)."""
    total = result.total
    collective = round_fen(sum_money(line.amount for line in result.lines if line.payee == "collective"))
    return total, round_fen(total - collective), collective


class Previous(NamedTuple):
    """What re-pricing needs of a household's current valuation."""

    pk: int
    household_id: int
    job_id: int | None
    sequence: int
    total: Decimal
    transition_months: int | None
    handover_on: date | None


PREVIOUS_FIELDS = ("pk", "household_id", "job_id", "sequence", "total", "transition_months", "handover_on")


def _store(
    priced: Sequence[Priced], *, standard: CompensationStandard, actor: User, job: RepricingJob | None,
    previous: dict[int, Previous], scope: Q | None = None, kept: Sequence[int] = (),
) -> dict[int, int]:
    """Save new current valuations and their lines (in bulk); the previous ones stop being
    current. Returns household id → new valuation id.

    ``scope`` (project and household id range of a re-pricing chunk) and ``kept`` (current
    valuations in it that stay current) say the same as the list of replaced ids, with a
    shorter query when the list is long."""
    now = clock.now()
    replaced = [previous[item.household_id].pk for item in priced if item.household_id in previous]
    if replaced and scope is not None and len(kept) < len(replaced):
        Valuation.objects.filter(scope, is_current=True).exclude(pk__in=kept).update(is_current=False)
    elif replaced:
        Valuation.objects.filter(pk__in=replaced).update(is_current=False)
    rows = []
    for item in priced:
        total, household_part, collective_part = _totals(item.result)
        old = previous.get(item.household_id)
        rows.append({
            "household_id": item.household_id, "project_id": item.project_id, "standard_id": standard.pk,
            "job_id": job.pk if job else None, "sequence": (old.sequence + 1) if old else 1, "is_current": True,
            "total": total, "total_household": household_part, "total_collective": collective_part,
            "resettled_persons": item.persons, "transition_months": item.terms.transition_months,
            "handover_on": item.terms.handover_on, "created_by_id": actor.pk, "created_at": now,
        })
    ids = insert_rows(Valuation, rows, returning_ids=True)
    values = attrgetter(*LINE_FIELDS)
    lines = [
        (pk, position, *values(line))
        for pk, item in zip(ids, priced, strict=True)
        for position, line in enumerate(item.result.lines, start=1)
    ]
    insert_values(ValuationLine, ("valuation_id", "position", *LINE_FIELDS), lines)
    _follow_drafts({row["household_id"]: {**row, "pk": pk} for pk, row in zip(ids, rows, strict=True)}, scope)
    return {row["household_id"]: pk for pk, row in zip(ids, rows, strict=True)}


def _follow_drafts(valuations: dict[int, dict[str, Any]], scope: Q | None = None) -> int:
    """Unsigned original agreements take their household's new valuation (the number stays)."""
    where = scope if scope is not None else Q(household_id__in=list(valuations))
    drafts = [
        agreement
        for agreement in Agreement.objects.filter(where, kind=AgreementKind.ORIGINAL, status=AgreementStatus.DRAFT)
        if agreement.household_id in valuations
    ]
    now = clock.now()
    for agreement in drafts:
        valuation = valuations[agreement.household_id]
        agreement.valuation_id = valuation["pk"]
        agreement.amount, agreement.amount_household = valuation["total"], valuation["total_household"]
        agreement.amount_collective, agreement.updated_at = valuation["total_collective"], now
    Agreement.objects.bulk_update(
        drafts, ["valuation", "amount", "amount_household", "amount_collective", "updated_at"], batch_size=2000
    )
    return len(drafts)


# --- one household --------------------------------------------------------------------------


def valuation_run(
    *,
    actor: User,
    household: Household,
    transition_months: int | str | None = None,
    handover_on: date | str | None = None,
) -> Valuation:
    """Price one household with its project's approved standard, line by line. Needs the
    survey confirmed (putian-2014 (二)) and an approved standard (banan-2015 (二)). Months of
    transition and the handover date, when not given, are those of the previous valuation."""
    require(actor, "valuation.run")
    household = check_household(actor, household)
    require_confirmed(household)
    standard = require_current_standard(household.project)
    months = integer(transition_months, "transition_months", "过渡期（月）", 0, 120, required=False)
    handover = day(handover_on, "handover_on", "交地日期", required=False)
    previous = Valuation.objects.filter(household=household, is_current=True).first()
    terms = Terms(
        transition_months=months if months is not None else (previous.transition_months if previous else None),
        handover_on=handover or (previous.handover_on if previous else None),
    )
    inputs = household_inputs([household.pk], {household.pk: household.code}, {household.pk: terms})[household.pk]
    try:
        result = domain.price(standard_for_pricing(standard), inputs, pack=pack(household.project.policy_pack))
    except InvalidInput as error:  # no rate, or a unit that does not fit: the standard decides
        raise InvalidInput(error.message, field=error.field, clause=error.clause or CLAUSE_ONE_STANDARD) from None
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.survey_state != SurveyState.CONFIRMED:
            require_confirmed(locked)
        if not CompensationStandard.objects.filter(pk=standard.pk, status=StandardStatus.APPROVED).exists():
            raise GateClosed("补偿标准已被替代，请按现行标准重新计价", clause=CLAUSE_APPROVAL)
        previous = Valuation.objects.select_for_update().filter(household=household, is_current=True).first()
        item = Priced(household.pk, household.project_id, result, terms, inputs.resettled_persons)
        before = {household.pk: _previous(previous)} if previous else {}
        valuation = Valuation.objects.select_related("standard").get(
            pk=_store([item], standard=standard, actor=actor, job=None, previous=before)[household.pk]
        )
        audit.record(
            actor=actor, action="valuation.run", obj=valuation,
            before={"total": previous.total, "standard": previous.standard_id} if previous else None,
            after={"total": valuation.total, "standard": standard.pk, "sequence": valuation.sequence,
                   "lines": len(result.lines)},
            jurisdiction_path=household.village.path, object_label=f"{household.code} 第{valuation.sequence}次计价",
        )
    return valuation


# --- re-pricing a project ------------------------------------------------------------------------


def repricing_start(*, actor: User, standard: CompensationStandard) -> RepricingJob:
    """Queue a re-pricing of every household with the approved version (after survey
    corrections, or to retry a failed run)."""
    require(actor, "valuation.run")
    check_project(actor, standard.project)
    with transaction.atomic():
        standard = CompensationStandard.objects.select_for_update(of=("self",)).select_related(
            "project__district"
        ).get(pk=standard.pk)
        if standard.status != StandardStatus.APPROVED:
            raise GateClosed(f"补偿标准{standard.label}不是现行版本，不能据以计价", clause=CLAUSE_APPROVAL)
        running = RepricingJob.objects.filter(
            project_id=standard.project_id, status__in=[JobStatus.PENDING, JobStatus.RUNNING]
        ).first()
        if running is not None:
            return running
        job = RepricingJob.objects.create(
            project=standard.project, standard=standard, previous_standard=standard, created_by=actor,
            created_at=clock.now(),
        )
        audit.record(actor=actor, action="valuation.reprice_start", obj=job, after={"standard": standard.pk},
                     jurisdiction_path=standard.project.district.path)
    return job


def repricing_launch(job: RepricingJob) -> None:
    """Run a queued job in a background thread after commit (or at once, per settings)."""
    if job.status != JobStatus.PENDING:
        return
    if getattr(settings, "COMPENSATION_REPRICE_IN_BACKGROUND", True):
        worker = threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True)
        transaction.on_commit(worker.start)
    else:
        repricing_run(job.pk)


def _run_in_thread(job_id: int) -> None:
    try:
        repricing_run(job_id)
    finally:
        close_old_connections()


def repricing_run(job_id: int, *, chunk: int = CHUNK) -> RepricingJob:
    """Price every registered household of the job's project, ``chunk`` households per
    transaction, counting progress on the job row. Households priced by this job already (a
    resumed run) are skipped; one household's error is recorded and the rest go on."""
    claimed = RepricingJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started_at=clock.now()
    )
    job = RepricingJob.objects.select_related("project__district", "standard", "created_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        households = list(
            Household.objects.filter(project_id=job.project_id, status=HouseholdStatus.REGISTERED)
            .order_by("id").values_list("id", "code", "survey_state")
        )
        RepricingJob.objects.filter(pk=job.pk).update(total=len(households), done=0)
        standard = standard_for_pricing(job.standard)
        policy = pack(job.project.policy_pack)
        for start in range(0, len(households), chunk):
            with _without_cycle_collection():
                _reprice_chunk(job, households[start:start + chunk], standard, policy)
    except Exception as error:
        logger.exception("repricing job %s failed", job_id)
        RepricingJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, message=f"计价出错（{type(error).__name__}）：{error}"[:500],
            finished_at=clock.now(),
        )
        job.refresh_from_db()
        return job
    with transaction.atomic():
        job = RepricingJob.objects.select_for_update(of=("self",)).select_related(
            "project__district", "created_by"
        ).get(pk=job_id)
        job.status, job.finished_at = JobStatus.DONE, clock.now()
        job.save(update_fields=["status", "finished_at"])
        audit.record(
            actor=job.created_by, action="valuation.reprice", obj=job,
            after={"standard": job.standard_id, "total": job.total, "changed": job.changed,
                   "needs_supplement": job.needs_supplement, "skipped": job.skipped, "failed": job.failed},
            jurisdiction_path=job.project.district.path,
        )
    return job


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while one chunk is priced. A chunk allocates some
    hundred thousand short-lived objects (rows, lines, Decimals) without reference cycles;
    the collector would otherwise traverse every live object again and again as they pile up
    (about half of a 2,000-household run). Reference counting still frees them; the collector
    resumes after."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


_DIFF_FIELDS = tuple(name for name in LINE_FIELDS if name not in ("formula", "clause"))


def _previous(valuation: Valuation) -> Previous:
    return Previous(*(getattr(valuation, name) for name in PREVIOUS_FIELDS))


def _old_results(current: dict[int, Previous], codes: dict[int, str], scope: Q) -> dict[int, domain.Valuation]:
    """The previous lines, with what the diff compares (formula and clause are not loaded).
    ``scope`` filters valuations (project and household id range of the chunk)."""
    by_valuation: dict[int, list[domain.Line]] = defaultdict(list)
    if not current:
        return {}
    # The id bounds let the index scan start at the chunk's valuations instead of reading the
    # lines of every earlier valuation of the project (which made each chunk slower).
    pks = [valuation.pk for valuation in current.values()]
    rows = (
        ValuationLine.objects.filter(
            valuation__in=Valuation.objects.filter(scope, is_current=True).values("pk"),
            valuation_id__gte=min(pks), valuation_id__lte=max(pks),
        )
        .order_by("valuation_id", "position").values_list("valuation_id", *_DIFF_FIELDS)
    )
    line = domain.Line
    for valuation_id, category, item, source, description, quantity, unit, rate, amount, payee, excluded, case in rows:
        by_valuation[valuation_id].append(
            line(category, item, source, description, quantity, unit, rate, "", amount, payee, "", excluded, case)
        )
    return {
        household_id: domain.Valuation(codes[household_id], "", tuple(by_valuation[valuation.pk]))
        for household_id, valuation in current.items()
    }


def _changed_lines(difference: domain.ValuationDiff) -> list[dict[str, Any]]:
    return [
        {
            "kind": change.kind,
            "category": domain.CATEGORIES[(change.new or change.old).category],  # type: ignore[union-attr]
            "description": (change.new or change.old).description,  # type: ignore[union-attr]
            "old": str(change.old.amount) if change.old else None,
            "new": str(change.new.amount) if change.new else None,
            "delta": str(change.delta),
        }
        for change in difference.changed_lines
    ]


def _change(
    job: RepricingJob, household_id: int, old: Previous | None, new_total: Decimal | None,
    changed_lines: list[dict[str, Any]], *, needs_supplement: bool, error: str = "",
) -> dict[str, Any]:
    return {
        "job_id": job.pk, "household_id": household_id, "old_valuation_id": old.pk if old else None,
        "new_valuation_id": None, "old_total": old.total if old else None, "new_total": new_total,
        "changed_lines": changed_lines, "needs_supplement": needs_supplement, "error": error,
    }


def _reprice_chunk(
    job: RepricingJob, households: list[tuple[int, str, str]], standard: domain.Standard, policy: Any
) -> None:
    """One transaction: lock the chunk's households (an id range of the project), price the
    confirmed ones, store valuations, lines and diff rows, count progress on the job."""
    low, high = households[0][0], households[-1][0]
    listed = {pk for pk, _, _ in households}
    scope = Q(project_id=job.project_id, household_id__gte=low, household_id__lte=high)
    counts = {"changed": 0, "needs_supplement": 0, "failed": 0}
    with transaction.atomic():
        locked = (
            Household.objects.select_for_update().filter(project_id=job.project_id, pk__range=(low, high))
            .values_list("pk", "code", "survey_state", "status")
        )
        codes = {
            pk: code for pk, code, state, status in locked
            if pk in listed and state == SurveyState.CONFIRMED and status == HouseholdStatus.REGISTERED
        }
        skipped = len(households) - len(codes)
        rows = Valuation.objects.filter(scope, is_current=True).values_list(*PREVIOUS_FIELDS)
        in_range = {row.household_id: row for row in map(Previous._make, rows)}
        ids = [pk for pk in sorted(codes) if pk not in in_range or in_range[pk].job_id != job.pk]
        wanted = set(ids)
        current = {pk: row for pk, row in in_range.items() if pk in wanted}
        signed = set(
            Agreement.objects.filter(scope, kind=AgreementKind.ORIGINAL, status=AgreementStatus.SIGNED)
            .values_list("household_id", flat=True)
        )
        terms = {pk: Terms(row.transition_months, row.handover_on) for pk, row in current.items()}
        inputs = household_inputs(ids, codes, terms, where=Q(household__project_id=job.project_id,
                                                             household_id__gte=low, household_id__lte=high))
        old = _old_results(current, codes, scope)
        priced: list[Priced] = []
        changes: list[dict[str, Any]] = []
        for pk in ids:
            try:
                result = domain.price(standard, inputs[pk], pack=policy)
            except DomainError as error:
                counts["failed"] += 1
                changes.append(_change(job, pk, current.get(pk), None, [], needs_supplement=False,
                                       error=str(error)[:300]))
                continue
            priced.append(Priced(pk, job.project_id, result, terms.get(pk, Terms()), inputs[pk].resettled_persons))
            previous = old.get(pk)
            difference = domain.diff(previous, result) if previous is not None else None
            if difference is not None and not difference.changed_lines:
                continue
            counts["changed"] += previous is not None
            needs_supplement = pk in signed
            counts["needs_supplement"] += needs_supplement
            changes.append(_change(job, pk, current.get(pk), result.total,
                                   _changed_lines(difference) if difference else [], needs_supplement=needs_supplement))
        priced_ids = {item.household_id for item in priced}
        kept = [row.pk for pk, row in in_range.items() if pk not in priced_ids]
        stored = _store(priced, standard=job.standard, actor=job.created_by, job=job, previous=current, scope=scope,
                        kept=kept)
        for change in changes:
            change["new_valuation_id"] = stored.get(change["household_id"])
        insert_rows(RepricingChange, changes)
        RepricingJob.objects.filter(pk=job.pk).update(
            done=F("done") + len(households), skipped=F("skipped") + skipped, changed=F("changed") + counts["changed"],
            needs_supplement=F("needs_supplement") + counts["needs_supplement"],
            failed=F("failed") + counts["failed"],
        )
