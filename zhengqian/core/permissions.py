"""What each role may do. Scope (which objects) is separate: see selectors.in_scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .models import Role, User

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {"jurisdiction.manage", "project.create", "project.edit", "audit.view", "calendar.manage", "user.manage"}
    ),
    Role.LEADERSHIP_OFFICE: frozenset(
        {"project.create", "project.edit", "audit.view", "standard.approve", "register.freeze", "procedure.act",
         "procedure.fact", "procedure.override", "document.render", "archive.build", "resettlement.review"}
    ),
    Role.EXPROPRIATION_OFFICE: frozenset(
        {
            "project.create",
            "project.edit",
            "audit.view",
            "household.edit",
            "person.view_full_id",
            "register.freeze",
            "survey.close",
            "standard.edit",
            "valuation.run",
            "publicity.manage",
            "agreement.manage",
            "funds.manage",
            "procedure.act",
            "procedure.fact",
            "document.render",
            "archive.build",
            "resettlement.manage",
            "housing.manage",
        }
    ),
    Role.TOWNSHIP_CLERK: frozenset(
        {"audit.view", "household.edit", "person.view_full_id", "valuation.run", "publicity.manage", "agreement.manage",
         "procedure.act", "document.render", "resettlement.manage", "housing.manage"}
    ),
    Role.DEPARTMENT_OFFICER: frozenset({"audit.view", "resettlement.review"}),
    Role.FINANCE_OFFICER: frozenset(
        {"audit.view", "funds.manage", "appropriation.approve", "payment.approve", "bank.exchange", "entry.reverse",
         "procedure.fact"}
    ),
    Role.SUPERVISOR: frozenset({"audit.view", "archive.build"}),
}


# Coordination and supervision (zhengqian/coordination): yongzhou-linkage 三–五, banan-2015 (二)(七)(八).
_COORDINATION_OFFICE = frozenset(
    {"coordination.manage", "task.complete", "incident.report", "incident.manage", "petition.manage",
     "petition.answer", "assessment.manage", "support.manage"}
)
_COORDINATION_EXTRA: dict[str, frozenset[str]] = {
    Role.LEADERSHIP_OFFICE: _COORDINATION_OFFICE,
    Role.EXPROPRIATION_OFFICE: _COORDINATION_OFFICE,
    Role.TOWNSHIP_CLERK: frozenset(
        {"task.complete", "incident.report", "petition.manage", "petition.answer", "support.manage"}
    ),
    Role.DEPARTMENT_OFFICER: frozenset({"task.complete", "petition.answer"}),
}
for _role, _extra in _COORDINATION_EXTRA.items():
    CAPABILITIES[_role] = CAPABILITIES[_role] | _extra


def can(user: User, capability: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


class PermissionDeniedError(PermissionDenied):
    """The role lacks a capability; the message is shown to the user."""

    def __init__(self, message: str = "您的角色无权执行此操作。") -> None:
        super().__init__(message)
        self.message = message


def require(user: User, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDeniedError()
