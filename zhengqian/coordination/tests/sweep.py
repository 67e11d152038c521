"""Scope-sweep entries for every object URL of the coordination app (used by
zhengqian/core/tests/test_scope_sweep.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhengqian.core import clock
from zhengqian.core.models import Department, Jurisdiction, User
from zhengqian.households.tests.factories import make_household
from zhengqian.projects.models import Project

from .. import actions, actions_incidents, actions_petitions, actions_risk

COORDINATION_URLS: dict[str, Any] = {
    "coordination:task": lambda o: {"pk": o["coordination_task"].pk},
    "coordination:task_cancel": lambda o: {"pk": o["coordination_task"].pk},
    "coordination:meeting": lambda o: {"pk": o["coordination_meeting"].pk},
    "coordination:incident": lambda o: {"pk": o["coordination_incident"].pk},
    "coordination:incident_action": lambda o: {"pk": o["coordination_incident"].pk, "what": "note"},
    "coordination:petition": lambda o: {"pk": o["coordination_petition"].pk},
    "coordination:support_create": lambda o: {"household_id": o["coordination_household"].pk},
    "coordination:risk": lambda o: {"pk": o["coordination_risk"].pk},
    "api-1:coordination_task_detail": lambda o: {"task_id": o["coordination_task"].pk},
    "api-1:coordination_task_complete": lambda o: {"task_id": o["coordination_task"].pk},
    "api-1:coordination_task_cancel": lambda o: {"task_id": o["coordination_task"].pk},
    "api-1:coordination_meeting_detail": lambda o: {"meeting_id": o["coordination_meeting"].pk},
    "api-1:coordination_decision_create": lambda o: {"meeting_id": o["coordination_meeting"].pk},
    "api-1:coordination_incident_detail": lambda o: {"incident_id": o["coordination_incident"].pk},
    "api-1:coordination_incident_arrival": lambda o: {"incident_id": o["coordination_incident"].pk},
    "api-1:coordination_incident_close": lambda o: {"incident_id": o["coordination_incident"].pk},
    "api-1:coordination_petition_answer": lambda o: {"petition_id": o["coordination_petition"].pk},
}

COORDINATION_BODIES: dict[str, Any] = {
    "api-1:coordination_task_cancel": lambda o: {"reason": "不再需要"},
    "api-1:coordination_task_complete": lambda o: {
        "note": "x",
        "evidence_name": "a.pdf",
        "evidence_base64": "JVBERi0xLjQ=",
    },
    "api-1:coordination_decision_create": lambda o: {
        "text": "x",
        "project_id": o["project"].pk,
        "owners": [{"township_id": o["township"].pk}],
    },
    "api-1:coordination_incident_arrival": lambda o: {"leader_name": "x", "arrived_at": "2026-03-02T10:00:00+08:00"},
    "api-1:coordination_incident_close": lambda o: {"text": "x"},
    "api-1:coordination_petition_answer": lambda o: {"answer": "x"},
}

COORDINATION_UNSCOPED: dict[str, str] = {
    "coordination:department": "department (district-wide; its task list is scoped)",
    "api-1:coordination_assessment_figures": "assessment year (figures are scoped to the user's townships)",
}


def coordination_objects(*, project: Project, township: Jurisdiction) -> dict[str, Any]:
    from zhengqian.coordination.departments import seed
    from zhengqian.coordination.models import DepartmentDuty

    seed(Department, DepartmentDuty)
    office = User.objects.get(username="office")
    household = make_household(office, project, township, code="SWEEP-C-1")
    with clock.frozen("2026-03-02T09:30:00"):
        meeting = actions.meeting_record(actor=office, title="调度", held_on=date(2026, 3, 2))
        decision = actions.decision_record(
            actor=office, meeting=meeting, text="张贴公告", project=project, owners=[actions.Owner(township=township)]
        )
        incident = actions_incidents.incident_report(
            actor=office,
            project=project,
            township=township,
            occurred_at=clock.now(),
            place="村口",
            size=3,
            severity="larger",
            summary="聚集",
        )
        petition = actions_petitions.petition_receive(
            actor=office,
            project=project,
            township=township,
            petitioner="某",
            summary="诉求",
            received_on=date(2026, 3, 2),
        )
    return {
        "coordination_task": decision.tasks.get(),
        "coordination_meeting": meeting,
        "coordination_incident": incident,
        "coordination_petition": petition,
        "coordination_household": household,
        "coordination_risk": actions_risk.risk_assessment_open(actor=office, project=project, title="评估"),
    }
