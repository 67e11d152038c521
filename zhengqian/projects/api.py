from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from zhengqian.core.api import page_slice
from zhengqian.core.models import Jurisdiction, JurisdictionLevel
from zhengqian.core.selectors import jurisdictions_for
from zhengqian.domain.errors import InvalidInput

from . import actions, selectors
from .models import Project

router = Router(tags=["征地项目"])


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    purpose: str
    owner_name: str
    district_id: int
    township_ids: list[int]
    land_area: Decimal
    land_area_mu: Decimal
    policy_pack: str
    status: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_township_ids(obj: Project) -> list[int]:
        return sorted(t.pk for t in obj.townships.all())


class ProjectCreateIn(Schema):
    code: str
    name: str
    owner_name: str
    district_id: int
    township_ids: list[int]
    land_area: Decimal
    policy_pack: str
    purpose: str = ""


class ProjectUpdateIn(Schema):
    name: str
    owner_name: str
    township_ids: list[int]
    land_area: Decimal
    status: str
    purpose: str = ""
    reason: str = ""


class ProjectFilter(Schema):
    q: str = ""
    status: str = ""
    township_id: int | None = None
    policy_pack: str = ""
    page: int = 1


class ProjectPage(Schema):
    count: int
    page: int
    items: list[ProjectOut]


def _townships(request: HttpRequest, ids: list[int]) -> list[Jurisdiction]:
    found = {
        node.pk: node
        for node in jurisdictions_for(user=request.user, level=JurisdictionLevel.TOWNSHIP).filter(pk__in=ids)
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(f"镇街不存在或不在您的辖区：{missing}", field="township_ids")
    return [found[i] for i in ids]


@router.get("", response=ProjectPage, summary="项目列表（本人辖区）")
def project_list(request: HttpRequest, filters: Query[ProjectFilter]) -> dict[str, object]:
    qs = selectors.projects_for(
        user=request.user,
        search=filters.q,
        status=filters.status,
        township_id=filters.township_id,
        policy_pack=filters.policy_pack,
    )
    return {"count": qs.count(), "page": max(filters.page, 1), "items": list(qs[page_slice(filters.page)])}


@router.get("/{project_id}", response=ProjectOut, summary="项目详情")
def project_detail(request: HttpRequest, project_id: int) -> object:
    return selectors.project_get(user=request.user, pk=project_id)


@router.post("", response={201: ProjectOut}, summary="新建项目")
def project_create(request: HttpRequest, payload: ProjectCreateIn) -> Status:
    district = (
        jurisdictions_for(user=request.user, level=JurisdictionLevel.DISTRICT).filter(pk=payload.district_id).first()
    )
    if district is None:
        raise InvalidInput("所属区县不存在或不在您的辖区。", field="district_id")
    project = actions.project_create(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        owner_name=payload.owner_name,
        district=district,
        townships=_townships(request, payload.township_ids),
        land_area=payload.land_area,
        policy_pack=payload.policy_pack,
        purpose=payload.purpose,
    )
    return Status(201, selectors.project_get(user=request.user, pk=project.pk))


@router.put("/{project_id}", response=ProjectOut, summary="修改项目")
def project_update(request: HttpRequest, project_id: int, payload: ProjectUpdateIn) -> object:
    project = selectors.project_get(user=request.user, pk=project_id)
    actions.project_update(
        actor=request.user,
        project=project,
        name=payload.name,
        owner_name=payload.owner_name,
        townships=_townships(request, payload.township_ids),
        land_area=payload.land_area,
        status=payload.status,
        purpose=payload.purpose,
        reason=payload.reason,
    )
    return selectors.project_get(user=request.user, pk=project_id)
