"""The public portal: published notices with dates, place, photos and statutory periods;
publicity lists with masked names and ID numbers only; nothing unpublished; no stack trace."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhengqian.core import clock
from zhengqian.procedure.models import ProcedureDocument

pytestmark = pytest.mark.django_db


def test_portal_lists_projects_with_published_notices(client, story, project_b):
    body = client.get(reverse("public:index")).content.decode()
    assert "界石道路" in body and project_b.name not in body  # project B has published nothing


def test_project_page_shows_notices_with_their_period_and_publicity(client, story, project_a):
    with clock.frozen("2026-03-05"):
        body = client.get(reverse("public:project", args=[project_a.pk])).content.decode()
    assert story.notice.number in body and "2026-03-02" in body and "村委会公告栏" in body
    assert "期限内" in body  # the period running from the posting is shown with its last day
    assert reverse("public:publicity", args=[story.publicity.pk]) in body


def test_notice_page_shows_period_photo_and_printable_version_with_qr(client, story):
    with clock.frozen("2026-03-05"):
        body = client.get(reverse("public:notice", args=[story.notice.pk])).content.decode()
    assert "法定期限" in body and "至 <strong>" in body
    photo = story.notice.evidence.get(kind="photo")
    assert reverse("public:photo", args=[photo.pk]) in body
    image = client.get(reverse("public:photo", args=[photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    printable = client.get(reverse("public:notice_print", args=[story.notice.pk])).content.decode()
    assert story.notice.number in printable and "data:image/png;base64," in printable
    assert f"/public/notices/{story.notice.pk}/" in printable  # the QR code's address is printed under it


def test_publicity_list_shows_only_masked_personal_data(client, story):
    body = client.get(reverse("public:publicity", args=[story.publicity.pk])).content.decode()
    assert "王**" in body and "欧***" in body
    for person in (story.head_id, story.other_id):
        assert person not in body and f"{person[:3]}***********{person[-4:]}" in body
    assert "王建国" not in body and "欧阳娜娜" not in body
    for entry in story.publicity.entries.all():
        assert entry.head_name not in body


def test_unpublished_things_are_not_found_with_the_public_404(client, story):
    draft = ProcedureDocument.objects.get(pk=story.notice.pk)
    draft.pk, draft.seq, draft.number, draft.published_on, draft.posting_place = None, 2, "未公布", None, ""
    draft.status = "issued"
    draft.save()
    for url in (
        reverse("public:notice", args=[draft.pk]),
        reverse("public:notice_print", args=[draft.pk]),
        reverse("public:project", args=[999999]),
        reverse("public:publicity", args=[999999]),
        "/public/no-such-page/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "尚未公开" in response.content.decode()
    # The served chain documents' evidence and other evidence never come out of /public/photos/.
    other = story.notice.evidence.exclude(kind="photo").first()
    if other is not None:
        assert client.get(reverse("public:photo", args=[other.pk])).status_code == 404


def test_a_crash_on_a_public_page_shows_no_stack_trace(monkeypatch, story):
    from zhengqian.public import views

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.selectors, "public_projects", explode)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("public:index"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "暂时无法访问" in body and "secret internals" not in body and "Traceback" not in body


def test_public_pages_need_no_login_and_are_cheap(client, story, project_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(reverse("public:project", args=[project_a.pk])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("public:publicity", args=[story.publicity.pk])).status_code == 200
