"""The procedure fact resettlement decides: ``resettlement_in_place`` (putian-2014 (八)
"在货币补偿或房屋产权调换等安置方案落实到位后" and (十四) 先安置后拆迁), read by the gate
before the order to hand over land. True when every registered household of the project has
its resettlement in place (a signed choice; for housing, a unit allocated). Spoken only once
the project has a recorded choice; before that the fact is left to the procedure app."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef

from zhengqian.core.models import User
from zhengqian.domain.resettlement import Form
from zhengqian.households.models import Household, HouseholdStatus
from zhengqian.projects.models import Project

from .models import Allocation, HouseholdOption

FACT = "resettlement_in_place"


def households_not_in_place(project: Project) -> int:
    options = HouseholdOption.objects.filter(household=OuterRef("pk"))
    allocated = Allocation.objects.filter(household=OuterRef("pk"), cancelled=False)
    in_place = Exists(options.exclude(form=Form.HOUSING)) | (
        Exists(options.filter(form=Form.HOUSING)) & Exists(allocated)
    )
    return Household.objects.filter(project=project, status=HouseholdStatus.REGISTERED).exclude(in_place).count()


def refresh(*, actor: User, project: Project) -> bool | None:
    """Recompute the fact and hand it to the procedure app (inside the caller's transaction)."""
    if not HouseholdOption.objects.filter(project=project).exists():
        return None
    value = households_not_in_place(project) == 0
    if apps.is_installed("zhengqian.procedure"):
        from zhengqian.procedure.actions import project_fact_set

        project_fact_set(actor=actor, project=project, fact=FACT, value=value, source="resettlement")
    return value
