"""The staff pages: the project's and the household's procedure, forms that complete steps
with their evidence, refusals shown with the clause, the chain, documents and hearings."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengqian.core import clock
from zhengqian.households.tests.factories import make_household
from zhengqian.procedure.models import ProcedureDocument, ProcedureStep

from .helpers import PNG, force_done

pytestmark = pytest.mark.django_db


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode(), content_type="application/pdf")


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG + name.encode(), content_type="image/png")


def test_project_page_lists_steps_with_clause_due_and_evidence(client, official_calendar, project_a, office_user):
    force_done(project_a, ["pre_announcement", "status_survey", "notification", "approval"], "2026-03-02")
    client.force_login(office_user)
    with clock.frozen("2026-03-20"):
        html = client.get(f"/procedure/projects/{project_a.pk}/").content.decode()
    assert 'data-step="expropriation_announcement" data-state="overdue"' in html
    assert "已逾期 4 日" in html and "putian-2014 (四)" in html
    assert 'data-step="approval" data-state="done"' in html
    assert 'data-fact="funds_in_place"' in html and "由各户支付记录得出" in html
    assert client.get(f"/projects/{project_a.pk}/").content.decode().count('id="project-procedure-link"') == 1


def test_completing_a_step_through_the_form(client, official_calendar, project_a, office_user):
    client.force_login(office_user)
    url = f"/procedure/projects/{project_a.pk}/steps/pre_announcement/complete/"
    with clock.frozen("2026-03-02"):
        assert client.get(url).status_code == 200
        refused = client.post(url, {"done_on": "2026-03-02", "file_document": pdf()}).content.decode()
        assert "缺少证据：照片（实施条例 第二十六条）" in refused
        response = client.post(url, {"done_on": "2026-03-02", "file_document": pdf(), "file_photo": png()})
    assert response.status_code == 302
    step = ProcedureStep.objects.get(project=project_a, household=None, code="pre_announcement")
    assert step.status == "done" and step.evidence.count() == 2


def test_gate_refusal_is_shown_on_the_notice_form(client, official_calendar, project_a, office_user):
    client.force_login(office_user)
    with clock.frozen("2026-03-02"):
        html = client.post(
            f"/procedure/projects/{project_a.pk}/notices/new/",
            {"kind": "expropriation_announcement", "issued_on": "2026-03-02"},
        ).content.decode()
    assert "不能发布征收土地公告：征地尚未批准（putian-2014 (四)）" in html
    assert not ProcedureDocument.objects.exists()


def test_notice_publish_and_household_pages(client, official_calendar, project_a, office_user, township_a):
    household = make_household(office_user, project_a, township_a, code="V-1")
    client.force_login(office_user)
    with clock.frozen("2026-03-02"):
        response = client.post(
            f"/procedure/projects/{project_a.pk}/notices/new/", {"kind": "pre_announcement", "issued_on": "2026-03-02"}
        )
        document = ProcedureDocument.objects.get()
        assert response.url == f"/procedure/documents/{document.pk}/"
        assert 'id="publish-link"' in client.get(response.url).content.decode()
        response = client.post(
            f"/procedure/documents/{document.pk}/publish/",
            {"published_on": "2026-03-02", "posting_place": "桂花村公告栏", "photo": png()},
        )
        assert response.status_code == 302
        html = client.get(f"/procedure/households/{household.pk}/").content.decode()
    assert 'data-step="surveyed"' in html and 'id="chain-start"' in html
    assert client.get(f"/households/{household.pk}/").content.decode().count('id="household-procedure-link"') == 1
    assert client.get(f"/procedure/projects/{project_a.pk}/hearing/").status_code == 200
    assert client.get(f"/procedure/projects/{project_a.pk}/assemblies/new/").status_code == 200
    assert client.get("/procedure/notifications/").status_code == 200
