"""Error pages: public pages (/public/) get their own 404/500 without the staff layout and
never a stack trace; staff pages keep the project's templates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template.loader import render_to_string


def _public(request: HttpRequest) -> bool:
    return request.path.startswith("/public/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _public(request):
        return HttpResponseNotFound(render_to_string("public/404.html"))
    return HttpResponseNotFound(render_to_string("404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors, no database: the error may be the database.
    return HttpResponseServerError(render_to_string("public/500.html" if _public(request) else "500.html"))
