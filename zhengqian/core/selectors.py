"""Reads for the foundation, always scoped to the user's jurisdiction subtree (design §5)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AuditEvent, Jurisdiction, JurisdictionLevel, User


def scope_q(user: User, field: str) -> Q:
    """A Q that keeps rows whose `field` (a path string) lies in the user's subtree.

    A user with no jurisdiction sees nothing: `pk__in=[]` is always false.
    """
    path = user.scope_path if user.is_authenticated else None
    if not path:
        return Q(pk__in=[])
    return Q(**{f"{field}__startswith": path})


def jurisdictions_for(
    *, user: User, level: str | None = None, search: str = "", include_inactive: bool = True
) -> QuerySet[Jurisdiction]:
    qs = Jurisdiction.objects.filter(scope_q(user, "path")).select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__startswith=search))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("path")


def jurisdiction_get(*, user: User, pk: int) -> Jurisdiction:
    try:
        return jurisdictions_for(user=user).get(pk=pk)
    except (Jurisdiction.DoesNotExist, ValueError, TypeError):
        raise Http404("行政区划不存在") from None


def townships_for(*, user: User) -> QuerySet[Jurisdiction]:
    return jurisdictions_for(user=user, level=JurisdictionLevel.TOWNSHIP, include_inactive=False)


def districts_for(*, user: User) -> QuerySet[Jurisdiction]:
    """Districts a user may open projects in: their own district (a district user's node)."""
    if not user.scope_path:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(level=JurisdictionLevel.DISTRICT, path=user.scope_path)


def audit_events_for(*, user: User, action: str = "", search: str = "") -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(scope_q(user, "jurisdiction_path")).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    if search:
        qs = qs.filter(Q(object_label__icontains=search) | Q(actor_label__icontains=search))
    return qs.order_by("-seq")


def users_for(*, user: User, search: str = "", role: str = "") -> QuerySet[User]:
    qs = User.objects.filter(scope_q(user, "jurisdiction__path")).select_related("jurisdiction", "department")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("jurisdiction__path", "username")


def user_get(*, user: User, pk: int) -> User:
    try:
        return users_for(user=user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("用户不存在") from None
