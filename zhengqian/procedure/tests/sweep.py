"""Scope-sweep entries for every object URL of the procedure app (used by
zhengqian/core/tests/test_scope_sweep.py)."""

from __future__ import annotations

import hashlib
from typing import Any

from zhengqian.core import clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import Role, User
from zhengqian.households.tests.factories import make_household

from .. import actions
from ..engine import ensure_chain_steps, pack_of
from ..models import Assembly, AssemblyAttendance, ProcedureDocument, StepEvidence
from .helpers import upload

PROCEDURE_URLS: dict[str, Any] = {
    "procedure:project": lambda o: {"pk": o["project"].pk},
    "procedure:step_complete": lambda o: {"pk": o["project"].pk, "code": "status_survey"},
    "procedure:step_waive": lambda o: {"pk": o["project"].pk, "code": "hearing"},
    "procedure:step_lapse": lambda o: {"pk": o["project"].pk, "code": "hearing_request"},
    "procedure:fact_record": lambda o: {"pk": o["project"].pk},
    "procedure:late_registration": lambda o: {"pk": o["project"].pk},
    "procedure:notice_create": lambda o: {"pk": o["project"].pk},
    "procedure:assembly_create": lambda o: {"pk": o["project"].pk},
    "procedure:hearing": lambda o: {"pk": o["project"].pk},
    "procedure:hearing_action": lambda o: {"pk": o["project"].pk, "what": "representative"},
    "procedure:household": lambda o: {"pk": o["procedure_household"].pk},
    "procedure:household_step_complete": lambda o: {"pk": o["procedure_household"].pk, "code": "surveyed"},
    "procedure:household_step_lapse": lambda o: {"pk": o["procedure_household"].pk, "code": "survey_objection"},
    "procedure:chain_start": lambda o: {"pk": o["procedure_household"].pk},
    "procedure:chain_issue": lambda o: {"pk": o["procedure_household"].pk, "code": "compensation_decision"},
    "procedure:dossier_zip": lambda o: {"pk": o["procedure_household"].pk},
    "procedure:dossier_pdf": lambda o: {"pk": o["procedure_household"].pk},
    "procedure:document": lambda o: {"pk": o["notice"].pk},
    "procedure:document_print": lambda o: {"pk": o["notice"].pk},
    "procedure:document_pdf": lambda o: {"pk": o["notice"].pk},
    "procedure:document_publish": lambda o: {"pk": o["notice"].pk},
    "procedure:document_serve": lambda o: {"pk": o["chain_document"].pk},
    "procedure:document_evidence": lambda o: {"pk": o["document_evidence"].pk},
    "procedure:evidence": lambda o: {"pk": o["step_evidence"].pk},
    "procedure:assembly": lambda o: {"pk": o["assembly"].pk},
    "procedure:assembly_close": lambda o: {"pk": o["assembly"].pk},
    "procedure:assembly_attendance": lambda o: {"pk": o["assembly"].pk, "household_id": o["procedure_household"].pk},
    "api-1:procedure_project": lambda o: {"project_id": o["project"].pk},
    "api-1:procedure_project_step_complete": lambda o: {"project_id": o["project"].pk, "code": "status_survey"},
    "api-1:procedure_project_step_waive": lambda o: {"project_id": o["project"].pk, "code": "hearing"},
    "api-1:procedure_project_fact": lambda o: {"project_id": o["project"].pk},
    "api-1:procedure_household": lambda o: {"household_id": o["procedure_household"].pk},
    "api-1:procedure_household_step_complete": lambda o: {
        "household_id": o["procedure_household"].pk,
        "code": "surveyed",
    },
    "api-1:procedure_chain_start": lambda o: {"household_id": o["procedure_household"].pk},
    "api-1:procedure_document_detail": lambda o: {"document_id": o["notice"].pk},
    "api-1:procedure_document_publish": lambda o: {"document_id": o["notice"].pk},
    "api-1:procedure_document_serve": lambda o: {"document_id": o["chain_document"].pk},
    "api-1:procedure_assembly_detail": lambda o: {"assembly_id": o["assembly"].pk},
    "api-1:procedure_assembly_attendance": lambda o: {"assembly_id": o["assembly"].pk},
}

PROCEDURE_BODIES: dict[str, Any] = {
    "api-1:procedure_project_step_waive": lambda o: {"reason": "x"},
    "api-1:procedure_chain_start": lambda o: {"reason": "x"},
    "api-1:procedure_assembly_attendance": lambda o: {
        "household_id": o["procedure_household"].pk,
        "attendance": "present",
    },
}


def sweep_objects(*, actor: Any, project: Any, township: Any) -> dict[str, Any]:
    """Township A's procedure objects: a household with a contract certificate, a published
    notice (with its posting photo and step evidence), a chain document and an assembly."""
    office = User.objects.filter(role=Role.EXPROPRIATION_OFFICE, jurisdiction__level="district").first()
    household = make_household(actor, project, township, code="SWEEP-P1", contract_certificate_no="SW-001")
    today = clock.today()
    notice = actions.notice_draft(actor=office, project=project, kind="pre_announcement", issued_on=today)
    actions.notice_publish(
        actor=office,
        document=notice,
        published_on=today,
        posting_place="村委会",
        photos=[upload("photo", content=b"sweep-photo")],
    )
    ensure_chain_steps(household, pack_of(project))
    pdf = evidence_store(actor=office, content=b"%PDF sweep chain", original_name="chain.pdf")
    chain_document = ProcedureDocument.objects.create(
        project=project,
        household=household,
        kind="compensation_decision",
        step_code="compensation_decision",
        title="征地补偿安置决定书",
        year=today.year,
        seq=1,
        number="SWEEP-1",
        issued_on=today,
        html="<p>x</p>",
        html_sha256=hashlib.sha256(b"<p>x</p>").hexdigest(),
        pdf=pdf,
        created_by=office,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    assembly = Assembly.objects.create(
        project=project, held_on=today, place="村委会", total=1, created_by=office, created_at=clock.now()
    )
    AssemblyAttendance.objects.create(assembly=assembly, household=household, certificate_no="SW-001")
    return {
        "procedure_household": household,
        "notice": notice,
        "chain_document": chain_document,
        "assembly": assembly,
        "document_evidence": notice.evidence.first(),
        "step_evidence": StepEvidence.objects.filter(step__project=project).first(),
    }
