from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengqian.core.models import AuditEvent
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects import actions, selectors
from zhengqian.projects.models import Project


def create(actor, district, townships, **overrides):
    data = dict(
        code="P-1",
        name="道路",
        owner_name="公司",
        district=district,
        townships=townships,
        land_area="100.5",
        policy_pack="putian-2014",
    )
    data.update(overrides)
    return actions.project_create(actor=actor, **data)


def test_create_writes_project_and_audit_event(office_user, district, township_a):
    project = create(office_user, district, [township_a])
    assert project.land_area == Decimal("100.50")
    event = AuditEvent.objects.get(action="project.create")
    assert event.object_id == str(project.pk)
    assert event.after["townships"] == [township_a.pk]
    assert event.actor == office_user


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": " "}, "code"),
        ({"name": ""}, "name"),
        ({"land_area": "-1"}, "land_area"),
        ({"land_area": "abc"}, "land_area"),
        ({"land_area": "1.001"}, "land_area"),
        ({"policy_pack": "nowhere-2099"}, "policy_pack"),
        ({"townships": []}, "townships"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(office_user, district, township_a, overrides, field):
    before = AuditEvent.objects.count()
    townships = overrides.pop("townships", [township_a])
    with pytest.raises(InvalidInput) as error:
        create(office_user, district, townships, **overrides)
    assert error.value.field == field
    assert Project.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_duplicate_code_is_refused(office_user, district, township_a):
    create(office_user, district, [township_a])
    with pytest.raises(InvalidInput, match="已存在"):
        create(office_user, district, [township_a])


def test_township_clerk_cannot_create(clerk_a, district, township_a):
    from zhengqian.core.permissions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        create(clerk_a, district, [township_a])


def test_update_records_before_after_and_reason(office_user, project_a, township_a, township_b):
    actions.project_update(
        actor=office_user,
        project=project_a,
        name="界石道路二期",
        owner_name="建设公司",
        townships=[township_a, township_b],
        land_area="20000",
        status="in_progress",
        reason="规划调整",
    )
    event = AuditEvent.objects.get(action="project.update")
    assert event.before["name"] == "界石道路" and event.after["name"] == "界石道路二期"
    assert event.after["townships"] == sorted([township_a.pk, township_b.pk])
    assert event.reason == "规划调整"


def test_scope_township_sees_only_its_projects(clerk_a, clerk_b, office_user, project_a, project_b):
    assert list(selectors.projects_for(user=clerk_a)) == [project_a]
    assert list(selectors.projects_for(user=clerk_b)) == [project_b]
    assert set(selectors.projects_for(user=office_user)) == {project_a, project_b}


def test_list_page_searches_filters_and_paginates(client, office_user, district, township_a):
    for n in range(25):
        create(office_user, district, [township_a], code=f"P-{n:02d}", name=f"项目{n:02d}")
    client.force_login(office_user)
    page1 = client.get("/projects/").content.decode()
    assert "第 1 / 2 页，共 25 条" in page1
    found = client.get("/projects/", {"q": "项目07"}).content.decode()
    assert "P-07" in found and "P-08" not in found
    assert "没有符合条件的项目" in client.get("/projects/", {"status": "completed"}).content.decode()
    assert client.get("/projects/", {"page": "999"}).status_code == 200
    assert client.get("/projects/", {"township": "abc"}).status_code == 200


def test_list_page_query_count_does_not_grow_with_rows(client, office_user, district, township_a):
    client.force_login(office_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/projects/").status_code == 200
        return len(ctx.captured_queries)

    create(office_user, district, [township_a], code="Q-0")
    few = queries()
    for n in range(1, 15):
        create(office_user, district, [township_a], code=f"Q-{n}")
    assert queries() == few


def test_create_page_shows_field_errors_in_chinese(client, office_user, district, township_a):
    client.force_login(office_user)
    response = client.post(
        "/projects/new/",
        {
            "code": "",
            "name": "x",
            "owner_name": "y",
            "district": district.pk,
            "townships": [township_a.pk],
            "land_area": "-5",
            "policy_pack": "putian-2014",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "项目编号：这个字段是必填项。" in page or "项目编号：" in page
    assert "征地总面积不能为负数" in page
    assert Project.objects.count() == 0


def test_create_page_then_detail_shows_history(client, office_user, district, township_a):
    client.force_login(office_user)
    response = client.post(
        "/projects/new/",
        {
            "code": "WEB-1",
            "name": "网页项目",
            "owner_name": "业主",
            "district": district.pk,
            "townships": [township_a.pk],
            "land_area": "1234.56",
            "policy_pack": "putian-2014",
        },
    )
    project = Project.objects.get(code="WEB-1")
    assert response["Location"] == f"/projects/{project.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "网页项目" in detail and "project.create" in detail and "1.85 亩" in detail


def test_edit_page_by_clerk_is_forbidden(client, clerk_a, project_a):
    client.force_login(clerk_a)
    assert client.get(f"/projects/{project_a.pk}/edit/").status_code == 403
