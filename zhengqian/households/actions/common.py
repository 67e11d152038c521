"""What the household actions share (docs/architecture.md): the audited field lists and the
small input checks, each refusal an InvalidInput naming the field; the scope checks."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, JurisdictionLevel, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.models import Project

from ..models import (
    Attachment,
    Building,
    Crop,
    Household,
    Parcel,
    RegisterFreeze,
)

HOUSEHOLD_FIELDS = [
    "project", "code", "head_name", "village", "group", "address", "phone", "contract_certificate_no",
    "homestead_certificate_no", "bank_name", "bank_account_no", "bank_account_holder", "status", "survey_state", "note",
]
MEMBER_FIELDS = [
    "household", "name", "id_type", "id_number_masked", "sex", "birth_date", "relation", "hukou_type",
    "is_resettlement_person", "note",
]
_ITEM_COMMON = ["project", "code", "baseline_quantity", "cutoff_flag", "cutoff_clause", "note"]
PARCEL_FIELDS = [
    *_ITEM_COMMON, "village", "household", "ownership", "land_class", "area", "measured_area", "area_mismatch",
]
BUILDING_FIELDS = [
    *_ITEM_COMMON, "household", "parcel", "structure", "floors", "floor_area", "use", "legality", "build_year",
]
ATTACHMENT_FIELDS = [*_ITEM_COMMON, "household", "parcel", "kind", "spec", "quantity", "unit"]
CROP_FIELDS = [*_ITEM_COMMON, "household", "parcel", "kind", "quantity", "unit"]
SURVEY_FIELDS = [
    "household", "version", "surveyed_on", "surveyors", "state", "signed_on", "signed_by_name", "refused",
    "served_on", "window_start", "window_due", "window_provisional", "confirmed_on", "confirmation_basis", "clause",
]
OBJECTION_FIELDS = ["survey", "filed_on", "filed_by_name", "content", "outcome", "resolved_on", "resolution"]
ITEM_FIELDS: dict[type[models.Model], list[str]] = {
    Parcel: PARCEL_FIELDS, Building: BUILDING_FIELDS, Attachment: ATTACHMENT_FIELDS, Crop: CROP_FIELDS,
}
ITEM_PREFIX = {Parcel: "DK", Building: "FW", Attachment: "FZ", Crop: "QM"}
_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
_ACCOUNT = re.compile(r"^[0-9]{8,30}$")


# --- small checks -------------------------------------------------------------------------


def _text(value: Any, field: str, label: str, max_length: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{label}须为文字。", field=field)
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{label}不能为空。", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{label}不能超过 {max_length} 个字。", field=field)
    return value


def _choice(value: Any, choices: type[models.TextChoices], field: str, label: str) -> str:
    if value not in choices.values:
        raise InvalidInput(f"{label}无效：{value!r}。", field=field)
    return str(value)


def _decimal(value: Any, field: str, label: str, *, max_value: Decimal = Decimal("1e12")) -> Decimal:
    """A positive amount with at most two decimals, from str/int/Decimal (never float)."""
    if isinstance(value, bool | float):
        raise InvalidInput(f"{label}须为数字（请以文字或整数提供，不接受浮点数）。", field=field)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{label}须为数字。", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"{label}须为数字。", field=field)
    if number <= 0:
        raise InvalidInput(f"{label}须大于 0。", field=field)
    if number != number.quantize(Decimal("0.01")):
        raise InvalidInput(f"{label}最多保留两位小数。", field=field)
    if number >= max_value:
        raise InvalidInput(f"{label}超出范围。", field=field)
    return number.quantize(Decimal("0.01"))


def _int(value: Any, field: str, label: str, low: int, high: int, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(f"{label}不能为空。", field=field)
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"{label}须为整数。", field=field)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{label}须为整数。", field=field) from None
    if not low <= number <= high:
        raise InvalidInput(f"{label}应在 {low}—{high} 之间。", field=field)
    return number


def _date(value: Any, field: str, label: str, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(f"{label}不能为空。", field=field)
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(f"{label}格式应为 YYYY-MM-DD。", field=field) from None
    if not isinstance(value, date):
        raise InvalidInput(f"{label}须为日期。", field=field)
    if value > clock.today():
        raise InvalidInput(f"{label}不能晚于今天。", field=field)
    if value.year < 1900:
        raise InvalidInput(f"{label}无效。", field=field)
    return value


def _instance(value: Any, model: type[models.Model], field: str, label: str) -> Any:
    """A model instance (or None); an id given where an instance belongs is a dangling reference."""
    if value is None:
        return None
    if not isinstance(value, model):
        raise InvalidInput(f"{label}不存在。", field=field)
    return value


def _in_scope(actor: User, path: str) -> bool:
    scope = actor.scope_path
    return bool(scope) and path.startswith(scope)


def _check_project(actor: User, project: Any) -> Project:
    project = _instance(project, Project, "project", "征地项目")
    if project is None:
        raise InvalidInput("请选择征地项目。", field="project")
    from zhengqian.projects.selectors import projects_for

    if not projects_for(user=actor).filter(pk=project.pk).exists():
        raise InvalidInput("征地项目不存在或不在您的辖区。", field="project")
    return project


def _check_village(actor: User, project: Project, village: Any, group: Any = None) -> tuple[Jurisdiction, Any]:
    village = _instance(village, Jurisdiction, "village", "村/社区")
    if village is None:
        raise InvalidInput("请选择村/社区。", field="village")
    if village.level != JurisdictionLevel.VILLAGE:
        raise InvalidInput(f"“{village.name}”不是村/社区。", field="village")
    if not _in_scope(actor, village.path):
        raise InvalidInput(f"“{village.name}”不在您的辖区。", field="village")
    if not project.townships.filter(pk=village.parent_id).exists():
        raise InvalidInput(f"“{village.name}”不在本项目涉及的镇街内。", field="village")
    group = _instance(group, Jurisdiction, "group", "村民小组")
    if group is not None and (group.level != JurisdictionLevel.GROUP or group.parent_id != village.pk):
        raise InvalidInput(f"“{group.name}”不是{village.name}下的村民小组。", field="group")
    return village, group


def _check_household_access(actor: User, household: Household) -> Household:
    require(actor, "household.edit")
    household = Household.objects.select_related("village", "project").get(pk=household.pk)
    if not _in_scope(actor, household.village.path):
        raise InvalidInput("该户不在您的辖区。", field="household")
    return household


def _locked_household(household: Household) -> Household:
    return Household.objects.select_for_update().select_related("village", "project").get(pk=household.pk)


def _freeze_of(project: Project) -> RegisterFreeze | None:
    return RegisterFreeze.objects.filter(project_id=project.pk).first()
