from __future__ import annotations

import re

import pyotp
import pytest

from zhengqian.core import actions
from zhengqian.core.models import ApiToken, AuditEvent, Role
from zhengqian.domain.errors import InvalidInput


def change(client, old, new, again=None):
    return client.post(
        "/account/",
        {"change_password": "1", "old_password": old, "new_password": new, "new_password_again": again or new},
    )


def test_password_change_rules(client, clerk_a):
    client.force_login(clerk_a)
    assert "原密码不正确" in change(client, "nope", "Another#Pass2026").content.decode()
    assert "两次输入的新密码不一致" in change(client, "Passw0rd!2026", "Another#Pass2026", "x").content.decode()
    assert "密码" in change(client, "Passw0rd!2026", "12345678901").content.decode()
    assert change(client, "Passw0rd!2026", "Another#Pass2026").status_code == 302
    clerk_a.refresh_from_db()
    assert clerk_a.check_password("Another#Pass2026")
    assert AuditEvent.objects.filter(action="auth.password_change", actor=clerk_a).count() == 1


def test_clerk_can_enable_totp_then_login_needs_it(client, clerk_a):
    client.force_login(clerk_a)
    page = client.get("/account/totp/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert client.post("/account/totp/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    client.post("/logout/")
    bad = client.post("/login/", {"username": "clerk_a", "password": "Passw0rd!2026", "otp": ""})
    assert "动态口令不正确" in bad.content.decode()
    good = client.post("/login/", {"username": "clerk_a", "password": "Passw0rd!2026", "otp": pyotp.TOTP(secret).now()})
    assert good.status_code == 302


def test_administrator_cannot_disable_totp(make_user, district):
    admin = make_user("root", Role.SYSTEM_ADMIN, district)
    with pytest.raises(InvalidInput, match="必须启用"):
        actions.totp_disable(actor=admin)


def test_revoke_own_token_only(client, clerk_a, clerk_b):
    token, _ = actions.api_token_create(actor=None, user=clerk_a)
    client.force_login(clerk_b)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(clerk_a)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
