from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from zhengqian.domain.calendar import MAX_YEAR, MIN_YEAR
from zhengqian.domain.errors import CalendarError
from zhengqian.domain.policy import Citation, PolicyPack
from zhengqian.projects.selectors import project_get

from . import selectors

router = Router(tags=["法定时限与政策"])


class OfficialDayOut(Schema):
    day: date
    kind: str
    name: str


class CalendarYearOut(Schema):
    year: int
    loaded: bool
    source_notice: str
    loaded_at: datetime | None
    days: list[OfficialDayOut]


class DeadlineIn(Schema):
    start: date
    unit: str
    count: int


class DeadlineOut(Schema):
    start: date
    unit: str
    count: int
    rule: str
    due: date
    provisional: bool
    unloaded_years: list[int]


class CitationOut(Schema):
    document: str
    clause: str
    quote: str
    label: str


class StepOut(Schema):
    code: str
    name: str
    scope: str
    order: int
    actor: str
    requires: list[str]
    evidence: list[str]
    optional: bool
    citation: CitationOut


class DeadlineRuleOut(Schema):
    code: str
    name: str
    anchor: str
    target: str
    rule: str
    unit: str
    count: int
    kind: str
    starts_after: str | None
    citation: CitationOut


class GateOut(Schema):
    code: str
    name: str
    step: str
    requires: str
    message: str
    citation: CitationOut


class ThresholdOut(Schema):
    code: str
    name: str
    value: str
    unit: str
    comparison: str
    display: str
    citation: CitationOut


class RuleOut(Schema):
    code: str
    name: str
    text: str
    value: str
    citation: CitationOut


class PolicySummaryOut(Schema):
    code: str
    name: str
    document: str
    document_title: str
    version: str
    extends: str | None
    fingerprint: str


class PolicyOut(PolicySummaryOut):
    lineage: list[str]
    steps: list[StepOut]
    deadlines: list[DeadlineRuleOut]
    gates: list[GateOut]
    thresholds: list[ThresholdOut]
    rules: list[RuleOut]


class NotFoundOut(Schema):
    detail: str


class ScheduledDateOut(Schema):
    deadline_code: str
    name: str
    anchor: str
    anchor_date: date
    target: str
    due: date
    provisional: bool
    kind: str
    rule: str
    starts_after: str | None
    citation: CitationOut


class ScheduleOut(Schema):
    project_id: int
    policy_pack: str
    known: dict[str, date]
    unloaded_years: list[int]
    items: list[ScheduledDateOut]


def _citation(citation: Citation) -> dict[str, str]:
    return {"document": citation.document, "clause": citation.clause, "quote": citation.quote, "label": citation.label}


def _summary(pack: PolicyPack) -> dict[str, object]:
    return {
        "code": pack.code, "name": pack.name, "document": pack.document, "document_title": pack.document_title,
        "version": pack.version, "extends": pack.extends, "fingerprint": pack.fingerprint,
    }


def _pack(pack: PolicyPack) -> dict[str, object]:
    return {
        **_summary(pack),
        "lineage": list(pack.lineage),
        "steps": [
            {
                "code": s.code, "name": s.name, "scope": s.scope, "order": s.order, "actor": s.actor,
                "requires": list(s.requires), "evidence": list(s.evidence), "optional": s.optional,
                "citation": _citation(s.citation),
            }
            for s in pack.steps
        ],
        "deadlines": [
            {
                "code": d.code, "name": d.name, "anchor": d.anchor, "target": d.target, "rule": str(d.rule),
                "unit": str(d.rule.unit), "count": d.rule.count, "kind": d.kind, "starts_after": d.starts_after,
                "citation": _citation(d.citation),
            }
            for d in pack.deadlines
        ],
        "gates": [
            {
                "code": g.code, "name": g.name, "step": g.step, "requires": g.requires, "message": g.message,
                "citation": _citation(g.citation),
            }
            for g in pack.gates
        ],
        "thresholds": [
            {
                "code": t.code, "name": t.name, "value": str(t.value), "unit": t.unit, "comparison": t.comparison,
                "display": t.display, "citation": _citation(t.citation),
            }
            for t in pack.thresholds
        ],
        "rules": [
            {"code": r.code, "name": r.name, "text": r.text, "value": r.value, "citation": _citation(r.citation)}
            for r in pack.rules
        ],
    }


@router.get("/calendar/{year}", response=CalendarYearOut, summary="某年的官方日（放假、调休上班）")
def calendar_year(request: HttpRequest, year: int) -> dict[str, object]:
    """A year that is not loaded answers ``loaded: false`` and no days: holidays are never guessed."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(f"年度超出系统支持的范围（{MIN_YEAR}—{MAX_YEAR}）：{year}", field="year")
    row = selectors.calendar_year_get(year)
    days = selectors.official_days_of(year) if row else []
    return {
        "year": year,
        "loaded": row is not None,
        "source_notice": row.source_notice if row else "",
        "loaded_at": row.loaded_at if row else None,
        "days": [{"day": d.day, "kind": d.kind, "name": d.name} for d in days],
    }


@router.post("/deadlines", response=DeadlineOut, summary="推算期限截止日")
def deadline_compute(request: HttpRequest, payload: DeadlineIn) -> dict[str, object]:
    """``unit``: working_days / days / months (also working-days, 工作日, 日, 月). The start day is
    not counted; a last day on a rest day moves to the next working day (Civil Code arts. 200–203)."""
    result = selectors.due_date(start=payload.start, unit=payload.unit, count=payload.count)
    return {
        "start": result.start, "unit": str(result.rule.unit), "count": result.rule.count, "rule": str(result.rule),
        "due": result.due, "provisional": result.provisional, "unloaded_years": result.unloaded_years,
    }


@router.get("/policies", response=list[PolicySummaryOut], summary="政策包列表")
def policy_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_summary(pack) for _, pack, _ in selectors.policy_packs() if pack is not None]


@router.get("/policies/{code}", response={200: PolicyOut, 404: NotFoundOut}, summary="政策包详情（附条款和原文摘录）")
def policy_detail(request: HttpRequest, code: str) -> object:
    try:
        pack = selectors.policy_pack_get(code)
    except Http404 as missing:
        return Status(404, {"detail": str(missing)})
    return _pack(pack)


@router.get("/projects/{project_id}/schedule", response=ScheduleOut, summary="项目法定时限推算")
def project_schedule(request: HttpRequest, project_id: int) -> dict[str, object]:
    """Query parameters are step codes of the project's pack with the dates they were done,
    e.g. ``?approval=2026-12-20&notification=2026-11-02``."""
    project = project_get(user=request.user, pk=project_id)
    pack = selectors.policy_pack_get(project.policy_pack)
    known = selectors.parse_known_dates(pack, {key: request.GET.get(key, "") for key in request.GET})
    result = selectors.project_schedule(pack_code=pack.code, known=known)
    return {
        "project_id": project.pk,
        "policy_pack": pack.code,
        "known": result.known,
        "unloaded_years": result.unloaded_years,
        "items": [
            {
                "deadline_code": i.deadline_code, "name": i.name, "anchor": i.anchor, "anchor_date": i.anchor_date,
                "target": i.target, "due": i.due, "provisional": i.provisional, "kind": i.kind, "rule": str(i.rule),
                "starts_after": i.starts_after, "citation": _citation(i.citation),
            }
            for i in result.items
        ],
    }
