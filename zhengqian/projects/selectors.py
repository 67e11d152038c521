"""Reads of projects, scoped: a user sees a project whose district or any of whose townships
lies in the user's jurisdiction subtree (design §5)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from zhengqian.core.models import User
from zhengqian.core.selectors import scope_q

from .models import Project


def projects_for(
    *, user: User, search: str = "", status: str = "", township_id: int | None = None, policy_pack: str = ""
) -> QuerySet[Project]:
    through = Project.townships.through
    in_township = through.objects.filter(Q(project_id=OuterRef("pk")) & scope_q(user, "jurisdiction__path"))
    qs = (
        Project.objects.filter(scope_q(user, "district__path") | Exists(in_township))
        .select_related("district")
        .prefetch_related("townships")
    )
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(owner_name__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if township_id:
        qs = qs.filter(Exists(through.objects.filter(project_id=OuterRef("pk"), jurisdiction_id=township_id)))
    if policy_pack:
        qs = qs.filter(policy_pack=policy_pack)
    return qs.order_by("-created_at", "-id")


def project_get(*, user: User, pk: int | str) -> Project:
    try:
        return projects_for(user=user).get(pk=int(pk))
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("项目不存在") from None


def project_get_by_code(*, user: User, code: str) -> Project:
    try:
        return projects_for(user=user).get(code=code)
    except Project.DoesNotExist:
        raise Http404("项目不存在") from None


def project_counts_for(*, user: User) -> dict[str, int]:
    rows = projects_for(user=user).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
