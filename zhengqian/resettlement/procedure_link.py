"""Hand-over to the procedure app: an allocation, a handover or a certificate completes the
household's step of the project's pack when it has one (banan-2015 (四) ``housing_allocated`` /
``property_certificate``, 土地管理法 第四十八条 ``resettled``), so the property-certificate clock
(3 months, at the latest 6, on the official calendar) runs on the procedure overdue board.

The step is recorded through the procedure app's own checks (order of steps, gates, evidence)
inside a savepoint: when the law's order does not allow it yet (an earlier step open), the
resettlement record stands and the reason is returned for the page to show; the step can then
be completed by hand on the procedure page."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhengqian.core.models import User
from zhengqian.domain.errors import DomainError
from zhengqian.households.models import Household


def step_done(
    *, actor: User, household: Household, code: str, done_on: date, document: bytes, name: str, note: str = ""
) -> str:
    """Complete ``code`` for ``household``; "" when done (or nothing to do), else why not."""
    if not apps.is_installed("zhengqian.procedure"):
        return ""
    from zhengqian.procedure import engine
    from zhengqian.procedure.actions_steps import Upload, complete_in_context, open_context
    from zhengqian.procedure.models import StepStatus

    pack = engine.pack_of(household.project)
    if not pack.has_step(code):
        return ""
    step = pack.step(code)
    uploads = [Upload(kind=kind, content=document, name=name, content_type="text/html") for kind in step.evidence]
    try:
        with transaction.atomic():
            context = open_context(household.project, household)
            row = context.rows.get(code)
            if row is not None and row.status == StepStatus.DONE:
                return ""
            complete_in_context(context, actor=actor, code=code, done_on=done_on, uploads=uploads, note=note)
    except (DomainError, PermissionDenied) as error:
        return f"程序步骤「{step.name}」未自动登记：{error}"
    return ""
