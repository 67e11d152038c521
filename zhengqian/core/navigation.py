"""The staff menu. Apps add their entries here so the layout needs no knowledge of them."""

from __future__ import annotations

from dataclasses import dataclass

from .models import User
from .permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    capability: str | None = None


NAV_ITEMS: list[NavItem] = [
    NavItem("工作台", "core:home", "speedometer2"),
    NavItem("征地项目", "projects:list", "folder2-open"),
    NavItem("户籍调查", "households:list", "house-door"),
    NavItem("调查确认", "households:board", "clipboard-check"),
    NavItem("导入户信息", "households:import_new", "upload", "household.edit"),
    NavItem("程序看板", "procedure:board", "alarm"),
    NavItem("补偿", "compensation:index", "cash-coin"),
    NavItem("资金", "funds:overview", "bank"),
    NavItem("文书档案", "documents:index", "file-earmark-zip"),
    NavItem("公开信息", "public:index", "megaphone"),
    NavItem("协调督办", "coordination:index", "people-fill"),
    NavItem("安置", "resettlement:index", "building"),
    NavItem("行政区划", "core:jurisdiction_list", "diagram-3"),
    NavItem("工作日历", "legal:calendar", "calendar3"),
    NavItem("政策包", "legal:policy_list", "journal-text"),
    NavItem("审计日志", "core:audit_list", "shield-check", "audit.view"),
    NavItem("用户管理", "core:user_list", "people", "user.manage"),
]


def nav_for(user: User) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.capability is None or can(user, item.capability)]
