"""State changes of the foundation. Keyword-only, explicit actor, one transaction, audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.db import IntegrityError, transaction

from zhengqian.domain.errors import InvalidInput

from . import audit, clock, crypto
from .models import ApiToken, Jurisdiction, JurisdictionLevel, LoginThrottle, User
from .permissions import require

JURISDICTION_FIELDS = ["code", "name", "level", "parent", "path", "is_active"]
_CHILD_LEVEL = {
    None: JurisdictionLevel.DISTRICT,
    JurisdictionLevel.DISTRICT: JurisdictionLevel.TOWNSHIP,
    JurisdictionLevel.TOWNSHIP: JurisdictionLevel.VILLAGE,
    JurisdictionLevel.VILLAGE: JurisdictionLevel.GROUP,
}


def jurisdiction_create(*, actor: User | None, code: str, name: str, parent: Jurisdiction | None) -> Jurisdiction:
    """Add a node under `parent`; its level follows from the parent's."""
    if actor is not None:
        require(actor, "jurisdiction.manage")
    code, name = code.strip(), name.strip()
    if not code or not code.isalnum():
        raise InvalidInput("代码只能由字母和数字组成，且不能为空。", field="code")
    if not name:
        raise InvalidInput("名称不能为空。", field="name")
    parent_level = JurisdictionLevel(parent.level) if parent else None
    if parent_level == JurisdictionLevel.GROUP:
        raise InvalidInput("村民小组下不能再设下级区划。", field="parent")
    if actor is not None and (parent is None or not parent.path.startswith(actor.scope_path or "\0")):
        raise InvalidInput("只能在本人管辖范围内新增下级区划。", field="parent")
    with transaction.atomic():
        if Jurisdiction.objects.filter(code=code).exists():
            raise InvalidInput(f"代码 {code} 已存在。", field="code")
        if Jurisdiction.objects.filter(parent=parent, name=name).exists():
            raise InvalidInput(f"同一上级下已有名为“{name}”的区划。", field="name")
        node = Jurisdiction(
            code=code,
            name=name,
            level=_CHILD_LEVEL[parent_level],
            parent=parent,
            path=(parent.path if parent else "") + code + "/",
        )
        try:
            with transaction.atomic():
                node.save()
        except IntegrityError:
            raise InvalidInput(f"代码 {code} 或名称“{name}”已存在。", field="code") from None
        audit.record(
            actor=actor,
            action="jurisdiction.create",
            obj=node,
            after=audit.snapshot(node, JURISDICTION_FIELDS),
            jurisdiction_path=node.path,
        )
    return node


def jurisdiction_update(*, actor: User, node: Jurisdiction, name: str, is_active: bool) -> Jurisdiction:
    """Rename or deactivate a node. Codes never change: they are official division codes."""
    require(actor, "jurisdiction.manage")
    name = name.strip()
    if not name:
        raise InvalidInput("名称不能为空。", field="name")
    with transaction.atomic():
        node = Jurisdiction.objects.select_for_update().get(pk=node.pk)
        before = audit.snapshot(node, JURISDICTION_FIELDS)
        if Jurisdiction.objects.filter(parent_id=node.parent_id, name=name).exclude(pk=node.pk).exists():
            raise InvalidInput(f"同一上级下已有名为“{name}”的区划。", field="name")
        node.name, node.is_active = name, is_active
        node.save(update_fields=["name", "is_active"])
        audit.record(
            actor=actor,
            action="jurisdiction.update",
            obj=node,
            before=before,
            after=audit.snapshot(node, JURISDICTION_FIELDS),
            jurisdiction_path=node.path,
        )
    return node


# --- login throttling -------------------------------------------------------------------


def login_locked_until(*, keys: list[str]) -> object | None:
    """The latest lock among `keys` that is still running, else None."""
    now = clock.now()
    locks = LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now).values_list("locked_until", flat=True)
    return max(locks, default=None)


