"""Reads of the household register, scoped: an object is visible when its village lies in the
user's jurisdiction subtree and its project is visible (design §5); otherwise Http404."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from zhengqian.core import clock, crypto
from zhengqian.core.models import AuditEvent, User
from zhengqian.core.selectors import scope_q
from zhengqian.projects.models import Project
from zhengqian.projects.selectors import projects_for

from . import worktime
from .models import (
    Attachment,
    Building,
    Crop,
    CutoffFlag,
    EvidenceLink,
    Household,
    HouseholdMember,
    Parcel,
    RegisterFreeze,
    SurveyObjection,
    SurveyRecord,
    SurveyRecordState,
)

_ID_LIKE = re.compile(r"^[0-9A-Za-z]{15,18}$")


def _visible_projects(user: User) -> QuerySet[Project]:
    return projects_for(user=user).order_by().values("pk")  # type: ignore[return-value]


def with_member_count(households: QuerySet[Household]) -> QuerySet[Household]:
    """Annotate `member_count` with a correlated count per row: unlike Count("members") it needs no
    GROUP BY over the whole filtered set, so a page of 20 costs 20 index look-ups (bench/household_list.py)."""
    per_household = (
        HouseholdMember.objects.filter(household_id=OuterRef("pk")).order_by().values("household_id")
        .annotate(n=Count("pk")).values("n")
    )
    return households.annotate(member_count=Coalesce(Subquery(per_household, output_field=IntegerField()), 0))


def households_for(
    *,
    user: User,
    project_id: int | None = None,
    search: str = "",
    village_id: int | None = None,
    survey_state: str = "",
    status: str = "",
    flagged: bool = False,
) -> QuerySet[Household]:
    qs = Household.objects.filter(scope_q(user, "village__path"), project__in=_visible_projects(user)).select_related(
        "project", "village", "group"
    )
    if project_id:
        qs = qs.filter(project_id=project_id)
    if village_id:
        qs = qs.filter(village_id=village_id)
    if survey_state:
        qs = qs.filter(survey_state=survey_state)
    if status:
        qs = qs.filter(status=status)
    if search:
        members = HouseholdMember.objects.filter(household_id=OuterRef("pk"))
        match = (
            Q(code__icontains=search)
            | Q(head_name__icontains=search)
            | Q(contract_certificate_no__icontains=search)
            | Q(address__icontains=search)
            | Exists(members.filter(name__icontains=search))
        )
        if _ID_LIKE.match(search):
            # Exact ID lookups go through the HMAC column; the number itself is never stored.
            match |= Exists(members.filter(id_number_hash=crypto.lookup_hash(search)))
        qs = qs.filter(match)
    if flagged:
        flagged_items = Q()
        for model in (Building, Attachment, Crop):
            items = model.objects.filter(household_id=OuterRef("pk")).exclude(cutoff_flag=CutoffFlag.NONE)
            flagged_items |= Exists(items)
        qs = qs.filter(flagged_items)
    return qs.order_by("project_id", "code")


def household_get(*, user: User, pk: Any) -> Household:
    try:
        return households_for(user=user).get(pk=int(pk))
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404("该户不存在") from None


def household_detail(*, user: User, pk: Any) -> Household:
    """A household with everything its detail page shows, in a fixed number of queries."""
    household = household_get(user=user, pk=pk)
    return (
        Household.objects.filter(pk=household.pk)
        .select_related("project", "village", "group", "bank_account_holder")
        .prefetch_related(
            "members",
            Prefetch("parcels", queryset=Parcel.objects.order_by("code")),
            Prefetch("buildings", queryset=Building.objects.select_related("parcel").order_by("code")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("parcel").order_by("code")),
            Prefetch("crops", queryset=Crop.objects.select_related("parcel").order_by("code")),
            Prefetch(
                "surveys",
                queryset=SurveyRecord.objects.prefetch_related("objections").order_by("-version"),
            ),
            Prefetch("evidence_links", queryset=EvidenceLink.objects.select_related("file", "content_type")),
        )
        .get()
    )


def _scoped(model: Any, user: User, path_field: str) -> QuerySet[Any]:
    return model.objects.filter(scope_q(user, path_field), project__in=_visible_projects(user))


def member_get(*, user: User, pk: Any) -> HouseholdMember:
    return _get(_scoped(HouseholdMember, user, "household__village__path").select_related("household"), pk, "成员")


def parcels_for(*, user: User, project_id: int | None = None, search: str = "") -> QuerySet[Parcel]:
    qs = _scoped(Parcel, user, "village__path").select_related("project", "village", "household")
    if project_id:
        qs = qs.filter(project_id=project_id)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(household__code__icontains=search))
    return qs.order_by("project_id", "code")


def parcel_get(*, user: User, pk: Any) -> Parcel:
    return _get(parcels_for(user=user), pk, "地块")


def building_get(*, user: User, pk: Any) -> Building:
    return _get(_scoped(Building, user, "household__village__path").select_related("household", "project"), pk, "房屋")


def attachment_get(*, user: User, pk: Any) -> Attachment:
    qs = _scoped(Attachment, user, "household__village__path").select_related("household", "project")
    return _get(qs, pk, "附着物")


def crop_get(*, user: User, pk: Any) -> Crop:
    return _get(_scoped(Crop, user, "household__village__path").select_related("household", "project"), pk, "青苗")


ITEM_GETTERS = {"parcel": parcel_get, "building": building_get, "attachment": attachment_get, "crop": crop_get}


def survey_get(*, user: User, pk: Any) -> SurveyRecord:
    qs = _scoped(SurveyRecord, user, "household__village__path").select_related("household", "household__village")
    return _get(qs, pk, "调查记录")


def objection_get(*, user: User, pk: Any) -> SurveyObjection:
    qs = SurveyObjection.objects.filter(
        scope_q(user, "survey__household__village__path"), survey__project__in=_visible_projects(user)
    ).select_related("survey", "survey__household")
    return _get(qs, pk, "异议")


def evidence_link_get(*, user: User, pk: Any) -> EvidenceLink:
    return _get(_scoped(EvidenceLink, user, "jurisdiction_path").select_related("file"), pk, "证据")


def _get(qs: QuerySet[Any], pk: Any, label: str) -> Any:
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"{label}不存在") from None


def freeze_for(*, project: Project) -> RegisterFreeze | None:
    return RegisterFreeze.objects.filter(project=project).select_related("frozen_by").first()


def household_history(household: Household) -> QuerySet[AuditEvent]:
    """Events about the household and everything recorded under it, newest first."""
    related = Q(object_type="households.household", object_id=str(household.pk))
    children = {
        "households.householdmember": HouseholdMember.objects.filter(household=household),
        "households.building": Building.objects.filter(household=household),
        "households.attachment": Attachment.objects.filter(household=household),
        "households.crop": Crop.objects.filter(household=household),
        "households.parcel": Parcel.objects.filter(household=household),
        "households.surveyrecord": SurveyRecord.objects.filter(household=household),
        "households.surveyobjection": SurveyObjection.objects.filter(survey__household=household),
        "households.evidencelink": EvidenceLink.objects.filter(household=household),
    }
    ids: dict[str, list[str]] = {
        key: [str(pk) for pk in qs.values_list("pk", flat=True)] for key, qs in children.items()
    }
    # Removed members and items are no longer rows; their removal events name the household.
    gone = AuditEvent.objects.filter(
        Q(action__endswith=".remove") | Q(action__endswith=".delete"), object_type__startswith="households.",
        object_label__startswith=f"{household.code} ", jurisdiction_path=household.village.path,
    ).values_list("object_type", "object_id")
    for object_type, object_id in gone:
        ids.setdefault(object_type, []).append(object_id)
    for object_type, object_ids in ids.items():
        if object_ids:
            related |= Q(object_type=object_type, object_id__in=object_ids)
    return AuditEvent.objects.filter(related).select_related("actor").order_by("-seq")


# --- the survey board ---------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    household: Household
    survey: SurveyRecord | None
    working_days_left: int | None

    @property
    def window_label(self) -> str:
        survey = self.survey
        if survey is None or survey.window_due is None:
            return ""
        text = survey.window_due.isoformat()
        return f"{text}（暂定）" if survey.window_provisional else text


def board_households(
    *, user: User, project_id: int | None = None, survey_state: str = "", search: str = ""
) -> QuerySet[Household]:
    """Visible households with their current (not superseded) survey prefetched."""
    latest = SurveyRecord.objects.exclude(state=SurveyRecordState.SUPERSEDED).order_by("-version")
    households = households_for(user=user, project_id=project_id, survey_state=survey_state, search=search)
    return households.prefetch_related(Prefetch("surveys", queryset=latest, to_attr="current_surveys"))


def board_counts(*, user: User, project_id: int | None = None, search: str = "") -> dict[str, int]:
    rows = households_for(user=user, project_id=project_id, search=search).order_by().values("survey_state")
    return {row["survey_state"]: row["n"] for row in rows.annotate(n=Count("id"))}


def board_rows(households: Any, today: date | None = None) -> list[BoardRow]:
    """Each household with its current survey and the working days left in its window."""
    today = today or clock.today()
    calendar = worktime.work_calendar()
    rows = []
    for household in households:
        survey = household.current_surveys[0] if household.current_surveys else None
        left = None
        if survey is not None and survey.state == SurveyRecordState.WINDOW_OPEN and survey.window_due:
            left = worktime.working_days_left(survey.window_due, today, calendar)
        rows.append(BoardRow(household=household, survey=survey, working_days_left=left))
    return rows
