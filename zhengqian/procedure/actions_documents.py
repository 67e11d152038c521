"""Notices and served documents: numbered, generated (HTML + PDF), published or served.

Numbers run per project, per kind and per year without gaps: the counter row is locked
(``select_for_update``) while the next number is taken, inside the transaction that creates
the document, so a failed issue gives its number back and two clerks never share one.

Publishing a notice with the date and place of posting and a photo of the posting
(yongzhou-linkage 五(一)1 "张贴并拍照留存"; putian-2014 (九)) completes its step: the
publication date starts the dependent clocks. Serving a chain document (date, method, proof)
completes its step of the forced-vacate chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from django.db import transaction

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.documents.storage import store_rendered
from zhengqian.domain.errors import InvalidInput
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from . import documents
from .actions_steps import (
    Attach,
    Context,
    Upload,
    check_completion,
    check_visible,
    complete_in_context,
    mark_started,
    open_context,
    parse_date,
    require_act,
    store_uploads,
    text,
)
from .engine import pack_of
from .models import (
    DocumentCounter,
    DocumentEvidence,
    DocumentStatus,
    Hearing,
    ProcedureDocument,
    ServiceMethod,
    StepStatus,
)

DOC_FIELDS = ["status", "published_on", "posting_place", "served_on", "service_method", "served_to"]


def next_number(project: Project, kind: str, year: int) -> tuple[int, str]:
    """The next gap-free number of ``kind`` for ``project`` in ``year`` (caller's transaction)."""
    from zhengqian.documents.numbering import format_number, take_next

    seq = take_next(DocumentCounter, project=project, kind=kind, year=year)
    return seq, format_number(year, seq, prefix=f"{project.code}{documents.KINDS[kind].prefix}")


def _is_revision(context: Context, kind: str) -> bool:
    """A compensation plan re-announced after the hearing that a majority's objection made
    mandatory (实施条例 第二十八条): its step is done already; this is the revised plan."""
    if kind != "compensation_plan":
        return False
    row = context.rows.get("compensation_plan")
    hearing_row = context.rows.get("hearing")
    hearing = Hearing.objects.filter(project=context.project, triggered=True).first()
    return (
        row is not None
        and row.status == StepStatus.DONE
        and hearing is not None
        and hearing_row is not None
        and hearing_row.status == StepStatus.DONE
    )


def issue_in_context(
    context: Context,
    *,
    actor: User,
    kind: str,
    issued_on: date,
    registration_deadline: date | None = None,
    extra_text: str = "",
    precheck: bool = True,
) -> ProcedureDocument:
    """Number, render and store a document for ``kind`` (the step it completes)."""
    pack = context.pack
    if not pack.has_step(kind):
        raise InvalidInput(
            f"本项目适用的政策包（{pack.code}）没有“{documents.KINDS[kind].title}”这一步骤。", field="kind"
        )
    if issued_on > clock.today():
        raise InvalidInput(f"成文日期 {issued_on} 晚于今天。", field="issued_on")
    if precheck:
        # The law's order is checked when the document is made, not only when it is served:
        # a decision cannot even be drafted before the notice period has run.
        check_completion(context, kind, issued_on, pack.step(kind).evidence, actor=actor)
    seq, number = next_number(context.project, kind, issued_on.year)
    html = documents.render_html(
        pack=pack,
        project=context.project,
        kind=kind,
        number=number,
        issued_on=issued_on,
        household=context.household,
        registration_deadline=registration_deadline,
        extra_text=extra_text,
    )
    # Stored by SHA-256 and listed in the audit chain by the document service.
    pdf = store_rendered(
        actor=actor,
        content=documents.render_pdf(html),
        filename=f"{number}.pdf",
        kind=f"procedure.{kind}",
        title=documents.title_for(pack, kind),
        number=number,
        project=context.project,
        household=context.household,
        jurisdiction_path=context.path,
    ).file
    now = clock.now()
    document = ProcedureDocument.objects.create(
        project=context.project,
        household=context.household,
        kind=kind,
        step_code=kind,
        title=documents.title_for(pack, kind),
        year=issued_on.year,
        seq=seq,
        number=number,
        issued_on=issued_on,
        html=html,
        html_sha256=hashlib.sha256(html.encode("utf-8")).hexdigest(),
        pdf=pdf,
        registration_deadline=registration_deadline,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    mark_started(context, kind, issued_on)
    audit.record(
        actor=actor,
        action="procedure.document.issue",
        obj=document,
        after={
            "number": number,
            "kind": kind,
            "issued_on": issued_on,
            "pdf": pdf.sha256,
            "html_sha256": document.html_sha256,
        },
        jurisdiction_path=context.path,
        object_label=str(document),
    )
    return document


def notice_draft(
    *,
    actor: User,
    project: Project,
    kind: str,
    issued_on: date | str,
    registration_deadline: date | str | None = None,
    extra_text: str = "",
) -> ProcedureDocument:
    """Draft a notice (告知书, 公告) from its template with the project's data; refused when the
    law's order does not yet allow its step (no announcement before approval)."""
    if kind not in documents.NOTICE_KINDS:
        raise InvalidInput(f"未知的公告类型：{kind}", field="kind")
    pack = pack_of(project)
    if pack.has_step(kind):
        require_act(actor, pack, kind)
    check_visible(actor, project)
    day = parse_date(issued_on, "issued_on", "成文日期")
    deadline = (
        parse_date(registration_deadline, "registration_deadline", "补偿登记截止日")
        if registration_deadline not in (None, "")
        else None
    )
    if deadline is not None and deadline <= day:
        raise InvalidInput("补偿登记截止日应晚于成文日期。", field="registration_deadline")
    extra_text = text(extra_text, "extra_text", "补充内容", 4000)
    with transaction.atomic():
        context = open_context(project)
        revision = _is_revision(context, kind)
        return issue_in_context(
            context,
            actor=actor,
            kind=kind,
            issued_on=day,
            registration_deadline=deadline,
            extra_text=extra_text,
            precheck=not revision,
        )


def _locked_document(document: ProcedureDocument) -> ProcedureDocument:
    return (
        ProcedureDocument.objects.select_for_update(of=("self",))
        .select_related("project", "household", "pdf")
        .get(pk=document.pk)
    )


def _add_evidence(actor: User, document: ProcedureDocument, attached: Sequence[Attach]) -> None:
    now = clock.now()
    for item in attached:
        DocumentEvidence.objects.get_or_create(
            document=document, file=item.file, kind=item.kind, defaults={"added_by": actor, "added_at": now}
        )


def notice_publish(
    *,
    actor: User,
    document: ProcedureDocument,
    published_on: date | str,
    posting_place: str,
    photos: Sequence[Upload],
    others: Sequence[Upload] = (),
) -> ProcedureDocument:
    """Publish a notice: posted on ``published_on`` at ``posting_place`` with photos of the
    posting; completes its step on that date (the dependent clocks start from it)."""
    project = document.project
    pack = pack_of(project)
    require_act(actor, pack, document.step_code)
    check_visible(actor, project)
    if document.household_id is not None or document.kind not in documents.NOTICE_KINDS:
        raise InvalidInput("只有公告、告知书可以张贴公布；送达文书请登记送达。", field="document")
    day = parse_date(published_on, "published_on", "张贴/公布日期")
    place = text(posting_place, "posting_place", "张贴地点", 300, required=True)
    step = pack.step(document.step_code)
    if not photos:
        # yongzhou-linkage 五(一)1 "张贴，并拍照留存"; putian-2014 (九) 全程拍照录像固定证据.
        raise InvalidInput("张贴公告须拍照留存，请上传张贴现场照片。", clause=step.citation.label, field="photos")
    for upload in photos:
        if upload.kind != "photo":
            raise InvalidInput("张贴现场照片的证据类型应为照片。", field="photos")
    with transaction.atomic():
        context = open_context(project)
        document = _locked_document(document)
        if document.published_on is not None:
            raise InvalidInput(f"{document.number} 已于 {document.published_on} 张贴公布。", field="document")
        if day < document.issued_on:
            raise InvalidInput(f"张贴日期 {day} 早于成文日期 {document.issued_on}。", field="published_on")
        before = audit.snapshot(document, DOC_FIELDS)
        revision = _is_revision(context, document.kind)
        attached = store_uploads(actor, [*photos, *others], context.path)
        _add_evidence(actor, document, attached)
        if revision:
            if day > clock.today():
                raise InvalidInput(f"张贴日期 {day} 晚于今天。", field="published_on")
            hearing = Hearing.objects.select_for_update().get(project=project)
            hearing.revised_plan_published_on, hearing.updated_at = day, clock.now()
            hearing.save(update_fields=["revised_plan_published_on", "updated_at"])
        else:
            complete_in_context(
                context,
                actor=actor,
                code=document.step_code,
                done_on=day,
                attach=[Attach("document", document.pdf, document.number), *attached],
                note=f"{document.number} 于 {day} 在{place}张贴公布",
            )
        document.status, document.published_on, document.posting_place = DocumentStatus.PUBLISHED, day, place
        document.updated_at = clock.now()
        document.save()
        audit.record(
            actor=actor,
            action="procedure.document.publish",
            obj=document,
            before=before,
            after=audit.snapshot(document, DOC_FIELDS),
            jurisdiction_path=context.path,
            object_label=str(document),
            reason="修改后方案重新公告" if revision else "",
        )
    return document


def document_serve(
    *,
    actor: User,
    document: ProcedureDocument,
    served_on: date | str,
    method: str,
    served_to: str,
    proofs: Sequence[Upload],
) -> ProcedureDocument:
    """Record service of a chain document (送达: date, method, proof of service); completes its
    step on the service date, which starts the next period (yongzhou-linkage 五(一)5)."""
    project = document.project
    pack = pack_of(project)
    require_act(actor, pack, document.step_code)
    household: Household | None = document.household
    if household is None:
        raise InvalidInput("公告以张贴公布，不登记送达。", field="document")
    check_visible(actor, project, household)
    day = parse_date(served_on, "served_on", "送达日期")
    if method not in ServiceMethod.values:
        raise InvalidInput("请选择送达方式。", field="method")
    served_to = text(served_to, "served_to", "受送达人", 80, required=True)
    if not proofs:
        raise InvalidInput(
            "请上传送达回证或其他送达证明。", clause=pack.step(document.step_code).citation.label, field="proofs"
        )
    with transaction.atomic():
        context = open_context(project, household)
        document = _locked_document(document)
        if document.served_on is not None:
            raise InvalidInput(f"{document.number} 已于 {document.served_on} 送达。", field="document")
        if day < document.issued_on:
            raise InvalidInput(f"送达日期 {day} 早于成文日期 {document.issued_on}。", field="served_on")
        before = audit.snapshot(document, DOC_FIELDS)
        attached = store_uploads(
            actor, [Upload("service_proof", p.content, p.name, p.content_type) for p in proofs], context.path
        )
        _add_evidence(actor, document, attached)
        complete_in_context(
            context,
            actor=actor,
            code=document.step_code,
            done_on=day,
            attach=[Attach("document", document.pdf, document.number), *attached],
            note=f"{document.number} 于 {day} {ServiceMethod(method).label}，受送达人 {served_to}",
        )
        document.status, document.served_on, document.service_method = DocumentStatus.SERVED, day, method
        document.served_to, document.updated_at = served_to, clock.now()
        document.save()
        audit.record(
            actor=actor,
            action="procedure.document.serve",
            obj=document,
            before=before,
            after=audit.snapshot(document, DOC_FIELDS),
            jurisdiction_path=context.path,
            object_label=str(document),
        )
    return document
