"""Scope-sweep entries for the workbook, survey-sheet and map URLs (views_import.py,
api_import.py), used by zhengqian/core/tests/test_scope_sweep.py."""

from __future__ import annotations

from typing import Any

from zhengqian.core import clock

from ..models import HouseholdImport, ImportStatus

IMPORT_URLS: dict[str, Any] = {
    "households:import_detail": lambda o: {"pk": o["household_import"].pk},
    "households:import_progress": lambda o: {"pk": o["household_import"].pk},
    "households:import_report": lambda o: {"pk": o["household_import"].pk},
    "households:export_register": lambda o: {"project_id": o["project"].pk},
    "households:map_project": lambda o: {"project_id": o["project"].pk},
    "households:survey_sheet": lambda o: {"pk": o["household"].pk},
    "households:survey_sheet_pdf": lambda o: {"pk": o["household"].pk},
    "api-1:parcels_geojson": lambda o: {"project_id": o["project"].pk},
    "api-1:project_boundary_geojson": lambda o: {"project_id": o["project"].pk},
    "api-1:household_import_create": lambda o: {"project_id": o["project"].pk},
    "api-1:household_import_detail": lambda o: {"import_id": o["household_import"].pk},
}


def import_objects(*, actor: Any, project: Any) -> dict[str, Any]:
    """A rejected import batch uploaded by a clerk of township A."""
    batch = HouseholdImport.objects.create(
        project=project, file_name="sweep.xlsx", sha256="f" * 64, size=1, status=ImportStatus.REJECTED,
        message="sweep", jurisdiction_path=actor.scope_path, created_by=actor, created_at=clock.now(),
    )
    return {"household_import": batch}
