"""API of the project map and the register workbook (mounted under /api/v1/projects).

    GET  /projects/{id}/parcels.geojson?bbox=w,s,e,n&zoom=z&limit=n   parcels in a viewport
    GET  /projects/{id}/boundary.geojson                              the project boundary
    POST /projects/{id}/household-imports   (multipart "file")        import a workbook now
    GET  /projects/household-imports/{id}                             an import's outcome
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import File, Query, Router, Schema, Status, UploadedFile

from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.selectors import project_get

from . import geo, imports

router = Router(tags=["户信息导入与地图"])
GEOJSON = "application/geo+json"


class ParcelQuery(Schema):
    bbox: str = ""
    zoom: int = 14
    limit: int = geo.DEFAULT_LIMIT


class IssueOut(Schema):
    sheet: str
    row: int | None
    column: str
    header: str = ""
    value: str = ""
    message: str


class ImportOut(Schema):
    id: int
    project_id: int
    file_name: str
    sha256: str
    size: int
    status: str
    message: str
    counts: dict[str, int]
    issue_total: int
    issues: list[IssueOut]
    created_at: datetime
    finished_at: datetime | None


@router.get(
    "/{int:project_id}/parcels.geojson",
    summary="地块 GeoJSON（按视野 bbox 与缩放级别，最多 limit 块，按缩放简化）",
    response={200: Any},
    openapi_extra={"responses": {200: {"content": {GEOJSON: {}}}}},
)
def parcels_geojson(request: HttpRequest, project_id: int, query: Query[ParcelQuery]) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    bbox = None
    if query.bbox:
        try:
            bbox = geo.BBox.parse(query.bbox)
        except ValueError as error:
            raise InvalidInput(str(error), field="bbox") from None
    if not geo.MIN_ZOOM <= query.zoom <= geo.MAX_ZOOM:
        raise InvalidInput(f"zoom 应在 {geo.MIN_ZOOM}—{geo.MAX_ZOOM} 之间。", field="zoom")
    if not 1 <= query.limit <= geo.MAX_LIMIT:
        raise InvalidInput(f"limit 应在 1—{geo.MAX_LIMIT} 之间。", field="limit")
    text = geo.parcels_geojson(user=request.user, project=project, bbox=bbox, zoom=query.zoom, limit=query.limit)
    return HttpResponse(text, content_type=GEOJSON)


@router.get("/{int:project_id}/boundary.geojson", summary="征地范围（地块外包络）", response={200: Any})
def project_boundary_geojson(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(user=request.user, pk=project_id)
    return JsonResponse(geo.project_boundary(project=project), content_type=GEOJSON)


@router.post(
    "/{int:project_id}/household-imports",
    response={201: ImportOut},
    summary="导入户信息工作簿（逐行校验，全部无误才保存；结果含问题清单）",
)
def household_import_create(
    request: HttpRequest, project_id: int, file: File[UploadedFile] = None  # type: ignore[assignment]
) -> Status:
    project = project_get(user=request.user, pk=project_id)
    if file is None:
        raise InvalidInput("请上传工作簿文件（multipart 字段 file）。", field="file")
    batch = imports.import_start(
        actor=request.user, project=project, content=file, file_name=file.name or "upload.xlsx", background=False
    )
    return Status(201, batch)


@router.get("/household-imports/{int:import_id}", response=ImportOut, summary="导入批次结果")
def household_import_detail(request: HttpRequest, import_id: int) -> object:
    return imports.import_get(user=request.user, pk=import_id)
