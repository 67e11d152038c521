"""Survey confirmation (调查确认, putian-2014 (二)): survey versions, signature or refusal and
service, the 5-working-day objection window, objections and their review."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import GateClosed, InvalidInput

from .. import worktime
from ..models import (
    CLAUSE_SURVEY,
    ConfirmationBasis,
    Household,
    ObjectionOutcome,
    SurveyObjection,
    SurveyRecord,
    SurveyRecordState,
    SurveyState,
)
from .common import (
    OBJECTION_FIELDS,
    SURVEY_FIELDS,
    _check_household_access,
    _choice,
    _date,
    _in_scope,
    _locked_household,
    _text,
)

# --- survey confirmation (putian-2014 (二)) ------------------------------------------------


def _summary(household: Household) -> dict[str, Any]:
    """What the household signs: its members, parcels and items as they are now."""
    return audit.jsonable(
        {
            "members": list(
                household.members.order_by("id").values(
                    "name", "relation", "id_number_masked", "is_resettlement_person"
                )
            ),
            "parcels": list(household.parcels.order_by("code").values("code", "land_class", "ownership", "area")),
            "buildings": list(
                household.buildings.order_by("code").values("code", "structure", "floors", "floor_area", "legality")
            ),
            "attachments": list(household.attachments.order_by("code").values("code", "kind", "quantity", "unit")),
            "crops": list(household.crops.order_by("code").values("code", "kind", "quantity", "unit")),
        }
    )


def _sync_household_state(household: Household, survey: SurveyRecord | None) -> None:
    state = SurveyState.NOT_SURVEYED if survey is None else SurveyState(survey.state)
    Household.objects.filter(pk=household.pk).update(survey_state=state, updated_at=clock.now())
    household.survey_state = state


def _new_survey(actor: User, household: Household, surveyed_on: date, surveyors: str) -> SurveyRecord:
    latest = household.surveys.aggregate(v=Max("version"))["v"] or 0
    now = clock.now()
    return SurveyRecord.objects.create(
        household=household, project_id=household.project_id, version=latest + 1, surveyed_on=surveyed_on,
        surveyors=surveyors, summary=_summary(household), state=SurveyRecordState.AWAITING_SIGNATURE,
        clause=CLAUSE_SURVEY, created_by=actor, created_at=now, updated_at=now,
    )


def _current_survey(household: Household) -> SurveyRecord | None:
    return household.surveys.exclude(state=SurveyRecordState.SUPERSEDED).order_by("-version").first()


def survey_record(*, actor: User, household: Household, surveyed_on: date | str, surveyors: str = "") -> SurveyRecord:
    """Record the survey result for the household to sign (putian-2014 (二)); a new survey
    supersedes the previous version. An objection pending review is resolved first."""
    household = _check_household_access(actor, household)
    surveyed = _date(surveyed_on, "surveyed_on", "调查日期")
    surveyors = _text(surveyors, "surveyors", "调查人员", 200)
    with transaction.atomic():
        household = _locked_household(household)
        current = _current_survey(household)
        if current is not None and current.state == SurveyRecordState.OBJECTED:
            raise GateClosed("该户有待复核的异议，请先作出复核结论。", clause=CLAUSE_SURVEY)
        if current is not None and surveyed < current.surveyed_on:
            raise InvalidInput(f"调查日期不能早于上一版（{current.surveyed_on}）。", field="surveyed_on")
        if current is not None:
            _supersede(actor, current, household)
        survey = _new_survey(actor, household, surveyed, surveyors)
        _sync_household_state(household, survey)
        audit.record(
            actor=actor, action="survey.record", obj=survey, after=audit.snapshot(survey, SURVEY_FIELDS),
            jurisdiction_path=household.village.path,
        )
    return survey


def _supersede(actor: User, survey: SurveyRecord, household: Household) -> None:
    before = audit.snapshot(survey, SURVEY_FIELDS)
    survey.state, survey.updated_at = SurveyRecordState.SUPERSEDED, clock.now()
    survey.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=actor, action="survey.supersede", obj=survey, before=before,
        after=audit.snapshot(survey, SURVEY_FIELDS), jurisdiction_path=household.village.path,
    )


def _locked_survey(actor: User, survey: SurveyRecord) -> tuple[SurveyRecord, Household]:
    household = _check_household_access(actor, survey.household)
    household = _locked_household(household)
    return SurveyRecord.objects.select_for_update().get(pk=survey.pk), household


def _open_window(survey: SurveyRecord, start: date) -> None:
    window = worktime.objection_window(start)
    survey.window_start, survey.window_due, survey.window_provisional = start, window.due, window.provisional
    survey.state = SurveyRecordState.WINDOW_OPEN


def survey_sign(*, actor: User, survey: SurveyRecord, signed_on: date | str, signed_by_name: str) -> SurveyRecord:
    """The household signs the survey result; the 5-working-day objection window starts."""
    signed = _date(signed_on, "signed_on", "签字日期")
    signer = _text(signed_by_name, "signed_by_name", "签字人", 40, required=True)
    with transaction.atomic():
        survey, household = _locked_survey(actor, survey)
        if survey.state != SurveyRecordState.AWAITING_SIGNATURE:
            raise GateClosed(f"该调查记录当前为“{survey.get_state_display()}”，不能签字。", clause=CLAUSE_SURVEY)
        if signed < survey.surveyed_on:
            raise InvalidInput(f"签字日期不能早于调查日期（{survey.surveyed_on}）。", field="signed_on")
        if not household.members.filter(name=signer).exists():
            raise InvalidInput(f"签字人“{signer}”不是本户家庭成员。", field="signed_by_name")
        before = audit.snapshot(survey, SURVEY_FIELDS)
        survey.signed_on, survey.signed_by_name, survey.refused, survey.served_on = signed, signer, False, None
        _open_window(survey, signed)
        survey.updated_at = clock.now()
        survey.save()
        _sync_household_state(household, survey)
        audit.record(
            actor=actor, action="survey.sign", obj=survey, before=before, after=audit.snapshot(survey, SURVEY_FIELDS),
            jurisdiction_path=household.village.path,
        )
    return survey


def survey_refuse(*, actor: User, survey: SurveyRecord, served_on: date | str, reason: str = "") -> SurveyRecord:
    """The household refuses to sign; the result is served in writing and the window runs
    from service. With no objection by its end it is deemed confirmed (putian-2014 (二))."""
    served = _date(served_on, "served_on", "送达日期")
    reason = _text(reason, "reason", "情况说明", 500)
    with transaction.atomic():
        survey, household = _locked_survey(actor, survey)
        if survey.state != SurveyRecordState.AWAITING_SIGNATURE:
            raise GateClosed(f"该调查记录当前为“{survey.get_state_display()}”，不能登记拒签。", clause=CLAUSE_SURVEY)
        if served < survey.surveyed_on:
            raise InvalidInput(f"送达日期不能早于调查日期（{survey.surveyed_on}）。", field="served_on")
        before = audit.snapshot(survey, SURVEY_FIELDS)
        survey.refused, survey.served_on = True, served
        _open_window(survey, served)
        survey.updated_at = clock.now()
        survey.save()
        _sync_household_state(household, survey)
        audit.record(
            actor=actor, action="survey.refuse", obj=survey, before=before,
            after=audit.snapshot(survey, SURVEY_FIELDS), reason=reason, jurisdiction_path=household.village.path,
        )
    return survey


def objection_file(
    *, actor: User, survey: SurveyRecord, filed_on: date | str, filed_by_name: str, content: str
) -> SurveyObjection:
    """A written objection within 5 working days of signature or service (putian-2014 (二))."""
    filed = _date(filed_on, "filed_on", "提出日期")
    filer = _text(filed_by_name, "filed_by_name", "提出人", 40, required=True)
    content = _text(content, "content", "异议内容", 5000, required=True)
    with transaction.atomic():
        survey, household = _locked_survey(actor, survey)
        if survey.state not in (SurveyRecordState.AWAITING_SIGNATURE, SurveyRecordState.WINDOW_OPEN,
                                SurveyRecordState.OBJECTED):
            raise GateClosed(f"该调查记录当前为“{survey.get_state_display()}”，不能再提出异议。", clause=CLAUSE_SURVEY)
        if filed < survey.surveyed_on:
            raise InvalidInput(f"提出日期不能早于调查日期（{survey.surveyed_on}）。", field="filed_on")
        if survey.window_due is not None and filed > survey.window_due and not survey.window_provisional:
            raise GateClosed(
                f"异议期已于 {survey.window_due} 届满，逾期异议不予受理。", clause=CLAUSE_SURVEY
            )
        before = audit.snapshot(survey, SURVEY_FIELDS)
        objection = SurveyObjection.objects.create(
            survey=survey, filed_on=filed, filed_by_name=filer, content=content, created_by=actor,
            created_at=clock.now(),
        )
        survey.state, survey.updated_at = SurveyRecordState.OBJECTED, clock.now()
        survey.save(update_fields=["state", "updated_at"])
        _sync_household_state(household, survey)
        audit.record(
            actor=actor, action="survey.objection", obj=objection, before=before,
            after=audit.snapshot(objection, OBJECTION_FIELDS), jurisdiction_path=household.village.path,
        )
    return objection


def objection_resolve(
    *, actor: User, objection: SurveyObjection, outcome: str, resolved_on: date | str, resolution: str,
    surveyors: str = "",
) -> SurveyObjection:
    """Review an objection. Wrong or missing → re-survey, a new version for the household to
    sign; correct → the review result is served and the survey stands as confirmed
    ("复核结果无误…视为确认到位", putian-2014 (二))."""
    outcome = _choice(outcome, ObjectionOutcome, "outcome", "复核结果")
    if outcome == ObjectionOutcome.PENDING:
        raise InvalidInput("请选择复核结果。", field="outcome")
    resolved = _date(resolved_on, "resolved_on", "复核日期")
    resolution = _text(resolution, "resolution", "复核意见", 5000, required=True)
    with transaction.atomic():
        survey, household = _locked_survey(actor, objection.survey)
        objection = SurveyObjection.objects.select_for_update().get(pk=objection.pk)
        if objection.outcome != ObjectionOutcome.PENDING:
            raise GateClosed("该异议已作出复核结论。", clause=CLAUSE_SURVEY)
        if resolved < objection.filed_on:
            raise InvalidInput(f"复核日期不能早于异议提出日期（{objection.filed_on}）。", field="resolved_on")
        before = audit.snapshot(objection, OBJECTION_FIELDS)
        objection.outcome, objection.resolved_on, objection.resolution = outcome, resolved, resolution
        objection.save(update_fields=["outcome", "resolved_on", "resolution"])
        audit.record(
            actor=actor, action="survey.objection_resolve", obj=objection, before=before,
            after=audit.snapshot(objection, OBJECTION_FIELDS), jurisdiction_path=household.village.path,
        )
        if survey.objections.filter(outcome=ObjectionOutcome.PENDING).exists():
            return objection
        if outcome == ObjectionOutcome.RESURVEY or survey.objections.filter(outcome=ObjectionOutcome.RESURVEY).exists():
            _supersede(actor, survey, household)
            new = _new_survey(actor, household, resolved, surveyors or survey.surveyors)
            _sync_household_state(household, new)
            audit.record(
                actor=actor, action="survey.record", obj=new, after=audit.snapshot(new, SURVEY_FIELDS),
                reason="异议复核：重新调查", jurisdiction_path=household.village.path,
            )
        else:
            before_survey = audit.snapshot(survey, SURVEY_FIELDS)
            survey.state, survey.confirmed_on = SurveyRecordState.CONFIRMED, resolved
            survey.confirmation_basis, survey.clause = ConfirmationBasis.REVIEWED, CLAUSE_SURVEY
            survey.updated_at = clock.now()
            survey.save()
            _sync_household_state(household, survey)
            audit.record(
                actor=actor, action="survey.confirm", obj=survey, before=before_survey,
                after=audit.snapshot(survey, SURVEY_FIELDS), reason="复核无误，视为确认到位",
                jurisdiction_path=household.village.path,
            )
    return objection


def survey_close_windows(*, actor: User | None = None, today: date | None = None) -> list[SurveyRecord]:
    """Close every objection window that has ended with no objection (idempotent).

    Signed → confirmed; refused to sign and no objection → deemed confirmed (putian-2014 (二):
    "无异议又拒绝签字确认的，视为确认到位"). A window whose end is provisional (its calendar
    year not loaded) is recomputed first and never closed while it stays provisional.
    """
    if actor is not None:
        require(actor, "survey.close")
    today = today or clock.today()
    calendar = worktime.work_calendar()
    closed: list[SurveyRecord] = []
    candidates = SurveyRecord.objects.filter(state=SurveyRecordState.WINDOW_OPEN).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            survey = SurveyRecord.objects.select_for_update().select_related("household__village").get(pk=pk)
            if survey.state != SurveyRecordState.WINDOW_OPEN or survey.window_start is None:
                continue
            path = survey.household.village.path
            if actor is not None and not _in_scope(actor, path):
                continue
            window = worktime.objection_window(survey.window_start, calendar)
            before = audit.snapshot(survey, SURVEY_FIELDS)
            changed = (window.due, window.provisional) != (survey.window_due, survey.window_provisional)
            survey.window_due, survey.window_provisional = window.due, window.provisional
            if window.provisional or window.due >= today:
                if changed:
                    survey.save(update_fields=["window_due", "window_provisional"])
                    audit.record(actor=actor, action="survey.window_recompute", obj=survey, before=before,
                                 after=audit.snapshot(survey, SURVEY_FIELDS), jurisdiction_path=path)
                continue
            survey.state = SurveyRecordState.CONFIRMED
            survey.confirmed_on = window.due
            survey.confirmation_basis = ConfirmationBasis.DEEMED if survey.refused else ConfirmationBasis.SIGNED
            survey.clause = CLAUSE_SURVEY
            survey.updated_at = clock.now()
            survey.save()
            _sync_household_state(survey.household, survey)
            audit.record(
                actor=actor, action="survey.confirm", obj=survey, before=before,
                after=audit.snapshot(survey, SURVEY_FIELDS),
                reason=("拒绝签字且异议期内未提出异议，视为确认到位" if survey.refused else "异议期届满无异议"),
                jurisdiction_path=path,
            )
            closed.append(survey)
    return closed
