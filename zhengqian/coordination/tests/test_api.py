"""The coordination API: meeting → decision → tasks, completion with base64 evidence, incidents,
petitions, errors as JSON naming the field."""

from __future__ import annotations

import base64
import json

import pytest

from zhengqian.core import clock

pytestmark = pytest.mark.django_db

API = "/api/v1/coordination"


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_meeting_decision_tasks_and_completion(client, office_user, departments, project_a, township_a, frozen_clock):
    client.force_login(office_user)
    meeting = _post(
        client,
        f"{API}/meetings",
        {"title": "调度", "held_on": "2026-03-02", "department_ids": [departments["finance"].pk]},
    )
    assert meeting.status_code == 201, meeting.content
    meeting_id = meeting.json()["id"]
    decision = _post(
        client,
        f"{API}/meetings/{meeting_id}/decisions",
        {
            "text": "缴存专户",
            "project_id": project_a.pk,
            "period_count": 10,
            "owners": [{"department_id": departments["finance"].pk}, {"township_id": township_a.pk}],
        },
    )
    assert decision.status_code == 201, decision.content
    task_ids = decision.json()["task_ids"]
    assert len(task_ids) == 2
    task = client.get(f"{API}/tasks/{task_ids[0]}").json()
    assert task["due_on"] == "2026-03-16" and task["due_clause"] == "yongzhou-linkage 四(一)"
    listing = client.get(f"{API}/tasks", {"department_id": departments["finance"].pk}).json()
    assert listing["count"] == 1
    done = _post(
        client,
        f"{API}/tasks/{task_ids[0]}/complete",
        {
            "note": "已缴存",
            "evidence_name": "回单.pdf",
            "evidence_base64": base64.b64encode(b"%PDF-1.4 x").decode(),
        },
    )
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["evidence_sha256"]
    detail = client.get(f"{API}/meetings/{meeting_id}").json()
    assert detail["decisions"][0]["text"] == "缴存专户"


def test_errors_name_the_field(client, office_user, departments, project_a, township_b, frozen_clock):
    client.force_login(office_user)
    meeting_id = _post(client, f"{API}/meetings", {"title": "x", "held_on": "2026-03-02"}).json()["id"]
    bad = _post(
        client,
        f"{API}/meetings/{meeting_id}/decisions",
        {"text": "x", "project_id": project_a.pk, "owners": [{"township_id": township_b.pk}]},
    )
    assert bad.status_code == 400 and bad.json()["field"] == "owners"
    bad = _post(client, f"{API}/tasks", {"project_id": project_a.pk, "owner": {}, "title": "x"})
    assert bad.status_code == 400 and bad.json()["field"] == "owner"
    bad = _post(client, f"{API}/meetings", {"title": "x", "held_on": "not a date"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "held_on"


def test_incident_and_petition(client, clerk_a, office_user, project_a, township_a, frozen_clock):
    client.force_login(clerk_a)
    incident = _post(
        client,
        f"{API}/incidents",
        {
            "project_id": project_a.pk,
            "township_id": township_a.pk,
            "occurred_at": "2026-03-02T09:00:00+08:00",
            "place": "村口",
            "size": 20,
            "severity": "larger",
            "summary": "聚集",
        },
    )
    assert incident.status_code == 201, incident.content
    assert incident.json()["on_site_due"].startswith("2026-03-02T03:30:00")  # 11:30 in Beijing, stored in UTC
    forbidden = _post(client, f"{API}/incidents/{incident.json()['id']}/close", {"text": "x"})
    assert forbidden.status_code == 403
    petition = _post(
        client,
        f"{API}/petitions",
        {
            "project_id": project_a.pk,
            "township_id": township_a.pk,
            "petitioner": "某",
            "summary": "诉求",
            "received_on": "2026-03-01",
        },
    )
    assert petition.status_code == 201 and petition.json()["due_on"] == "2026-04-30"
    answered = _post(client, f"{API}/petitions/{petition.json()['id']}/answer", {"answer": "已答复"})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    with clock.frozen("2026-03-03T09:00:00"):
        figures = client.get(f"{API}/assessment/2026").json()
    assert any(row["label"] == township_a.name for row in figures)
