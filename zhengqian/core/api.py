from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from zhengqian.core.http import PAGE_SIZE

from . import actions, selectors

router = Router(tags=["基础"])


class JurisdictionOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str
    is_active: bool


class JurisdictionIn(Schema):
    parent_id: int
    code: str
    name: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    jurisdiction_id: int | None
    department_id: int | None


class ListFilter(Schema):
    q: str = ""
    level: str = ""
    page: int = 1


class JurisdictionPage(Schema):
    count: int
    page: int
    items: list[JurisdictionOut]


def page_slice(page: int) -> slice:
    page = max(page, 1)
    return slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> object:
    return request.user


@router.get("/jurisdictions", response=JurisdictionPage, summary="行政区划列表（本人辖区）")
def jurisdiction_list(request: HttpRequest, filters: Query[ListFilter]) -> dict[str, object]:
    qs = selectors.jurisdictions_for(user=request.user, level=filters.level or None, search=filters.q)
    return {"count": qs.count(), "page": max(filters.page, 1), "items": list(qs[page_slice(filters.page)])}


@router.get("/jurisdictions/{node_id}", response=JurisdictionOut, summary="行政区划")
def jurisdiction_detail(request: HttpRequest, node_id: int) -> object:
    return selectors.jurisdiction_get(user=request.user, pk=node_id)


@router.post("/jurisdictions", response={201: JurisdictionOut}, summary="新增行政区划")
def jurisdiction_create(request: HttpRequest, payload: JurisdictionIn) -> Status:
    parent = selectors.jurisdiction_get(user=request.user, pk=payload.parent_id)
    node = actions.jurisdiction_create(actor=request.user, code=payload.code, name=payload.name, parent=parent)
    return Status(201, node)
