from __future__ import annotations

import pytest

from zhengqian.core import actions
from zhengqian.core.models import AuditEvent, LoginThrottle, Role, User
from zhengqian.domain.errors import InvalidInput


@pytest.fixture
def admin(make_user, district):
    return make_user("root", Role.SYSTEM_ADMIN, district)


def test_admin_creates_a_clerk_bound_to_a_township(admin, township_a):
    user = actions.user_create(
        actor=admin,
        username="new_clerk",
        full_name="新经办",
        role=Role.TOWNSHIP_CLERK,
        jurisdiction=township_a,
        password="Strong#Pass2026",
    )
    assert user.check_password("Strong#Pass2026")
    assert user.scope_path == township_a.path
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "bad name!"}, "username"),
        ({"password": "short"}, "password"),
        ({"role": "emperor"}, "role"),
        ({"role": Role.DEPARTMENT_OFFICER}, "department"),
        ({"username": "clerk_a"}, "username"),
    ],
)
def test_bad_accounts_are_refused(admin, township_a, clerk_a, changes, field):
    data = dict(
        username="x_user", full_name="某", role=Role.TOWNSHIP_CLERK, jurisdiction=township_a, password="Strong#Pass2026"
    )
    data.update(changes)
    count = User.objects.count()
    with pytest.raises(InvalidInput) as error:
        actions.user_create(actor=admin, **data)
    assert error.value.field == field
    assert User.objects.count() == count


def test_township_admin_cannot_place_users_outside_its_township(make_user, township_a, township_b):
    town_admin = make_user("town_admin", Role.SYSTEM_ADMIN, township_a)
    with pytest.raises(InvalidInput, match="管辖范围"):
        actions.user_create(
            actor=town_admin,
            username="y",
            full_name="某",
            role=Role.TOWNSHIP_CLERK,
            jurisdiction=township_b,
            password="Strong#Pass2026",
        )


def test_admin_cannot_lock_itself_out(admin, district):
    with pytest.raises(InvalidInput):
        actions.user_update(
            actor=admin, user=admin, full_name="x", role=Role.SYSTEM_ADMIN, jurisdiction=district, is_active=False
        )


def test_password_reset_clears_the_lock(admin, clerk_a, frozen_clock):
    actions.login_failure_record(keys=["user:clerk_a"], username="clerk_a")
    actions.user_password_reset(actor=admin, user=clerk_a, password="Fresh#Pass2026")
    assert not LoginThrottle.objects.filter(key="user:clerk_a").exists()
    clerk_a.refresh_from_db()
    assert clerk_a.check_password("Fresh#Pass2026")


def test_user_pages(client, admin, township_a, clerk_a):
    client.force_login(admin)
    assert "clerk_a" in client.get("/users/").content.decode()
    response = client.post(
        "/users/new/",
        {
            "username": "web_clerk",
            "full_name": "网页",
            "role": Role.TOWNSHIP_CLERK,
            "jurisdiction": township_a.pk,
            "password": "Strong#Pass2026",
        },
    )
    assert response.status_code == 302
    target = User.objects.get(username="web_clerk")
    response = client.post(
        f"/users/{target.pk}/",
        {
            "save": "1",
            "full_name": "网页改",
            "role": Role.SUPERVISOR,
            "jurisdiction": township_a.pk,
            "is_active": "",
            "reason": "调岗",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.role, target.is_active) == (Role.SUPERVISOR, False)
    page = client.post(f"/users/{target.pk}/", {"reset_password": "1", "password": "123"}).content.decode()
    assert "密码太短，至少需要 10 个字符" in page


def test_clerk_cannot_manage_users(client, clerk_a):
    client.force_login(clerk_a)
    assert client.get("/users/").status_code == 403
