"""Checks shared by the compensation actions: input parsing, scope, the current standard."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from zhengqian.core import clock
from zhengqian.core.models import User
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households.models import Household, HouseholdStatus, SurveyState
from zhengqian.projects.models import Project

from ..models import CLAUSE_APPROVAL, CLAUSE_SURVEY, CompensationStandard, StandardStatus


def text(value: Any, field: str, label: str, max_length: int, *, required: bool = False) -> str:
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


def choice(value: Any, choices: type[models.TextChoices], field: str, label: str) -> str:
    if value not in choices.values:
        raise InvalidInput(f"{label}无效：{value!r}。", field=field)
    return str(value)


def amount(value: Any, field: str, label: str, *, places: int = 4, allow_none: bool = False) -> Decimal | None:
    """A non-negative amount from str/int/Decimal (never float), at most ``places`` decimals."""
    if value in (None, ""):
        if allow_none:
            return None
        raise InvalidInput(f"{label}不能为空。", field=field)
    if isinstance(value, bool | float):
        raise InvalidInput(f"{label}须为数字（请以文字或整数提供，不接受浮点数）。", field=field)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{label}须为数字。", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"{label}须为数字。", field=field)
    if number < 0:
        raise InvalidInput(f"{label}不能为负数：{number}。", field=field)
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise InvalidInput(f"{label}最多保留 {places} 位小数。", field=field)
    if number >= Decimal("1e11"):
        raise InvalidInput(f"{label}超出范围。", field=field)
    return number


def integer(value: Any, field: str, label: str, low: int, high: int, *, required: bool = True) -> int | None:
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


def day(value: Any, field: str, label: str, *, required: bool = True, not_future: bool = True) -> date | None:
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
    if not_future and value > clock.today():
        raise InvalidInput(f"{label}不能晚于今天。", field=field)
    if value.year < 2000:
        raise InvalidInput(f"{label}无效。", field=field)
    return value


def in_scope(actor: User, path: str) -> bool:
    scope = actor.scope_path
    return bool(scope) and path.startswith(scope)


def check_project(actor: User, project: Project) -> Project:
    from zhengqian.projects.selectors import projects_for

    if not isinstance(project, Project) or not projects_for(user=actor).filter(pk=project.pk).exists():
        raise InvalidInput("征地项目不存在或不在您的辖区。", field="project")
    return project


def check_household(actor: User, household: Household) -> Household:
    """The household, fresh, when it lies in the actor's subtree and is still registered."""
    if not isinstance(household, Household):
        raise InvalidInput("该户不存在。", field="household")
    household = Household.objects.select_related("village", "project").get(pk=household.pk)
    if not in_scope(actor, household.village.path):
        raise InvalidInput("该户不在您的辖区。", field="household")
    if household.status != HouseholdStatus.REGISTERED:
        raise GateClosed(f"{household.code} 户已注销，不能计价或签约。", clause=CLAUSE_SURVEY)
    return household


def require_confirmed(household: Household) -> None:
    """Pricing and agreements rest on the confirmed survey (putian-2014 (二))."""
    if household.survey_state != SurveyState.CONFIRMED:
        raise GateClosed(
            f"{household.code} 户现状调查尚未确认（当前：{household.get_survey_state_display()}），不能计价",
            clause=CLAUSE_SURVEY, field="household",
        )


def current_standard(project: Project) -> CompensationStandard | None:
    return CompensationStandard.objects.filter(project=project, status=StandardStatus.APPROVED).first()


def require_current_standard(project: Project) -> CompensationStandard:
    """Only an approved version prices households (banan-2015 (二), yongzhou-linkage 五(二))."""
    standard = current_standard(project)
    if standard is None:
        raise GateClosed(f"项目 {project.code} 尚无经领导小组审定的补偿标准，不能计价", clause=CLAUSE_APPROVAL)
    return standard