def login_failure_record(*, keys: list[str], username: str) -> None:
    """Count a failed login for each key; lock the key once the limit is reached."""
    now = clock.now()
    with transaction.atomic():
        for key in keys:
            throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key, defaults={"updated_at": now})
            if throttle.locked_until and throttle.locked_until <= now:
                throttle.failures = 0
                throttle.locked_until = None
            throttle.failures += 1
            if throttle.failures >= settings.LOGIN_FAILURE_LIMIT:
                throttle.locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            throttle.updated_at = now
            throttle.save()
        audit.record(
            actor=None, action="auth.login_failed", object_label=username[:150], after={"username": username[:150]}
        )


def login_success_record(*, user: User, keys: list[str]) -> None:
    with transaction.atomic():
        LoginThrottle.objects.filter(key__in=keys).delete()
        audit.record(actor=user, action="auth.login", obj=user, jurisdiction_path=user.scope_path or "")


# --- second factor ----------------------------------------------------------------------


def totp_secret(user: User) -> str:
    return crypto.decrypt(user.totp_secret_encrypted) if user.totp_secret_encrypted else ""


def totp_begin(*, actor: User) -> str:
    """Give the user a fresh secret to enrol in an authenticator app (not yet active)."""
    secret = pyotp.random_base32()
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(totp_secret_encrypted=crypto.encrypt(secret), totp_confirmed=False)
        audit.record(actor=actor, action="auth.totp_begin", obj=actor)
    actor.totp_secret_encrypted = crypto.encrypt(secret)
    actor.totp_confirmed = False
    return secret


def totp_check(*, user: User, code: str) -> bool:
    secret = totp_secret(user)
    return bool(secret) and pyotp.TOTP(secret).verify(code.strip(), for_time=clock.now(), valid_window=1)


def totp_confirm(*, actor: User, code: str) -> None:
    if not totp_check(user=actor, code=code):
        raise InvalidInput("动态口令不正确，请核对手机上的六位数字。", field="code")
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(totp_confirmed=True)
        audit.record(actor=actor, action="auth.totp_confirm", obj=actor)
    actor.totp_confirmed = True


def totp_set_secret(*, actor: User | None, user: User, secret: str) -> None:
    """Set a known secret (demo data, or an administrator re-issuing a device)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(totp_secret_encrypted=crypto.encrypt(secret), totp_confirmed=True)
        audit.record(actor=actor, action="auth.totp_set", obj=user)
    user.refresh_from_db()


# --- API tokens -------------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def api_token_create(*, actor: User | None, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token; the plain value is returned once and never stored."""
    plain = "zq_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:80], prefix=plain[:10], digest=token_digest(plain), created_at=clock.now()
        )
        audit.record(actor=actor, action="api_token.create", obj=token, object_label=f"{user.username}:{token.prefix}")
    return token, plain


def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor=actor, action="api_token.revoke", obj=token, object_label=f"{token.user.username}:{token.prefix}"
            )
    return token


