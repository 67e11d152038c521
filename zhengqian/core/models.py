"""Foundation records: jurisdictions, staff accounts, API tokens, the audit chain, evidence files."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q


class JurisdictionLevel(models.TextChoices):
    DISTRICT = "district", "区/县"
    TOWNSHIP = "township", "镇/街道"
    VILLAGE = "village", "村/社区"
    GROUP = "group", "村民小组"


LEVEL_ORDER = [c.value for c in JurisdictionLevel]


class Jurisdiction(models.Model):
    """One node of district → township → village → group.

    `path` is the chain of codes from the district down ("500113/500113101/"), so a
    subtree is one indexed prefix filter. Codes are official division codes and never change.
    """

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=10, choices=JurisdictionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                name="jurisdiction_root_is_district",
                condition=(Q(level="district", parent__isnull=True) | (~Q(level="district") & Q(parent__isnull=False))),
            ),
            models.CheckConstraint(name="jurisdiction_code_not_blank", condition=~Q(code="")),
            models.UniqueConstraint(fields=["parent", "name"], name="jurisdiction_unique_name_under_parent"),
        ]
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return LEVEL_ORDER.index(self.level)

    def contains(self, other: Jurisdiction) -> bool:
        return other.path.startswith(self.path)


class Department(models.Model):
    """A government department with a share of the work (yongzhou-linkage 三)."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=80, unique=True)

    class Meta:
        verbose_name = "职能部门"
        verbose_name_plural = "职能部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    LEADERSHIP_OFFICE = "leadership_office", "领导小组办公室"
    EXPROPRIATION_OFFICE = "expropriation_office", "区征地办"
    TOWNSHIP_CLERK = "township_clerk", "镇街经办人"
    DEPARTMENT_OFFICER = "department_officer", "部门经办人"
    FINANCE_OFFICER = "finance_officer", "财务人员"
    SUPERVISOR = "supervisor", "监督审计（只读）"


class StaffUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    """A staff account, bound to one jurisdiction node: it sees only that subtree."""

    role = models.CharField("角色", max_length=30, choices=Role.choices, default=Role.SUPERVISOR)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="所属区划", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    department = models.ForeignKey(
        Department, verbose_name="所属部门", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("电话", max_length=20, blank=True)
    totp_secret_encrypted = models.TextField(blank=True, editable=False)
    totp_confirmed = models.BooleanField("已启用动态口令", default=False)

    objects = StaffUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                name="user_department_officer_has_department",
                condition=~Q(role="department_officer") | Q(department__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def scope_path(self) -> str | None:
        """The jurisdiction subtree this user may see; None means nothing at all."""
        return self.jurisdiction.path if self.jurisdiction_id else None

    @property
    def totp_required(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN


class LoginThrottle(models.Model):
    """Failed logins per username and per address; lock after settings.LOGIN_FAILURE_LIMIT."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=80, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}…"


class AuditEvent(models.Model):
    """One state change. Append-only: a database trigger rejects UPDATE and DELETE.

    `hash` is the SHA-256 of this row's content including `prev_hash`, the hash of the row
    before it (by `seq`), so any edit, deletion or insertion breaks the chain
    (`manage.py audit_verify`).
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    jurisdiction_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class EvidenceFile(models.Model):
    """A file kept as evidence, stored once by its SHA-256 (putian-2014 (八): 全过程记录)."""

    sha256 = models.CharField(max_length=64, unique=True)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    taken_at = models.DateTimeField("拍摄/形成时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "证据文件"
        verbose_name_plural = "证据文件"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"
