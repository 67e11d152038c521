"""Demo data of the foundation: one district, three townships with villages and groups, and one
user per role. Idempotent: running it again changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from . import actions
from .models import Department, Jurisdiction, Role, User

DEMO_PASSWORD = "Zhengqian#2026"
# Published so a fresh `make run` can be logged into; production never runs load_demo.
DEMO_ADMIN_TOTP_SECRET = "ZHENGQIANDEMOADMINTOTPSECRET2345"

DISTRICT = ("500113", "巴南区")
TOWNSHIPS = {
    "500113110": ("界石镇", {"500113110201": ("桂花村", 3), "500113110202": ("石龙村", 2)}),
    "500113005": ("南泉街道", {"500113005201": ("虎啸村", 2), "500113005202": ("清泉村", 2)}),
    "500113009": ("龙洲湾街道", {"500113009201": ("新湾村", 2)}),
}
DEPARTMENTS = [
    ("natural_resources", "区规划自然资源局"),
    ("public_security", "区公安分局"),
    ("finance", "区财政局"),
    ("hr_social_security", "区人力社保局"),
    ("letters_visits", "区信访办"),
]
USERS = [
    ("admin", "系统管理员", Role.SYSTEM_ADMIN, "500113", None),
    ("leader", "领导小组办公室 王主任", Role.LEADERSHIP_OFFICE, "500113", None),
    ("office", "区征地办 李科长", Role.EXPROPRIATION_OFFICE, "500113", None),
    ("clerk_jieshi", "界石镇 张经办", Role.TOWNSHIP_CLERK, "500113110", None),
    ("clerk_nanquan", "南泉街道 赵经办", Role.TOWNSHIP_CLERK, "500113005", None),
    ("police", "区公安分局 陈警官", Role.DEPARTMENT_OFFICER, "500113", "public_security"),
    ("finance", "区财政局 刘会计", Role.FINANCE_OFFICER, "500113", None),
    ("auditor", "区审计局 孙审计", Role.SUPERVISOR, "500113", None),
]


def _node(code: str, name: str, parent: Jurisdiction | None) -> Jurisdiction:
    existing = Jurisdiction.objects.filter(code=code).first()
    return existing or actions.jurisdiction_create(actor=None, code=code, name=name, parent=parent)


def load(log: Callable[[str], None]) -> None:
    district = _node(*DISTRICT, None)
    for township_code, (township_name, villages) in TOWNSHIPS.items():
        township = _node(township_code, township_name, district)
        for village_code, (village_name, group_count) in villages.items():
            village = _node(village_code, village_name, township)
            for number in range(1, group_count + 1):
                _node(f"{village_code}{number:03d}", f"{village_name}{number}组", village)
    for code, name in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name})
    for username, full_name, role, place, department in USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            role=role,
            jurisdiction=Jurisdiction.objects.get(code=place),
            department=Department.objects.get(code=department) if department else None,
            is_staff=role == Role.SYSTEM_ADMIN,
        )
        if role == Role.SYSTEM_ADMIN:
            actions.totp_set_secret(actor=None, user=user, secret=DEMO_ADMIN_TOTP_SECRET)
    log(f"区划 {Jurisdiction.objects.count()} 个，用户 {User.objects.count()} 个")


def logins() -> list[str]:
    lines = [
        f"  {username:<14} {DEMO_PASSWORD}   {role.label}（{full_name}）" for username, full_name, role, _, _ in USERS
    ]
    lines.append(
        f"  admin 需动态口令：密钥 {DEMO_ADMIN_TOTP_SECRET}；当前口令：.venv/bin/python manage.py totp_code admin"
    )
    return lines
