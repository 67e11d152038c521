"""State changes of projects. Keyword-only, explicit actor, one transaction, audited."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from zhengqian.core import audit, clock
from zhengqian.core.models import Jurisdiction, JurisdictionLevel, User
from zhengqian.core.packs import require_pack
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput

from .models import Project, ProjectStatus

PROJECT_FIELDS = [
    "code",
    "name",
    "purpose",
    "owner_name",
    "district",
    "townships",
    "land_area",
    "policy_pack",
    "status",
]


def _checked_area(value: Decimal | str | int) -> Decimal:
    try:
        area = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise InvalidInput("征地总面积须为数字（平方米）。", field="land_area") from None
    if not area.is_finite() or area < 0:
        raise InvalidInput("征地总面积不能为负数。", field="land_area")
    if area != area.quantize(Decimal("0.01")):
        raise InvalidInput("征地总面积最多保留两位小数。", field="land_area")
    if area >= Decimal("1e12"):
        raise InvalidInput("征地总面积超出范围。", field="land_area")
    return area


def _checked_places(*, actor: User, district: Jurisdiction, townships: Iterable[Jurisdiction]) -> list[Jurisdiction]:
    if district.level != JurisdictionLevel.DISTRICT:
        raise InvalidInput("所属区县须为区/县级区划。", field="district")
    scope = actor.scope_path or "\0"
    if not district.path.startswith(scope) and not scope.startswith(district.path):
        raise InvalidInput("所属区县不在您的管辖范围内。", field="district")
    chosen = list(townships)
    if not chosen:
        raise InvalidInput("请至少选择一个涉及镇街。", field="townships")
    for township in chosen:
        if township.level != JurisdictionLevel.TOWNSHIP or township.parent_id != district.pk:
            raise InvalidInput(f"“{township.name}”不是{district.name}下的镇街。", field="townships")
        if not township.path.startswith(scope):
            raise InvalidInput(f"“{township.name}”不在您的管辖范围内。", field="townships")
    return chosen


def _checked_text(value: str, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"{label}不能为空。", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{label}不能超过 {max_length} 个字。", field=field)
    return value


def project_create(
    *,
    actor: User,
    code: str,
    name: str,
    owner_name: str,
    district: Jurisdiction,
    townships: Iterable[Jurisdiction],
    land_area: Decimal | str | int,
    policy_pack: str,
    purpose: str = "",
) -> Project:
    """Open a project under one policy pack; it starts in 筹备中."""
    require(actor, "project.create")
    code = _checked_text(code, "code", "项目编号", 40)
    name = _checked_text(name, "name", "项目名称", 120)
    owner_name = _checked_text(owner_name, "owner_name", "业主单位", 120)
    purpose = _checked_text(purpose, "purpose", "用地用途", 2000, required=False)
    area = _checked_area(land_area)
    require_pack(policy_pack)
    chosen = _checked_places(actor=actor, district=district, townships=townships)
    now = clock.now()
    with transaction.atomic():
        if Project.objects.filter(code=code).exists():
            raise InvalidInput(f"项目编号 {code} 已存在。", field="code")
        project = Project(
            code=code,
            name=name,
            purpose=purpose,
            owner_name=owner_name,
            district=district,
            land_area=area,
            policy_pack=policy_pack,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        try:
            with transaction.atomic():
                project.save()
        except IntegrityError:
            raise InvalidInput(f"项目编号 {code} 已存在。", field="code") from None
        project.townships.set(chosen)
        audit.record(
            actor=actor,
            action="project.create",
            obj=project,
            after=audit.snapshot(project, PROJECT_FIELDS),
            jurisdiction_path=district.path,
        )
    return project


def project_update(
    *,
    actor: User,
    project: Project,
    name: str,
    owner_name: str,
    townships: Iterable[Jurisdiction],
    land_area: Decimal | str | int,
    status: str,
    purpose: str = "",
    reason: str = "",
) -> Project:
    """Edit a project's particulars. The code and the policy pack are fixed once created:
    a project is bound to one pack version (design §3)."""
    require(actor, "project.edit")
    name = _checked_text(name, "name", "项目名称", 120)
    owner_name = _checked_text(owner_name, "owner_name", "业主单位", 120)
    purpose = _checked_text(purpose, "purpose", "用地用途", 2000, required=False)
    area = _checked_area(land_area)
    if status not in ProjectStatus.values:
        raise InvalidInput("状态无效。", field="status")
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("district").get(pk=project.pk)
        chosen = _checked_places(actor=actor, district=project.district, townships=townships)
        before = audit.snapshot(project, PROJECT_FIELDS)
        project.name, project.owner_name, project.purpose = name, owner_name, purpose
        project.land_area, project.status, project.updated_at = area, status, clock.now()
        project.save()
        project.townships.set(chosen)
        after = audit.snapshot(project, PROJECT_FIELDS)
        if after != before:
            audit.record(
                actor=actor,
                action="project.update",
                obj=project,
                before=before,
                after=after,
                reason=reason.strip(),
                jurisdiction_path=project.district.path,
            )
    return project
