"""The JSON API at /api/v1/ (django-ninja): session or bearer-token auth, same actions and
selectors as the staff UI, errors as JSON naming the field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from zhengqian.core.actions import api_token_authenticate
from zhengqian.domain.errors import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """Session cookie of a logged-in staff user; CSRF is checked on unsafe methods."""


api = NinjaAPI(
    title="征迁 Zhengqian API",
    version="1",
    description=(
        "征地拆迁补偿安置管理系统接口。认证：登录会话，或 `Authorization: Bearer <token>`"
        "（`manage.py api_token USERNAME`）。"
    ),
    auth=[BearerToken(), StaffSession()],
    urls_namespace="api-1",
)


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field_name(list(item.get("loc", []))), "message": _chinese(item)} for item in exc.errors]
    return api.create_response(request, {"detail": "输入有误", "errors": errors}, status=422)


def _chinese(item: dict[str, Any]) -> str:
    kind = str(item.get("type", ""))
    if kind == "missing":
        return "必填"
    if "parsing" in kind or kind.endswith("_type"):
        return f"格式不正确：{item.get('msg', '')}"
    return str(item.get("msg", "无效"))


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body = {"detail": str(exc), "message": exc.message, "clause": exc.clause, "field": exc.field}
    return api.create_response(request, body, status=400)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "不存在或无权查看"}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = getattr(exc, "message", "") or "您的角色无权执行此操作。"
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


def _register_routers() -> None:
    from zhengqian.compensation.api import router as compensation_router
    from zhengqian.coordination.api import router as coordination_router
    from zhengqian.core.api import router as core_router
    from zhengqian.documents.api import router as documents_router
    from zhengqian.funds.api import router as funds_router
    from zhengqian.households.api import router as households_router
    from zhengqian.households.api_import import router as household_io_router
    from zhengqian.legal.api import router as legal_router
    from zhengqian.procedure.api import router as procedure_router
    from zhengqian.projects.api import router as projects_router
    from zhengqian.resettlement.api import router as resettlement_router

    api.add_router("/", core_router)
    api.add_router("/projects", projects_router)
    api.add_router("/households", households_router)
    api.add_router("/projects", household_io_router)
    api.add_router("/", legal_router)
    api.add_router("/funds", funds_router)
    api.add_router("/compensation", compensation_router)
    api.add_router("/procedure", procedure_router)
    api.add_router("/documents", documents_router)
    api.add_router("/coordination", coordination_router)
    api.add_router("/resettlement", resettlement_router)


_register_routers()
