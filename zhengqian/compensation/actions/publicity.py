"""Publicity lists (公示): per village, the households and amounts of their current valuations,
posted for a period computed on the official calendar; objections received during the period
are recorded and resolved (putian-2014 (七) "补偿登记、公示、复核", (十) "及时进行公示";
banan-2015 (三) "主动将…补偿情况全面公开").

The period: the project's pack threshold ``compensation_publicity`` when it has one; none of the
shipped packs fixes one, so the default is 7 days (calendar days, moved to the next working day
when the last falls on a rest day), cited as the office's practice under putian-2014 (七).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhengqian.core import audit, clock, crypto
from zhengqian.core.models import Jurisdiction, JurisdictionLevel, User
from zhengqian.core.packs import pack
from zhengqian.core.permissions import require
from zhengqian.domain.calendar import PeriodRule
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.money import round_fen, sum_money
from zhengqian.households.models import Household, HouseholdMember, Relation
from zhengqian.legal.selectors import work_calendar
from zhengqian.projects.models import Project

from ..models import (
    CLAUSE_PUBLICITY,
    ObjectionOutcome,
    PublicityEntry,
    PublicityList,
    PublicityObjection,
    PublicityStatus,
    Valuation,
    ValuationLine,
)
from .common import check_project, choice, day, in_scope, require_current_standard, text

PUBLICITY_FIELDS = ["status", "published_on", "period_rule", "period_clause", "ends_on", "ends_provisional",
                    "closed_on", "total"]
OBJECTION_FIELDS = ["filed_on", "filed_by_name", "content", "outcome", "resolved_on", "resolution"]
DEFAULT_PERIOD = PeriodRule.of("days", 7)
THRESHOLD_CODE = "compensation_publicity"


def publicity_period(project: Project) -> tuple[PeriodRule, str]:
    """The posting period and its source (see the module docstring)."""
    policy = pack(project.policy_pack)
    for threshold in policy.thresholds:
        if threshold.code == THRESHOLD_CODE and isinstance(threshold.value, int):
            return PeriodRule.of(threshold.unit, threshold.value), threshold.citation.label
    return DEFAULT_PERIOD, f"{CLAUSE_PUBLICITY}（政策包未规定公示期，按 7 日）"


def _check_list(actor: User, publicity: PublicityList) -> PublicityList:
    require(actor, "publicity.manage")
    publicity = PublicityList.objects.select_related("village", "project").get(pk=publicity.pk)
    if not in_scope(actor, publicity.village.path):
        raise InvalidInput("该公示不在您的辖区。", field="publicity")
    return publicity


def publicity_create(*, actor: User, project: Project, village: Jurisdiction) -> PublicityList:
    """Draw up a village's list from the current valuations under the approved standard."""
    require(actor, "publicity.manage")
    project = check_project(actor, project)
    if not isinstance(village, Jurisdiction) or village.level != JurisdictionLevel.VILLAGE:
        raise InvalidInput("请选择村/社区。", field="village")
    if not in_scope(actor, village.path) or not project.townships.filter(pk=village.parent_id).exists():
        raise InvalidInput(f"“{village.name}”不在本项目或您的辖区内。", field="village")
    standard = require_current_standard(project)
    valuations = list(
        Valuation.objects.filter(project=project, household__village=village, is_current=True, standard=standard)
        .select_related("household").order_by("household__code")
    )
    if not valuations:
        raise InvalidInput(f"{village.name}没有按现行标准计价的户，无法生成公示。", field="village")
    household_ids = [valuation.household_id for valuation in valuations]
    heads = {
        member.household_id: member.id_number_masked
        for member in HouseholdMember.objects.filter(household_id__in=household_ids, relation=Relation.HEAD)
    }
    by_category: dict[int, dict[str, str]] = {valuation.pk: {} for valuation in valuations}
    rows = ValuationLine.objects.filter(valuation__in=valuations).values_list("valuation_id", "category", "amount")
    sums: dict[tuple[int, str], list] = {}
    for valuation_id, category, value in rows:
        sums.setdefault((valuation_id, category), []).append(value)
    for (valuation_id, category), values in sums.items():
        by_category[valuation_id][category] = str(round_fen(sum_money(values)))
    with transaction.atomic():
        publicity = PublicityList.objects.create(
            project=project, village=village, standard=standard, created_by=actor, created_at=clock.now(),
            total=round_fen(sum_money(valuation.total for valuation in valuations)),
        )
        PublicityEntry.objects.bulk_create(
            PublicityEntry(
                publicity=publicity, household=valuation.household, valuation=valuation,
                household_code=valuation.household.code, head_name=valuation.household.head_name,
                head_name_masked=crypto.mask_name(valuation.household.head_name),
                id_number_masked=heads.get(valuation.household_id, ""),
                resettled_persons=valuation.resettled_persons, by_category=by_category[valuation.pk],
                total=valuation.total,
            )
            for valuation in valuations
        )
        audit.record(actor=actor, action="publicity.create", obj=publicity,
                     after={"village": village.pk, "entries": len(valuations), "total": publicity.total},
                     jurisdiction_path=village.path)
    return publicity


