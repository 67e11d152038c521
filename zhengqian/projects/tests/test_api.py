from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from zhengqian.projects.models import Project


def token_for(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


@pytest.fixture
def office_api(client, office_user):
    token = token_for("office")
    return lambda method, url, body=None: getattr(client, method)(
        url,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_token_is_the_last_line_and_authenticates(client, office_user, project_a):
    token = token_for("office")
    response = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["items"][0]["code"] == "P-A-1"


def test_revoked_token_is_refused(client, office_user):
    token = token_for("office")
    call_command("api_token", "office", "--revoke", token[:10], stdout=StringIO())
    assert client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_no_auth_is_401(client, db):
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_session_auth_works(client, clerk_a, project_a, project_b):
    client.force_login(clerk_a)
    items = client.get("/api/v1/projects").json()["items"]
    assert [p["code"] for p in items] == ["P-A-1"]


def test_create_and_update_through_api(office_api, district, township_a, township_b):
    body = {
        "code": "API-1",
        "name": "接口项目",
        "owner_name": "业主",
        "district_id": district.pk,
        "township_ids": [township_a.pk],
        "land_area": "500.25",
        "policy_pack": "banan-2015",
    }
    response = office_api("post", "/api/v1/projects", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["land_area"] == "500.25"
    update = {
        "name": "接口项目二",
        "owner_name": "业主",
        "township_ids": [township_a.pk, township_b.pk],
        "land_area": "600",
        "status": "in_progress",
        "reason": "测试",
    }
    response = office_api("put", f"/api/v1/projects/{created['id']}", update)
    assert response.status_code == 200
    assert response.json()["township_ids"] == sorted([township_a.pk, township_b.pk])


def test_api_bad_input_names_the_field(office_api, district, township_a):
    body = {
        "code": "API-2",
        "name": "x",
        "owner_name": "y",
        "district_id": district.pk,
        "township_ids": [township_a.pk],
        "land_area": "-1",
        "policy_pack": "banan-2015",
    }
    response = office_api("post", "/api/v1/projects", body)
    assert response.status_code == 400
    assert response.json()["field"] == "land_area"
    response = office_api("post", "/api/v1/projects", {"code": "x"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"name", "district_id", "land_area"} <= fields
    response = office_api("post", "/api/v1/projects", {**body, "land_area": "lots"})
    assert response.status_code == 422
    assert Project.objects.count() == 0


def test_openapi_and_docs_are_served_without_cdn(client, db):
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in docs and "unpkg" not in docs and "jsdelivr" not in docs
