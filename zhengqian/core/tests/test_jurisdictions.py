from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from zhengqian.core import actions, selectors
from zhengqian.core.models import AuditEvent, Jurisdiction, Role, User
from zhengqian.domain.errors import InvalidInput


def test_levels_follow_the_parent(district):
    group = Jurisdiction.objects.get(code="500113110201001")
    assert group.level == "group"
    assert group.path == "500113/500113110/500113110201/500113110201001/"
    with pytest.raises(InvalidInput, match="村民小组下不能"):
        actions.jurisdiction_create(actor=None, code="X1", name="x", parent=group)


@pytest.mark.parametrize(("code", "name", "field"), [("", "x", "code"), ("a-b", "x", "code"), ("Z9", " ", "name")])
def test_bad_input(district, code, name, field):
    with pytest.raises(InvalidInput) as error:
        actions.jurisdiction_create(actor=None, code=code, name=name, parent=district)
    assert error.value.field == field


def test_admin_manages_only_inside_own_scope(make_user, township_a, township_b):
    admin = make_user("townadmin", Role.SYSTEM_ADMIN, township_a)
    actions.jurisdiction_create(actor=admin, code="500113110299", name="新村", parent=township_a)
    with pytest.raises(InvalidInput, match="管辖范围"):
        actions.jurisdiction_create(actor=admin, code="500113005299", name="新村", parent=township_b)


def test_scope(clerk_a):
    names = {n.name for n in selectors.jurisdictions_for(user=clerk_a)}
    assert names == {"界石镇", "界石镇一村", "界石镇一村1组"}


def test_user_without_jurisdiction_sees_nothing(db, district):
    user = User.objects.create_user(username="nobody", password="Passw0rd!2026", role=Role.SUPERVISOR)
    assert not selectors.jurisdictions_for(user=user).exists()


def test_admin_ui_create_and_rename(client, make_user, district, township_a):
    admin = make_user("root", Role.SYSTEM_ADMIN, district)
    client.force_login(admin)
    response = client.post("/jurisdictions/new/", {"parent": township_a.pk, "code": "500113110203", "name": "新建村"})
    assert response.status_code == 302
    node = Jurisdiction.objects.get(code="500113110203")
    assert node.level == "village"
    response = client.post(f"/jurisdictions/{node.pk}/", {"name": "新建村（更名）", "is_active": "on"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="jurisdiction.update", object_id=str(node.pk)).exists()
    page = client.post(
        "/jurisdictions/new/", {"parent": township_a.pk, "code": "500113110203", "name": "重复"}
    ).content.decode()
    assert "已存在" in page


def test_clerk_cannot_manage(client, clerk_a, township_a):
    client.force_login(clerk_a)
    assert client.get("/jurisdictions/new/").status_code == 403
    assert client.get("/jurisdictions/").status_code == 200


def test_load_demo_is_idempotent(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    counts = (Jurisdiction.objects.count(), User.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Jurisdiction.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts
    assert "admin" in out.getvalue() and "Zhengqian#2026" in out.getvalue()
    assert User.objects.get(username="admin").role == Role.SYSTEM_ADMIN
    call_command("audit_verify", stdout=StringIO())