def publicity_publish(*, actor: User, publicity: PublicityList, published_on: date | str) -> PublicityList:
    """Post the list: the period's end is computed on the official calendar."""
    publicity = _check_list(actor, publicity)
    posted = day(published_on, "published_on", "公示日期")
    with transaction.atomic():
        publicity = PublicityList.objects.select_for_update(of=("self",)).select_related(
            "village", "project", "standard"
        ).get(pk=publicity.pk)
        if publicity.status != PublicityStatus.DRAFT:
            raise GateClosed("该公示已发布，不能重复发布", clause=CLAUSE_PUBLICITY)
        if publicity.standard.status != "approved":
            raise GateClosed("公示依据的补偿标准已被替代，请重新生成公示", clause=CLAUSE_PUBLICITY)
        rule, clause = publicity_period(publicity.project)
        due = work_calendar().due(posted, rule)
        before = audit.snapshot(publicity, PUBLICITY_FIELDS)
        publicity.status, publicity.published_on = PublicityStatus.PUBLISHED, posted
        publicity.period_rule, publicity.period_clause = str(rule), clause
        publicity.ends_on, publicity.ends_provisional = due.due, due.provisional
        publicity.save()
        audit.record(actor=actor, action="publicity.publish", obj=publicity, before=before,
                     after=audit.snapshot(publicity, PUBLICITY_FIELDS), jurisdiction_path=publicity.village.path)
    return publicity


def publicity_objection_file(
    *, actor: User, publicity: PublicityList, filed_on: date | str, filed_by_name: str, content: str,
    household: Household | None = None,
) -> PublicityObjection:
    """Record an objection received during the publicity period."""
    publicity = _check_list(actor, publicity)
    filed = day(filed_on, "filed_on", "提出日期")
    name = text(filed_by_name, "filed_by_name", "提出人", 40, required=True)
    body = text(content, "content", "异议内容", 4000, required=True)
    if household is not None and not publicity.entries.filter(household=household).exists():
        raise InvalidInput("该户不在本公示名单中。", field="household")
    with transaction.atomic():
        publicity = (
            PublicityList.objects.select_for_update(of=("self",)).select_related("village").get(pk=publicity.pk)
        )
        if publicity.status != PublicityStatus.PUBLISHED:
            raise GateClosed("公示未发布或已结束，不能登记公示异议", clause=CLAUSE_PUBLICITY)
        assert publicity.published_on is not None and publicity.ends_on is not None
        if not publicity.published_on <= filed <= publicity.ends_on:
            raise InvalidInput(
                f"异议须在公示期内（{publicity.published_on}至{publicity.ends_on}）提出。", field="filed_on"
            )
        objection = PublicityObjection.objects.create(
            publicity=publicity, household=household, filed_on=filed, filed_by_name=name, content=body,
            created_by=actor, created_at=clock.now(),
        )
        audit.record(actor=actor, action="publicity.objection", obj=objection,
                     after=audit.snapshot(objection, OBJECTION_FIELDS), jurisdiction_path=publicity.village.path)
    return objection


def publicity_objection_resolve(
    *, actor: User, objection: PublicityObjection, outcome: str, resolved_on: date | str, resolution: str
) -> PublicityObjection:
    """Answer an objection: upheld (the household is re-surveyed or re-priced) or dismissed."""
    publicity = _check_list(actor, objection.publicity)
    result = choice(outcome, ObjectionOutcome, "outcome", "处理结果")
    if result == ObjectionOutcome.PENDING:
        raise InvalidInput("请选择处理结果。", field="outcome")
    resolved = day(resolved_on, "resolved_on", "处理日期")
    answer = text(resolution, "resolution", "处理意见", 4000, required=True)
    with transaction.atomic():
        objection = PublicityObjection.objects.select_for_update().get(pk=objection.pk)
        if objection.outcome != ObjectionOutcome.PENDING:
            raise GateClosed("该异议已处理", clause=CLAUSE_PUBLICITY)
        if resolved < objection.filed_on:
            raise InvalidInput("处理日期不能早于提出日期。", field="resolved_on")
        before = audit.snapshot(objection, OBJECTION_FIELDS)
        objection.outcome, objection.resolved_on, objection.resolution = result, resolved, answer
        objection.save()
        audit.record(actor=actor, action="publicity.objection_resolve", obj=objection, before=before,
                     after=audit.snapshot(objection, OBJECTION_FIELDS), jurisdiction_path=publicity.village.path)
    return objection


def publicity_close(*, actor: User, publicity: PublicityList, closed_on: date | str | None = None) -> PublicityList:
    """End the publicity once its period is over and every objection is answered; a
    provisional end date (calendar year not loaded) never closes it."""
    publicity = _check_list(actor, publicity)
    closed = day(closed_on or clock.today(), "closed_on", "结束日期")
    with transaction.atomic():
        publicity = (
            PublicityList.objects.select_for_update(of=("self",)).select_related("village").get(pk=publicity.pk)
        )
        if publicity.status != PublicityStatus.PUBLISHED:
            raise GateClosed("公示未在进行中", clause=CLAUSE_PUBLICITY)
        assert publicity.ends_on is not None
        if publicity.ends_provisional:
            raise GateClosed("公示届满日为暂定（日历年度未载入），不能结束公示", clause=CLAUSE_PUBLICITY)
        if closed <= publicity.ends_on:
            raise GateClosed(f"公示期至 {publicity.ends_on} 届满，届满后方可结束", clause=CLAUSE_PUBLICITY)
        if publicity.objections.filter(outcome=ObjectionOutcome.PENDING).exists():
            raise GateClosed("尚有未处理的公示异议，不能结束公示", clause=CLAUSE_PUBLICITY)
        before = audit.snapshot(publicity, PUBLICITY_FIELDS)
        publicity.status, publicity.closed_on = PublicityStatus.CLOSED, closed
        publicity.save()
        audit.record(actor=actor, action="publicity.close", obj=publicity, before=before,
                     after=audit.snapshot(publicity, PUBLICITY_FIELDS), jurisdiction_path=publicity.village.path)
    return publicity