def api_token_authenticate(plain: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__jurisdiction")
        .filter(digest=token_digest(plain), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    # Writing on every call would serialise the API on one row; minute precision is enough.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _checked_password(password: str, *, user: User, field: str) -> None:
    """The password rules of AUTH_PASSWORD_VALIDATORS, as a refusal naming the field."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field=field) from None


def password_change(*, actor: User, old_password: str, new_password: str, new_password_again: str) -> None:
    """Change one's own password under the password rules (AUTH_PASSWORD_VALIDATORS)."""
    if not actor.check_password(old_password):
        raise InvalidInput("原密码不正确。", field="old_password")
    if new_password != new_password_again:
        raise InvalidInput("两次输入的新密码不一致。", field="new_password_again")
    _checked_password(new_password, user=actor, field="new_password")
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit.record(actor=actor, action="auth.password_change", obj=actor)


def totp_disable(*, actor: User) -> None:
    """Switch the second factor off; administrators may not (it is required for them)."""
    if actor.totp_required:
        raise InvalidInput("系统管理员必须启用动态口令，不能关闭。", field=None)
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(totp_secret_encrypted="", totp_confirmed=False)
        audit.record(actor=actor, action="auth.totp_disable", obj=actor)
    actor.totp_secret_encrypted, actor.totp_confirmed = "", False


# --- staff accounts ---------------------------------------------------------------------

USER_FIELDS = ["username", "full_name", "phone", "role", "jurisdiction", "department", "is_active"]


def _checked_account(*, actor: User, role: str, jurisdiction: Jurisdiction, department: object | None) -> None:
    from .models import Role

    if role not in Role.values:
        raise InvalidInput("角色无效。", field="role")
    if not jurisdiction.path.startswith(actor.scope_path or "\0"):
        raise InvalidInput("所属区划不在您的管辖范围内。", field="jurisdiction")
    if role == Role.DEPARTMENT_OFFICER and department is None:
        raise InvalidInput("部门经办人须指定所属部门。", field="department")


def user_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    role: str,
    jurisdiction: Jurisdiction,
    password: str,
    department: object | None = None,
    phone: str = "",
) -> User:
    """Open a staff account bound to one jurisdiction node (its scope)."""
    require(actor, "user.manage")
    username = username.strip()
    if not username or not username.replace("_", "").replace(".", "").isalnum():
        raise InvalidInput("用户名只能由字母、数字、下划线和点组成。", field="username")
    _checked_account(actor=actor, role=role, jurisdiction=jurisdiction, department=department)
    _checked_password(password, user=User(username=username, full_name=full_name.strip()), field="password")
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise InvalidInput(f"用户名 {username} 已存在。", field="username")
        user = User.objects.create_user(
            username=username,
            password=password,
            full_name=full_name.strip(),
            role=role,
            jurisdiction=jurisdiction,
            department=department,
            phone=phone.strip(),
        )
        audit.record(
            actor=actor,
            action="user.create",
            obj=user,
            after=audit.snapshot(user, USER_FIELDS),
            jurisdiction_path=jurisdiction.path,
        )
    return user


def user_update(
    *,
    actor: User,
    user: User,
    full_name: str,
    role: str,
    jurisdiction: Jurisdiction,
    is_active: bool,
    department: object | None = None,
    phone: str = "",
    reset_totp: bool = False,
    reason: str = "",
) -> User:
    """Change a staff account's role, scope or state; optionally re-issue its second factor."""
    require(actor, "user.manage")
    _checked_account(actor=actor, role=role, jurisdiction=jurisdiction, department=department)
    if user.pk == actor.pk and (not is_active or role != actor.role):
        raise InvalidInput("不能停用自己的账号或修改自己的角色。", field="role")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = audit.snapshot(user, USER_FIELDS)
        user.full_name, user.role, user.jurisdiction = full_name.strip(), role, jurisdiction
        user.department, user.phone, user.is_active = department, phone.strip(), is_active  # type: ignore[assignment]
        if reset_totp:
            user.totp_secret_encrypted, user.totp_confirmed = "", False
        user.save()
        after = audit.snapshot(user, USER_FIELDS)
        if reset_totp:
            after["totp"] = "reset"
        audit.record(
            actor=actor,
            action="user.update",
            obj=user,
            before=before,
            after=after,
            reason=reason.strip(),
            jurisdiction_path=jurisdiction.path,
        )
    return user


def user_password_reset(*, actor: User, user: User, password: str) -> None:
    """An administrator sets a temporary password (the user changes it on the account page)."""
    require(actor, "user.manage")
    _checked_password(password, user=user, field="password")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        LoginThrottle.objects.filter(key=f"user:{user.username.lower()}").delete()
        audit.record(actor=actor, action="user.password_reset", obj=user, jurisdiction_path=user.scope_path or "")
