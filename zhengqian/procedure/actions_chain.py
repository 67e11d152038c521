"""The forced-vacate chain for a household without agreement and its court dossier.

yongzhou-linkage 五(一)5: 补偿告知书（7个工作日）→ 补偿决定书（10日内）→ 限期腾地通知书（7个工作日）
→ 限期腾地决定书（10日内）→ 履行行政决定催告书（6个月后）→ 申请人民法院强制执行; putian-2014 (八):
a social stability risk assessment and resettlement in place before the order to hand over
land. The steps, periods and gates are the pack's; each document is numbered, generated,
served (date, method, proof) and each period runs from its service date.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string

from zhengqian.core import audit, clock
from zhengqian.core.evidence import evidence_read
from zhengqian.core.models import EvidenceFile, Role, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.policy import EVIDENCE_KINDS
from zhengqian.households.models import Household, SurveyRecord

from . import documents, engine
from .actions_documents import issue_in_context
from .actions_steps import check_visible, open_context, parse_date, text
from .models import DocumentEvidence, ProcedureDocument, ProcedureStep, StepScope, StepStatus


def _office_only(actor: User, what: str) -> None:
    require(actor, "procedure.act")
    if actor.role == Role.TOWNSHIP_CLERK:
        raise PermissionDenied(f"{what}由区征地办办理。")


def chain_start(*, actor: User, household: Household, reason: str) -> list[ProcedureStep]:
    """Start the chain for a household that has not signed (实施条例 第三十一条 "对个别未达成
    征地补偿安置协议的应当作出征地补偿安置决定"; yongzhou-linkage 五(一)5 "对拒不腾地的启动限期腾地程序")."""
    _office_only(actor, "启动限期腾地程序")
    project = household.project
    check_visible(actor, project, household)
    reason = text(reason, "reason", "启动理由", 2000, required=True)
    with transaction.atomic():
        context = open_context(project, household)
        pack = context.pack
        chain = pack.steps_for(StepScope.FORCED_VACATE)
        if not chain:
            raise GateClosed(f"政策包 {pack.code} 没有限期腾地程序")
        clause = chain[0].citation.label
        announcement = context.rows.get("expropriation_announcement")
        if announcement is None or announcement.status != StepStatus.DONE:
            raise GateClosed("不能启动限期腾地程序：尚未发布征收土地公告", clause=clause)
        agreement = context.rows.get("agreement_signed")
        if agreement is not None and agreement.status == StepStatus.DONE:
            raise InvalidInput(
                f"该户已于 {agreement.done_on} 签订补偿安置协议，不能启动限期腾地程序。",
                clause=clause,
                field="household",
            )
        if any(row.scope == StepScope.FORCED_VACATE for row in context.rows.values()):
            raise InvalidInput("该户的限期腾地程序已经启动。", field="household")
        engine.ensure_chain_steps(context.household, pack)  # type: ignore[arg-type]
        engine.refresh_household(context.household, pack)  # type: ignore[arg-type]
        rows = list(ProcedureStep.objects.filter(household=household, scope=StepScope.FORCED_VACATE))
        audit.record(
            actor=actor,
            action="procedure.chain.start",
            obj=context.household,
            after={"steps": [row.code for row in rows]},
            reason=reason,
            jurisdiction_path=context.path,
            object_label=f"{household} 限期腾地程序",
        )
    return rows


def chain_document_issue(
    *, actor: User, household: Household, code: str, issued_on: date | str, extra_text: str = ""
) -> ProcedureDocument:
    """Number and generate the next chain document; refused (with the clause) when its period
    has not run or its gates are closed on ``issued_on``."""
    _office_only(actor, "制作限期腾地程序文书")
    if code not in documents.CHAIN_KINDS:
        raise InvalidInput(f"{code} 不是限期腾地程序文书。", field="code")
    project = household.project
    check_visible(actor, project, household)
    day = parse_date(issued_on, "issued_on", "成文日期")
    extra_text = text(extra_text, "extra_text", "补充内容", 4000)
    with transaction.atomic():
        context = open_context(project, household)
        if code not in context.rows:
            raise GateClosed(
                "该户的限期腾地程序尚未启动",
                clause=context.pack.step(code).citation.label if context.pack.has_step(code) else "",
            )
        return issue_in_context(context, actor=actor, kind=code, issued_on=day, extra_text=extra_text)


# --------------------------------------------------------------------------- the court dossier


@dataclass(frozen=True)
class Dossier:
    zip_bytes: bytes
    pdf_bytes: bytes
    manifest: dict[str, Any]
    filename: str


def _rendered(html: str) -> Any:
    from weasyprint import HTML

    return HTML(string=html).render()


def dossier_export(*, actor: User, household: Household) -> Dossier:
    """The household's full dossier for the court: survey versions, notices, chain documents,
    service evidence, every step with its evidence — one PDF, and a ZIP of the PDF, each
    document, each evidence file and ``manifest.json`` with their SHA-256 (putian-2014 (九))."""
    require(actor, "procedure.act")
    project = household.project
    check_visible(actor, project, household)
    pack = engine.pack_of(project)
    household = Household.objects.select_related("project", "project__district", "village").get(pk=household.pk)
    surveys = list(SurveyRecord.objects.filter(household=household).order_by("version"))
    steps = list(
        ProcedureStep.objects.filter(household=household)
        .select_related("done_by")
        .prefetch_related("evidence__file")
        .order_by("order", "code")
    )
    notices = list(
        ProcedureDocument.objects.filter(
            project=project, household__isnull=True, published_on__isnull=False
        ).select_related("pdf")
    )
    own = list(ProcedureDocument.objects.filter(household=household).select_related("pdf").order_by("issued_on", "id"))
    doc_evidence = list(DocumentEvidence.objects.filter(document__in=own).select_related("file", "document"))
    files: list[tuple[str, bytes, str]] = []
    seen: set[str] = set()

    def add(path: str, content: bytes, description: str) -> None:
        if path not in seen:
            seen.add(path)
            files.append((path, content, description))

    for document in [*notices, *own]:
        add(f"documents/{document.number}.pdf", evidence_read(document.pdf), f"{document.title} {document.number}")
    evidence: list[tuple[str, EvidenceFile, str]] = []
    for step in steps:
        for item in step.evidence.all():
            evidence.append(
                (item.kind, item.file, pack.step(step.code).name if pack.has_step(step.code) else step.code)
            )
    for item in doc_evidence:
        evidence.append((item.kind, item.file, f"{item.document.number}"))
    for kind, file, what in evidence:
        add(
            f"evidence/{file.sha256[:16]}-{file.original_name}",
            evidence_read(file),
            f"{EVIDENCE_KINDS.get(kind, kind)}：{what}",
        )
    for survey in surveys:
        body = json.dumps(
            {
                "version": survey.version,
                "surveyed_on": survey.surveyed_on,
                "state": survey.state,
                "confirmed_on": survey.confirmed_on,
                "summary": survey.summary,
            },
            ensure_ascii=False,
            indent=2,
            default=str,
        ).encode("utf-8")
        add(f"survey/survey-v{survey.version}.json", body, f"现状调查记录 第 {survey.version} 版")
    index = [
        {"path": path, "sha256": audit_sha(content), "size": len(content), "description": description}
        for path, content, description in files
    ]
    cover = render_to_string(
        "procedure/dossier.html",
        {
            "household": household,
            "project": project,
            "pack": pack,
            "surveys": surveys,
            "steps": [(pack.step(row.code) if pack.has_step(row.code) else None, row) for row in steps],
            "documents": [*notices, *own],
            "index": index,
            "generated_at": clock.now(),
            "actor": actor,
        },
    )
    rendered = [_rendered(cover)] + [_rendered(document.html) for document in [*notices, *own]]
    pages = [page for item in rendered for page in item.pages]
    pdf = rendered[0].copy(pages).write_pdf()
    stamp = clock.now().astimezone(clock.LOCAL_ZONE)
    manifest = {
        "household": {"code": household.code, "head_name": household.head_name},
        "project": {
            "code": project.code,
            "name": project.name,
            "policy_pack": pack.code,
            "pack_fingerprint": pack.fingerprint,
        },
        "generated_at": stamp.isoformat(),
        "generated_by": actor.username,
        "files": [
            {"path": "dossier.pdf", "sha256": audit_sha(pdf), "size": len(pdf), "description": "卷宗（合订本）"},
            *index,
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        when = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
        for path, content in [("dossier.pdf", pdf), *((p, c) for p, c, _ in files)]:
            archive.writestr(zipfile.ZipInfo(path, date_time=when), content)
        body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        archive.writestr(zipfile.ZipInfo("manifest.json", date_time=when), body)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="procedure.dossier.export",
            obj=household,
            after={"manifest_sha256": audit_sha(body), "files": len(manifest["files"])},
            jurisdiction_path=household.village.path,
            object_label=f"{household} 卷宗",
        )
    return Dossier(buffer.getvalue(), pdf, manifest, f"{project.code}-{household.code}-卷宗")


def audit_sha(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()
