"""A user of township B asks for every object URL of township A: each answer is 404.

Every URL pattern that takes an object id must be listed in OBJECT_URLS; a new page that is
not listed fails `test_every_object_url_is_swept`, so scope cannot be forgotten."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zhengqian.compensation.tests.sweep import COMPENSATION_BODIES, COMPENSATION_URLS, compensation_objects
from zhengqian.coordination.tests.sweep import (
    COORDINATION_BODIES,
    COORDINATION_UNSCOPED,
    COORDINATION_URLS,
    coordination_objects,
)
from zhengqian.documents.tests.sweep import DOCUMENTS_BODIES, DOCUMENTS_URLS, PUBLIC_URLS, documents_objects
from zhengqian.funds.tests.sweep import FUNDS_BODIES, FUNDS_URLS
from zhengqian.funds.tests.sweep import sweep_objects as funds_objects
from zhengqian.households.tests.import_sweep import IMPORT_URLS, import_objects
from zhengqian.households.tests.sweep import HOUSEHOLD_BODIES, HOUSEHOLD_URLS, sweep_objects
from zhengqian.procedure.tests.sweep import PROCEDURE_BODIES, PROCEDURE_URLS
from zhengqian.procedure.tests.sweep import sweep_objects as procedure_objects
from zhengqian.resettlement.tests.sweep import RESETTLEMENT_BODIES, RESETTLEMENT_URLS, resettlement_objects

Builder = Callable[[dict[str, Any]], dict[str, Any]]

# route name -> kwargs built from township A's objects. API routes that take a body get a
# well-formed one (BODIES), so the answer is about scope and not about validation.
OBJECT_URLS: dict[str, Builder] = {
    "projects:detail": lambda o: {"pk": o["project"].pk},
    "projects:edit": lambda o: {"pk": o["project"].pk},
    "core:jurisdiction_edit": lambda o: {"pk": o["township"].pk},
    "core:account_token_revoke": lambda o: {"pk": o["token"].pk},
    "core:user_edit": lambda o: {"pk": o["user"].pk},
    "api-1:jurisdiction_detail": lambda o: {"node_id": o["township"].pk},
    "api-1:project_detail": lambda o: {"project_id": o["project"].pk},
    "api-1:project_update": lambda o: {"project_id": o["project"].pk},
    **HOUSEHOLD_URLS,
    **IMPORT_URLS,
    "legal:project_deadlines": lambda o: {"pk": o["project"].pk},
    "api-1:project_schedule": lambda o: {"project_id": o["project"].pk},
    **COMPENSATION_URLS,
    **FUNDS_URLS,
    **PROCEDURE_URLS,
    **DOCUMENTS_URLS,
    **COORDINATION_URLS,
    **RESETTLEMENT_URLS,
}

# Routes whose parameter is not a jurisdiction-scoped object (a calendar year, a policy pack
# code): every staff user sees the same thing, so there is no scope to sweep.
UNSCOPED_URLS: dict[str, str] = {
    "legal:policy_detail": "policy pack code",
    "api-1:calendar_year": "calendar year",
    "api-1:policy_detail": "policy pack code",
    **PUBLIC_URLS,
    **COORDINATION_UNSCOPED,
}


def _project_body(o: dict[str, Any]) -> dict[str, Any]:
    return {"name": "x", "owner_name": "y", "township_ids": [o["township"].pk], "land_area": "1", "status": "preparing"}


# Routes on one path share its methods, so both names of /api/v1/projects/{id} get the body.
BODIES: dict[str, Builder] = {
    "api-1:project_detail": _project_body,
    "api-1:project_update": _project_body,
    **HOUSEHOLD_BODIES,
    **COMPENSATION_BODIES,
    **FUNDS_BODIES,
    **PROCEDURE_BODIES,
    **COORDINATION_BODIES,
    **DOCUMENTS_BODIES,
    **RESETTLEMENT_BODIES,
}


def _named_patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_named_patterns(entry, inner))
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def _object_routes() -> set[str]:
    return {
        name
        for name, pattern in _named_patterns(get_resolver())
        if pattern.pattern.converters and not name.startswith("admin:")
    }


def test_every_object_url_is_swept():
    missing = _object_routes() - set(OBJECT_URLS) - set(UNSCOPED_URLS)
    assert not missing, f"add these routes to OBJECT_URLS: {sorted(missing)}"


@pytest.fixture
def township_a_objects(project_a, township_a, clerk_a):
    from zhengqian.core.actions import api_token_create

    token, _ = api_token_create(actor=None, user=clerk_a)
    objects = {"project": project_a, "township": township_a, "token": token, "user": clerk_a}
    objects.update(sweep_objects(actor=clerk_a, project=project_a, township=township_a))
    objects.update(import_objects(actor=clerk_a, project=project_a))
    objects.update(compensation_objects(project=project_a, township=township_a))
    objects.update(funds_objects(project=project_a, township=township_a))
    objects.update(procedure_objects(actor=clerk_a, project=project_a, township=township_a))
    objects.update(documents_objects(project=project_a, household=objects["procedure_household"]))
    objects.update(coordination_objects(project=project_a, township=township_a))
    objects.update(resettlement_objects(project=project_a, township=township_a))
    return objects


# One world of township A objects serves every route (building it per route made the sweep
# the slowest file of the suite); each test walks all routes and lists every failure at once.


def _url(route: str, objects: dict[str, Any]) -> str:
    return reverse(route, kwargs=OBJECT_URLS[route](objects))


def test_other_township_gets_404(client, clerk_b, township_a_objects):
    client.force_login(clerk_b)
    failures = {}
    for route in sorted(OBJECT_URLS):
        url = _url(route, township_a_objects)
        body = json.dumps(BODIES[route](township_a_objects) if route in BODIES else {})
        answers = {
            "GET": client.get(url).status_code,
            "POST": client.post(url, data=body, content_type="application/json").status_code,
            "PUT": client.put(url, data=body, content_type="application/json").status_code,
        }
        # 405 where the route has no such method; every method it has must answer 404.
        if not set(answers.values()) <= {404, 405} or 404 not in answers.values():
            failures[route] = answers
    assert not failures, failures


def test_own_township_can_read(client, clerk_a, township_a_objects):
    client.force_login(clerk_a)
    answers = {route: client.get(_url(route, township_a_objects)).status_code for route in sorted(OBJECT_URLS)}
    failures = {route: status for route, status in answers.items() if status not in {200, 403, 405}}
    assert not failures, failures
