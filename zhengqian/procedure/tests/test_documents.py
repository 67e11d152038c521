"""Notices drafted from templates with the project's data: numbered per project, kind and
year without gaps, printable HTML and PDF (WeasyPrint), published once with photo evidence."""

from __future__ import annotations

import pytest

from zhengqian.core import clock
from zhengqian.core.evidence import evidence_read
from zhengqian.domain.errors import InvalidInput
from zhengqian.procedure import actions
from zhengqian.procedure.models import DocumentCounter, ProcedureStep
from zhengqian.projects.actions import project_create

from .helpers import upload

pytestmark = pytest.mark.django_db


def draft(actor, project, kind="pre_announcement", on="2026-03-02", **extra):
    with clock.frozen(on):
        return actions.notice_draft(actor=actor, project=project, kind=kind, issued_on=on, **extra)


def test_numbers_run_per_project_kind_and_year(official_calendar, project_a, office_user, district, township_a):
    numbers = [draft(office_user, project_a).number for _ in range(3)]
    assert numbers == ["P-A-1预告〔2026〕1号", "P-A-1预告〔2026〕2号", "P-A-1预告〔2026〕3号"]
    other = project_create(
        actor=office_user,
        code="P-A-2",
        name="x",
        owner_name="y",
        district=district,
        townships=[township_a],
        land_area="1",
        policy_pack="putian-2014",
    )
    assert draft(office_user, other).number == "P-A-2预告〔2026〕1号"
    assert draft(office_user, project_a, on="2027-01-04").number == "P-A-1预告〔2027〕1号"
    assert DocumentCounter.objects.get(project=project_a, kind="pre_announcement", year=2026).last == 3


def test_notice_carries_the_project_data_and_its_pdf(official_calendar, project_a, office_user, client):
    document = draft(office_user, project_a, registration_deadline="2026-03-20", extra_text="请相互转告")
    assert "界石道路" in document.html and document.number in document.html
    assert "二〇二六年三月二日" in document.html and "2026-03-20" in document.html
    assert "实施条例 第二十六条" in document.html
    pdf = evidence_read(document.pdf)
    assert pdf.startswith(b"%PDF") and document.pdf.content_type == "application/pdf"
    client.force_login(office_user)
    assert "界石道路" in client.get(f"/procedure/documents/{document.pk}/print/").content.decode()
    response = client.get(f"/procedure/documents/{document.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_publishing_needs_a_photo_a_place_a_sane_date_and_happens_once(official_calendar, project_a, office_user):
    document = draft(office_user, project_a)
    with clock.frozen("2026-03-03"):
        with pytest.raises(InvalidInput, match="拍照留存"):
            actions.notice_publish(
                actor=office_user, document=document, published_on="2026-03-03", posting_place="村委会", photos=[]
            )
        with pytest.raises(InvalidInput, match="张贴地点"):
            actions.notice_publish(
                actor=office_user,
                document=document,
                published_on="2026-03-03",
                posting_place=" ",
                photos=[upload("photo")],
            )
        with pytest.raises(InvalidInput, match="早于成文日期"):
            actions.notice_publish(
                actor=office_user,
                document=document,
                published_on="2026-03-01",
                posting_place="村委会",
                photos=[upload("photo")],
            )
        published = actions.notice_publish(
            actor=office_user,
            document=document,
            published_on="2026-03-03",
            posting_place="村委会",
            photos=[upload("photo")],
        )
        with pytest.raises(InvalidInput, match="已于 2026-03-03 张贴公布"):
            actions.notice_publish(
                actor=office_user,
                document=published,
                published_on="2026-03-03",
                posting_place="村委会",
                photos=[upload("photo")],
            )
    assert published.status == "published" and published.evidence.filter(kind="photo").count() == 1
    step = ProcedureStep.objects.get(project=project_a, household=None, code="pre_announcement")
    assert str(step.done_on) == "2026-03-03"
    assert {e.kind for e in step.evidence.all()} == {"document", "photo"}


def test_a_future_issue_date_is_refused(official_calendar, project_a, office_user):
    with clock.frozen("2026-03-02"), pytest.raises(InvalidInput, match="晚于今天"):
        actions.notice_draft(actor=office_user, project=project_a, kind="pre_announcement", issued_on="2026-03-03")
    assert not DocumentCounter.objects.filter(project=project_a).exists()
