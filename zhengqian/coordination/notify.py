"""In-app notifications of this app, written into the procedure app's bell
(``procedure.Notification``: one row per user and key, so a repeated call adds nothing)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from zhengqian.core import clock
from zhengqian.core.models import Department, Role, User
from zhengqian.procedure.models import Notification

OFFICE_ROLES = (Role.EXPROPRIATION_OFFICE, Role.LEADERSHIP_OFFICE)


def office_users(path: str) -> list[User]:
    """The office and leadership users whose subtree holds ``path`` (district level)."""
    users = User.objects.filter(is_active=True, role__in=OFFICE_ROLES, jurisdiction__isnull=False)
    return [u for u in users.select_related("jurisdiction") if path.startswith(u.jurisdiction.path)]  # type: ignore[union-attr]


def township_clerks(path: str) -> list[User]:
    return list(
        User.objects.filter(is_active=True, role=Role.TOWNSHIP_CLERK, jurisdiction__path__isnull=False).filter(
            Q(jurisdiction__path__startswith=path)
            | Q(jurisdiction__path__in=[path[: i + 1] for i, c in enumerate(path) if c == "/"])
        )
    )


def department_users(department: Department | None) -> list[User]:
    if department is None:
        return []
    return list(User.objects.filter(is_active=True, department=department))


def send(users: Iterable[User], *, key: str, title: str, body: str, url: str) -> int:
    now = clock.now()
    notes = {
        user.pk: Notification(user_id=user.pk, key=key[:120], title=title[:200], body=body, url=url, created_at=now)
        for user in users
    }
    Notification.objects.bulk_create(list(notes.values()), ignore_conflicts=True)
    return len(notes)
