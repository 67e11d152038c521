"""The document service through the API: batch rendering and its progress, the rendered
documents with their hashes, the archive package with its seal; bad input is a 400 naming the
field; another township's clerk gets 404."""

from __future__ import annotations

import pytest

from zhengqian.core.evidence import evidence_read
from zhengqian.documents.archive_verify import verify
from zhengqian.documents.models import RenderedDocument

pytestmark = pytest.mark.django_db
API = "/api/v1/documents"


def test_batch_progress_documents_and_archive(client, story, office_user, project_a, tmp_path):
    client.force_login(office_user)
    started = client.post(f"{API}/projects/{project_a.pk}/batches", {"kind": "agreement"},
                          content_type="application/json")
    assert started.status_code == 201
    job = client.get(f"{API}/jobs/{started.json()['id']}").json()
    assert (job["total"], job["done"], job["failed"], job["status"], job["percent"]) == (1, 1, 0, "done", 100)

    listed = client.get(f"{API}/projects/{project_a.pk}/documents").json()
    agreement = next(d for d in listed if d["kind"] == "agreement")
    stored = RenderedDocument.objects.get(pk=agreement["id"])
    assert agreement["sha256"] == stored.file.sha256 and len(agreement["sha256"]) == 64
    assert client.get(f"{API}/{agreement['id']}").json()["number"] == stored.number

    built = client.post(f"{API}/projects/{project_a.pk}/archive")
    assert built.status_code == 201
    package = RenderedDocument.objects.get(pk=built.json()["id"])
    path = tmp_path / "package.zip"
    path.write_bytes(evidence_read(package.file))
    assert len(built.json()["seal"]) == 64
    assert verify(str(path), seal=built.json()["seal"]).intact


def test_bad_kind_is_a_400_naming_the_field(client, story, office_user, project_a):
    client.force_login(office_user)
    answer = client.post(f"{API}/projects/{project_a.pk}/batches", {"kind": "nonsense"},
                         content_type="application/json")
    assert answer.status_code == 400 and answer.json()["field"] == "kind"


def test_other_township_sees_nothing(client, story, clerk_b, project_a):
    client.force_login(clerk_b)
    assert client.get(f"{API}/projects/{project_a.pk}/documents").status_code == 404
    assert client.post(f"{API}/projects/{project_a.pk}/archive").status_code == 404
