"""Facts the gates read (policy ``FACTS``): recorded by a person with evidence
(``fact_record``), or set from real data by another app (``project_fact_set``: the funds
ledger hands over 前置资金, 专户, 社保资金, 足额支付 — banan-2015 五, putian-2014 (七)(十五)).
A fact the ledger has set is no longer recorded by hand."""

from __future__ import annotations

from django.db import transaction

from zhengqian.core import audit, clock
from zhengqian.core.models import EvidenceFile, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.policy import FACTS
from zhengqian.projects.models import Project

from . import engine
from .actions_steps import Upload, check_visible, store_uploads, text
from .models import FactSource, ProjectFact

FIELDS = ["code", "value", "evidence", "reason", "source"]


def fact_record(
    *,
    actor: User,
    project: Project,
    code: str,
    value: bool,
    reason: str,
    upload: Upload | None = None,
    evidence: EvidenceFile | None = None,
) -> ProjectFact:
    """Record a fact a gate reads ("funds in place", "pledge signed"…), with its evidence."""
    require(actor, "procedure.fact")
    check_visible(actor, project)
    if code not in FACTS:
        raise InvalidInput(f"未知的事实：{code}", field="code")
    if code in engine.DERIVED_FACTS:
        raise InvalidInput(f"“{FACTS[code]}”由各户的支付记录得出，不能直接登记。", field="code")
    if ProjectFact.objects.filter(project=project, code=code, source=FactSource.FUNDS).exists():
        raise InvalidInput(f"“{FACTS[code]}”已由资金台账确定，不能人工登记。", field="code")
    if ProjectFact.objects.filter(project=project, code=code, source=FactSource.RESETTLEMENT).exists():
        raise InvalidInput(f"“{FACTS[code]}”已由安置台账确定，不能人工登记。", field="code")
    reason = text(reason, "reason", "依据说明", 2000, required=True)
    if value and upload is None and evidence is None:
        raise InvalidInput("登记事实成立须附证明文件（如到账凭证、审批记录、承诺书）。", field="file")
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("district").get(pk=project.pk)
        if upload is not None:
            evidence = store_uploads(actor, [upload], project.district.path)[0].file
        fact = ProjectFact.objects.filter(project=project, code=code).first()
        fields = FIELDS
        before = audit.snapshot(fact, fields) if fact else None
        if fact is None:
            fact = ProjectFact(project=project, code=code)
        fact.value, fact.evidence, fact.reason, fact.source = bool(value), evidence, reason, FactSource.MANUAL
        fact.recorded_by, fact.recorded_at = actor, clock.now()
        fact.save()
        audit.record(
            actor=actor,
            action="procedure.fact.record",
            obj=fact,
            before=before,
            after=audit.snapshot(fact, fields),
            reason=reason,
            jurisdiction_path=project.district.path,
            object_label=f"{project.code} {FACTS[code]}",
        )
    return fact


def project_fact_set(
    *, actor: User | None, project: Project, fact: str, value: bool, source: str = "funds"
) -> ProjectFact:
    """Set a fact from another app's data (inside that app's transaction; its own action has
    checked the actor's role). Audited when the value changes."""
    if fact not in FACTS:
        raise InvalidInput(f"未知的事实：{fact}", field="fact")
    if source not in FactSource.values or source == FactSource.MANUAL:
        raise InvalidInput(f"未知的事实来源：{source}", field="source")
    with transaction.atomic():
        row = ProjectFact.objects.select_for_update().filter(project=project, code=fact).first()
        if row is not None and row.value == bool(value) and row.source == source:
            return row
        before = audit.snapshot(row, FIELDS) if row else None
        if row is None:
            row = ProjectFact(project=project, code=fact)
        row.value, row.source, row.evidence = bool(value), source, None
        row.reason = f"由{FactSource(source).label}计算"
        row.recorded_by_id = actor.pk if actor is not None else project.created_by_id
        row.recorded_at = clock.now()
        row.save()
        path = Project.objects.select_related("district").get(pk=project.pk).district.path
        audit.record(
            actor=actor,
            action="procedure.fact.set",
            obj=row,
            before=before,
            after=audit.snapshot(row, FIELDS),
            reason=row.reason,
            jurisdiction_path=path,
            object_label=f"{project.code} {FACTS[fact]}",
        )
    return row
