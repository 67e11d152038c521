"""Rendering through the document service: CJK PDF and Word, numbered, stored by SHA-256,
listed in the audit chain, scoped, template errors reported to staff; batches with progress."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib

import pytest

from zhengqian.core import clock
from zhengqian.core.evidence import evidence_read
from zhengqian.core.models import AuditEvent
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.documents import actions
from zhengqian.documents.models import JobStatus, RenderedDocument
from zhengqian.domain.errors import InvalidInput
from zhengqian.public.codes import lookup_code

pytestmark = pytest.mark.django_db


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with their Flate streams inflated (font names live in object streams)."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(out)


def test_household_notice_is_numbered_stored_and_audited(story, office_user):
    with clock.frozen("2026-03-03"):
        first = actions.document_render(actor=office_user, kind="household_notice", obj=story.household)
        second = actions.document_render(actor=office_user, kind="household_notice", obj=story.other)
    assert (first.number, second.number) == ("P-A-1查〔2026〕1号", "P-A-1查〔2026〕2号")
    pdf = evidence_read(first.file)
    assert pdf.startswith(b"%PDF") and first.file.sha256 == hashlib.sha256(pdf).hexdigest()
    assert b"CJK" in pdf_objects(pdf)  # a Noto CJK font is embedded
    assert first.household == story.household and first.project == story.household.project
    event = AuditEvent.objects.get(action="document.render", object_id=str(first.pk))
    assert event.after["sha256"] == first.file.sha256 and event.after["number"] == first.number


def test_household_notice_carries_the_lookup_code(story, office_user, monkeypatch):
    from zhengqian.documents import render

    seen = {}
    original = render.html_to_pdf

    def spy(html):
        seen["html"] = html
        return original(html)

    monkeypatch.setattr(render, "html_to_pdf", spy)
    actions.document_render(actor=office_user, kind="household_notice", obj=story.household)
    code = lookup_code(story.household.pk)
    assert f"{code[:4]}-{code[4:]}" in seen["html"] and "/public/lookup/" in seen["html"]
    assert "data:image/png;base64," in seen["html"]  # the QR code


@pytest.mark.parametrize("kind", ["agreement", "agreement_docx"])
def test_agreements_render_through_the_service(story, office_user, kind):
    document = actions.document_render(actor=office_user, kind=kind, obj=story.agreement)
    content = evidence_read(document.file)
    assert document.number == story.agreement.number
    if kind == "agreement":
        assert content.startswith(b"%PDF")
    else:
        with zipfile.ZipFile(io.BytesIO(content)) as docx:
            assert story.agreement.household.head_name in docx.read("word/document.xml").decode()


def test_other_kinds(story, office_user):
    for kind, obj in (("valuation_statement", story.agreement.valuation), ("publicity_list", story.publicity),
                      ("survey_sheet", story.household), ("notice_poster", story.notice)):
        document = actions.document_render(actor=office_user, kind=kind, obj=obj)
        assert evidence_read(document.file).startswith(b"%PDF"), kind


def test_wrong_object_scope_and_role_are_refused(story, office_user, clerk_b, make_user, district):
    with pytest.raises(InvalidInput, match="不能由"):
        actions.document_render(actor=office_user, kind="agreement", obj=story.household)
    with pytest.raises(InvalidInput, match="辖区"):
        actions.document_render(actor=clerk_b, kind="survey_sheet", obj=story.household)
    with pytest.raises(PermissionDeniedError):
        actions.document_render(actor=make_user("finance", "finance_officer", district), kind="survey_sheet",
                                obj=story.household)
    assert not RenderedDocument.objects.filter(kind="survey_sheet").exists()


def test_a_failed_numbered_render_leaves_no_gap(story, office_user, clerk_b):
    with pytest.raises(InvalidInput):
        actions.document_render(actor=clerk_b, kind="household_notice", obj=story.household)
    document = actions.document_render(actor=office_user, kind="household_notice", obj=story.household)
    assert document.number.endswith("〔2026〕1号")


def test_template_errors_are_reported_to_staff(story, office_user, monkeypatch):
    from django.template import TemplateSyntaxError

    from zhengqian.documents import render

    def broken(_obj):
        raise TemplateSyntaxError("Invalid block tag 'endfo'")

    monkeypatch.setitem(render.KINDS, "survey_sheet", render.Kind("survey_sheet", "调查确认表",
                                                                   "households.household", broken))
    with pytest.raises(InvalidInput, match="文书模板有误"):
        actions.document_render(actor=office_user, kind="survey_sheet", obj=story.household)


def test_batch_renders_every_agreement_with_progress(story, office_user, project_a):
    from zhengqian.compensation import actions as compensation

    with clock.frozen("2026-03-02T10:00:00"):
        compensation.agreement_generate(actor=office_user, household=story.other)
    job = actions.batch_start(actor=office_user, project=project_a, kind="agreement")
    assert job.total == 2 and job.done == 0 and job.status == JobStatus.RUNNING
    job = actions.batch_run(actor=office_user, job=job)
    job.refresh_from_db()
    assert (job.done, job.failed, job.status, job.percent) == (2, 0, JobStatus.DONE, 100)
    assert RenderedDocument.objects.filter(kind="agreement", project=project_a).count() == 2


def test_batch_lists_failures_without_stopping(story, office_user, project_a):
    job = actions.batch_start(actor=office_user, project=project_a, kind="survey_sheet")
    story.other.surveys.all().update(state="superseded")  # no current survey left: that one fails
    job = actions.batch_run(actor=office_user, job=job)
    assert (job.done, job.failed, job.status) == (1, 1, JobStatus.FAILED)
    assert "尚无调查记录" in job.errors[0]


def test_procedure_notices_are_stored_through_the_service(story):
    rendered = RenderedDocument.objects.get(kind="procedure.pre_announcement")
    assert rendered.file == story.notice.pdf and rendered.number == story.notice.number
