"""Every state change of the procedure app (docs/architecture.md "Actions"), split by area:

- ``actions_steps``: complete / waive / lapse / override a step, record a fact, late registration;
- ``actions_documents``: number, generate, publish and serve notices and documents;
- ``actions_meetings``: villager assemblies and hearings;
- ``actions_chain``: the forced-vacate chain and the court dossier;
- ``scan``: the nightly overdue scan and its notifications.
"""

from __future__ import annotations

from .actions_chain import Dossier, chain_document_issue, chain_start, dossier_export
from .actions_documents import document_serve, next_number, notice_draft, notice_publish
from .actions_facts import fact_record, project_fact_set
from .actions_meetings import (
    assembly_close,
    assembly_open,
    assembly_tally,
    attendance_set,
    hearing_hold,
    hearing_request_record,
    opinion_issue,
    opinion_vote,
    plan_objections_record,
    representative_add,
)
from .actions_steps import (
    Attach,
    Upload,
    registration_apply_late,
    step_complete,
    step_lapse,
    step_waive,
)
from .scan import ScanReport, notification_read, procedure_scan

__all__ = [
    "Attach",
    "Dossier",
    "ScanReport",
    "Upload",
    "assembly_close",
    "assembly_open",
    "assembly_tally",
    "attendance_set",
    "chain_document_issue",
    "chain_start",
    "document_serve",
    "dossier_export",
    "fact_record",
    "hearing_hold",
    "hearing_request_record",
    "next_number",
    "notice_draft",
    "notice_publish",
    "notification_read",
    "opinion_issue",
    "opinion_vote",
    "plan_objections_record",
    "procedure_scan",
    "project_fact_set",
    "registration_apply_late",
    "representative_add",
    "step_complete",
    "step_lapse",
    "step_waive",
]
