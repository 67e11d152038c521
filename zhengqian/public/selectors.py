"""What the public may see (no login): published notices with their posting date, place, photos
and statutory periods (yongzhou-linkage 五(一)1; putian-2014 (一)(九)(十)), published publicity
lists with masked names and ID numbers (张*, 110***********1234; PIPL 最小必要), and — after a
successful self-lookup — one household's own file. Anything not published is Http404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from zhengqian.core import clock
from zhengqian.households.models import Household, SurveyRecordState
from zhengqian.projects.models import Project


def _published_notices() -> QuerySet[Any]:
    from zhengqian.procedure.models import ProcedureDocument

    return ProcedureDocument.objects.filter(household__isnull=True, published_on__isnull=False)


def _published_publicity() -> QuerySet[Any]:
    from zhengqian.compensation.models import PublicityList

    return PublicityList.objects.filter(published_on__isnull=False).exclude(status="draft")


def public_projects() -> QuerySet[Project]:
    notices = _published_notices().filter(project=OuterRef("pk"))
    lists = _published_publicity().filter(project=OuterRef("pk"))
    return (
        Project.objects.filter(Q(Exists(notices)) | Q(Exists(lists)))
        .select_related("district")
        .prefetch_related("townships")
        .order_by("code")
    )


def public_project(pk: Any) -> Project:
    project = public_projects().filter(pk=pk).first() if str(pk).isdigit() else None
    if project is None:
        raise Http404
    return project


@dataclass(frozen=True)
class Period:
    name: str
    rule: str
    clause: str
    due: date | None
    provisional: bool
    running: bool


def notice_periods(document: Any) -> list[Period]:
    """The periods that run from the notice's publication, with their last day."""
    from zhengqian.domain.deadlines import compute_deadline
    from zhengqian.legal.selectors import work_calendar
    from zhengqian.procedure.engine import pack_of

    pack = pack_of(document.project)
    calendar = work_calendar()
    today = clock.today()
    periods = []
    for deadline in pack.deadlines:
        if deadline.anchor != document.kind:
            continue
        result = compute_deadline(calendar, start=document.published_on, rule=deadline.rule,
                                  clause=deadline.citation.label)
        periods.append(Period(deadline.name, str(deadline.rule), deadline.citation.label, result.due,
                              result.provisional, result.due >= today))
    return periods


def notices_of(project: Project) -> list[Any]:
    return list(_published_notices().filter(project=project).order_by("-published_on", "-id"))


def notice_get(pk: Any) -> Any:
    document = (
        _published_notices().select_related("project__district").filter(pk=pk).first() if str(pk).isdigit() else None
    )
    if document is None:
        raise Http404
    return document


def notice_photos(document: Any) -> list[Any]:
    return list(document.evidence.filter(kind="photo").select_related("file").order_by("id"))


def photo_get(pk: Any) -> Any:
    """A posting photo of a published notice; nothing else in the evidence store is public."""
    from zhengqian.procedure.models import DocumentEvidence

    item = (
        DocumentEvidence.objects.filter(pk=pk, kind="photo", document__in=_published_notices())
        .select_related("file").first()
        if str(pk).isdigit() else None
    )
    if item is None:
        raise Http404
    return item


def publicity_of(project: Project) -> list[Any]:
    return list(_published_publicity().filter(project=project).select_related("village").order_by("-published_on"))


def publicity_get(pk: Any) -> Any:
    item = (
        _published_publicity().select_related("project", "village", "standard").filter(pk=pk).first()
        if str(pk).isdigit() else None
    )
    if item is None:
        raise Http404
    return item


def publicity_rows(publicity: Any) -> list[dict[str, Any]]:
    """Only the masked columns leave the database: 户编号, 张*, 110***********1234, persons, total."""
    return list(
        publicity.entries.order_by("household_code").values(
            "household_code", "head_name_masked", "id_number_masked", "resettled_persons", "total"
        )
    )


# --- a household's own file (after a successful lookup) ---------------------------------------


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices.choices).get(value, value))


def _survey_items(survey: Any) -> list[str]:
    """The survey result the household signed, in words (from its summary)."""
    from zhengqian.households.landclass import land_class_label
    from zhengqian.households.models import AttachmentKind, Structure, Unit

    if survey is None:
        return []
    summary = survey.summary or {}
    items = [f"地块 {p['code']}：{land_class_label(p['land_class'])} {p['area']} 平方米"
             for p in summary.get("parcels", [])]
    items += [f"房屋 {b['code']}：{_label(Structure, b['structure'])} {b['floor_area']} 平方米"
              for b in summary.get("buildings", [])]
    items += [f"附着物 {a['code']}：{_label(AttachmentKind, a['kind'])} {a['quantity']} {_label(Unit, a['unit'])}"
              for a in summary.get("attachments", [])]
    items += [f"青苗 {c['code']}：{c['kind']} {c['quantity']} {_label(Unit, c['unit'])}"
              for c in summary.get("crops", [])]
    return items


def household_file(household: Household) -> dict[str, Any]:
    """Survey result, valuation lines, agreements, payments and their state, resettlement
    choice and clocks of one household — nothing about any other household."""
    from zhengqian.compensation.models import Agreement, Valuation
    from zhengqian.domain.compensation import CATEGORIES, PAYEES
    from zhengqian.funds.models import Payment
    from zhengqian.procedure.engine import pack_of
    from zhengqian.procedure.models import ProcedureStep

    today = clock.today()
    survey = household.surveys.exclude(state=SurveyRecordState.SUPERSEDED).order_by("-version").first()
    valuation = Valuation.objects.filter(household=household, is_current=True).first()
    lines = []
    if valuation is not None:
        lines = [
            {"category": CATEGORIES.get(line.category, line.category), "description": line.description,
             "formula": line.formula, "amount": line.amount, "payee": PAYEES.get(line.payee, line.payee),
             "clause": line.clause, "excluded_reason": line.excluded_reason}
            for line in valuation.lines.all()
        ]
    agreements = list(Agreement.objects.filter(household=household).order_by("year", "serial"))
    payments = list(Payment.objects.filter(household=household).exclude(state="cancelled").order_by("id"))
    pack = pack_of(household.project)
    steps = []
    for row in ProcedureStep.objects.filter(household=household).order_by("order", "id"):
        name = pack.step(row.code).name if pack.has_step(row.code) else row.code
        steps.append({"name": name, "status": row.get_status_display(), "started_on": row.started_on,
                      "done_on": row.done_on})
    clocks = []
    if survey is not None and survey.window_due and survey.state == SurveyRecordState.AWAITING_SIGNATURE:
        clocks.append({"name": "调查结果异议期", "due": survey.window_due, "days": (survey.window_due - today).days,
                       "clause": survey.clause})
    for agreement in agreements:
        if agreement.payment_due:
            paid = all(p.state == "paid" for p in payments if p.agreement_id == agreement.pk) and any(
                p.agreement_id == agreement.pk for p in payments)
            clocks.append({"name": f"协议 {agreement.number} 足额支付期限", "due": agreement.payment_due,
                           "days": (agreement.payment_due - today).days, "clause": agreement.payment_clause,
                           "done": paid})
    return {
        "household": household, "project": household.project, "survey": survey, "items": _survey_items(survey),
        "valuation": valuation,
        "lines": lines, "agreements": agreements, "payments": payments, "steps": steps, "clocks": clocks,
        "resettlement": agreements[-1].get_resettlement_choice_display() if agreements else "",
    }
