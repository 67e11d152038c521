"""Staff pages of the document service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengqian.core.evidence import evidence_read
from zhengqian.documents.models import RenderedDocument, RenderJob

pytestmark = pytest.mark.django_db


def test_project_page_batch_archive_and_download(client, story, office_user, project_a):
    client.force_login(office_user)
    assert "界石道路" in client.get(reverse("documents:index")).content.decode()
    response = client.post(reverse("documents:batch", args=[project_a.pk]), {"kind": "agreement"}, follow=True)
    assert "已开始批量生成 1 份" in response.content.decode()
    job = RenderJob.objects.get()
    assert job.done == 1 and job.status == "done"
    assert 'data-job-status="done"' in client.get(reverse("documents:job", args=[job.pk])).content.decode()
    response = client.post(reverse("documents:archive", args=[project_a.pk]), follow=True)
    assert "封存哈希" in response.content.decode()
    package = RenderedDocument.objects.get(kind="archive")
    page = client.get(reverse("documents:project", args=[project_a.pk])).content.decode()
    assert package.number in page and "补偿协议" in page
    download = client.get(reverse("documents:download", args=[package.pk]))
    assert b"".join(download.streaming_content) == evidence_read(package.file)
    assert download["Content-Type"] == "application/zip"


def test_household_documents_and_notice_poster(client, story, office_user):
    client.force_login(office_user)
    for kind in ("household_notice", "survey_sheet", "dossier"):
        response = client.post(reverse("documents:household_render", args=[story.household.pk]), {"kind": kind})
        assert response.status_code == 302 and "/download/" in response["Location"], kind
    response = client.post(reverse("documents:notice_poster", args=[story.notice.pk]))
    assert response.status_code == 302
    poster = RenderedDocument.objects.get(kind="notice_poster")
    assert evidence_read(poster.file).startswith(b"%PDF")


def test_bad_batch_kind_is_a_message_not_an_error(client, story, office_user, project_a):
    client.force_login(office_user)
    response = client.post(reverse("documents:batch", args=[project_a.pk]), {"kind": "nonsense"}, follow=True)
    assert response.status_code == 200 and "请选择要批量生成的文书类型" in response.content.decode()


def test_household_by_code(client, story, office_user, clerk_b, project_a):
    client.force_login(office_user)
    url = reverse("documents:household_by_code", args=[project_a.pk])
    response = client.post(url, {"code": "C-001", "kind": "household_notice"})
    assert response.status_code == 302 and "/download/" in response["Location"]
    response = client.post(url, {"code": "NOPE", "kind": "household_notice"}, follow=True)
    assert "户编号：本项目您的辖区内没有户编号为“NOPE”的户" in response.content.decode()


def test_payment_list(client, story, office_user, project_a):
    client.force_login(office_user)
    response = client.post(reverse("documents:project_render", args=[project_a.pk]))
    assert response.status_code == 302 and "/download/" in response["Location"]
    document = RenderedDocument.objects.get(kind="payment_list")
    assert evidence_read(document.file).startswith(b"%PDF") and document.project == project_a
