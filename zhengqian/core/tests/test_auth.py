from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from zhengqian.core import actions, clock
from zhengqian.core.models import AuditEvent, Role


def login(client, username, password, otp=""):
    return client.post("/login/", {"username": username, "password": password, "otp": otp})


def test_login_then_logout(client, clerk_a):
    response = login(client, "clerk_a", "Passw0rd!2026")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=clerk_a).exists()
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_pages_need_login(client, db):
    response = client.get("/projects/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/projects/")


def test_wrong_password_says_so_in_chinese(client, clerk_a):
    response = login(client, "clerk_a", "wrong-password-1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_lock_after_repeated_failures_even_with_the_right_password(client, clerk_a, frozen_clock):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, "clerk_a", "wrong-password-1")
    response = login(client, "clerk_a", "Passw0rd!2026")
    assert "已暂时锁定" in response.content.decode()
    assert client.get("/").status_code == 302
    clock.advance(timedelta(minutes=settings.LOGIN_LOCK_MINUTES + 1))
    assert login(client, "clerk_a", "Passw0rd!2026").status_code == 302


def test_administrator_must_enrol_totp_before_first_login(client, make_user, district):
    make_user("root", Role.SYSTEM_ADMIN, district)
    response = login(client, "root", "Passw0rd!2026")
    assert response["Location"] == "/login/totp/"
    page = client.get("/login/totp/").content.decode()
    assert "启用动态口令" in page
    assert client.get("/").status_code == 302  # not logged in yet
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    assert client.post("/login/totp/", {"code": "000000"}).status_code == 200
    response = client.post("/login/totp/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_administrator_with_totp_needs_the_code(client, make_user, district):
    admin = make_user("root", Role.SYSTEM_ADMIN, district)
    actions.totp_set_secret(actor=None, user=admin, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    response = login(client, "root", "Passw0rd!2026", otp="")
    assert "动态口令不正确" in response.content.decode()
    code = pyotp.TOTP("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").now()
    assert login(client, "root", "Passw0rd!2026", otp=code).status_code == 302


def test_totp_secret_is_encrypted_at_rest(make_user, district):
    admin = make_user("root", Role.SYSTEM_ADMIN, district)
    actions.totp_set_secret(actor=None, user=admin, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert "JBSWY3DP" not in admin.totp_secret_encrypted
    assert actions.totp_secret(admin) == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.mark.parametrize("password", ["short1", "1234567890123", "abcdefghijkl"])
def test_password_rules(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_session_expires_when_idle():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_open_redirect_is_refused(client, clerk_a):
    response = client.post(
        "/login/", {"username": "clerk_a", "password": "Passw0rd!2026", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
