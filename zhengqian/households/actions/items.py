"""The register freeze and the surveyed items: parcels, buildings, attachments and crops, each
flagged after the cutoff (putian-2014 (一)(二), banan-2015 (三))."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F

from zhengqian.core import audit, clock
from zhengqian.core.models import Jurisdiction, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.projects.models import Project

from ..geometry import area_mismatch, parse_geometry
from ..landclass import LAND_CLASSES
from ..models import (
    CLAUSE_NEW_UNLAWFUL,
    CLAUSE_RUSHED,
    Attachment,
    AttachmentKind,
    Building,
    BuildingUse,
    Crop,
    CutoffFlag,
    Household,
    Legality,
    Ownership,
    Parcel,
    RegisterFreeze,
    Structure,
    SurveyItem,
    Unit,
)
from .common import (
    ITEM_FIELDS,
    ITEM_PREFIX,
    _check_household_access,
    _check_project,
    _check_village,
    _choice,
    _date,
    _decimal,
    _in_scope,
    _instance,
    _int,
    _locked_household,
    _text,
)

# --- the cutoff ---------------------------------------------------------------------------


def _cutoff(item: SurveyItem, project: Project, frozen: bool) -> tuple[str, str]:
    """The flag an item carries given the frozen baseline (putian-2014 (二), banan-2015 (三))."""
    if not frozen or isinstance(item, Parcel):
        # Land is not planted or built: a parcel found later is a survey correction.
        return "", ""
    banan = project.policy_pack.startswith("banan")
    building_flag, building_clause = (
        (CutoffFlag.NEW_UNLAWFUL, CLAUSE_NEW_UNLAWFUL) if banan else (CutoffFlag.RUSHED, CLAUSE_RUSHED)
    )
    if item.baseline_quantity is None:
        return (building_flag, building_clause) if isinstance(item, Building) else (CutoffFlag.RUSHED, CLAUSE_RUSHED)
    if item.measure > item.baseline_quantity:
        return CutoffFlag.ENLARGED, (building_clause if isinstance(item, Building) else CLAUSE_RUSHED)
    return "", ""


def _apply_cutoff(item: SurveyItem, project: Project) -> None:
    frozen = RegisterFreeze.objects.filter(project_id=project.pk).exists()
    item.cutoff_flag, item.cutoff_clause = _cutoff(item, project, frozen)
    if (
        isinstance(item, Building)
        and item.cutoff_flag == CutoffFlag.NEW_UNLAWFUL
        and item.baseline_quantity is None
    ):
        item.legality = Legality.NEW_UNLAWFUL


def register_freeze(*, actor: User, project: Project, notified_on: date | str) -> RegisterFreeze:
    """Freeze the register when the notification is issued (putian-2014 (一)(二)): every
    parcel, building, attachment and crop keeps its quantity at the cutoff; anything added
    or enlarged afterwards is flagged (抢栽抢种抢建 / 新增两违)."""
    require(actor, "register.freeze")
    project = _check_project(actor, project)
    notified = _date(notified_on, "notified_on", "征地告知日期")
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("district").get(pk=project.pk)
        existing = RegisterFreeze.objects.filter(project=project).first()
        if existing is not None:
            raise GateClosed(
                f"本项目调查登记已于 {existing.notified_on} 冻结为基线，不能重复冻结。", clause=CLAUSE_RUSHED
            )
        counts: dict[str, int] = {"households": Household.objects.filter(project=project).count()}
        for model in (Parcel, Building, Attachment, Crop):
            qs = model.objects.filter(project=project)
            counts[model._meta.model_name] = qs.update(
                baseline_quantity=F(model.MEASURE), cutoff_flag="", cutoff_clause=""
            )
        freeze = RegisterFreeze.objects.create(
            project=project, notified_on=notified, frozen_at=clock.now(), frozen_by=actor, counts=counts
        )
        audit.record(
            actor=actor, action="register.freeze", obj=freeze,
            after={"project": project.pk, "notified_on": notified, "counts": counts},
            jurisdiction_path=project.district.path, object_label=f"{project.code} 调查基线",
        )
    return freeze


# --- parcels, buildings, attachments, crops -----------------------------------------------


def _item_parcel(household: Household, parcel: Any) -> Parcel | None:
    parcel = _instance(parcel, Parcel, "parcel", "所在地块")
    if parcel is not None and parcel.project_id != household.project_id:
        raise InvalidInput("所在地块不属于本项目。", field="parcel")
    return parcel


def _item_code(model: type[SurveyItem], project: Project, code: str, household: Household | None) -> str:
    code = _text(code, "code", "编号", 40)
    if code:
        return code
    prefix = f"{household.code}-" if household is not None else ""
    prefix += ITEM_PREFIX[model]
    taken = set(model.objects.filter(project=project, code__startswith=prefix).values_list("code", flat=True))
    number = len(taken) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def _item_values(model: type[SurveyItem], household: Household | None, data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {"note": _text(data.get("note"), "note", "备注", 500)}
    if model is Parcel:
        land_class = data.get("land_class")
        if land_class not in LAND_CLASSES:
            raise InvalidInput(f"地类代码无效：{land_class!r}（应为 GB/T 21010-2017 二级类，如 0101 水田）。",
                               field="land_class")
        values.update(
            ownership=_choice(data.get("ownership") or Ownership.CONTRACT, Ownership, "ownership", "权属"),
            land_class=land_class,
            area=_decimal(data.get("area"), "area", "面积（平方米）"),
        )
        geometry = parse_geometry(data.get("geometry"))
        values["geometry"] = geometry.geojson if geometry else None
        values["measured_area"] = geometry.area if geometry else None
        values["area_mismatch"] = area_mismatch(values["area"], values["measured_area"])
        return values
    assert household is not None
    values["parcel"] = _item_parcel(household, data.get("parcel"))
    if model is Building:
        values.update(
            structure=_choice(data.get("structure"), Structure, "structure", "结构"),
            floors=_int(data.get("floors", 1), "floors", "层数", 1, 99),
            floor_area=_decimal(data.get("floor_area"), "floor_area", "建筑面积", max_value=Decimal("1e10")),
            use=_choice(data.get("use") or BuildingUse.RESIDENTIAL, BuildingUse, "use", "用途"),
            legality=_choice(data.get("legality") or Legality.PERMITTED, Legality, "legality", "合法性"),
            build_year=_int(data.get("build_year"), "build_year", "建成年份", 1900, clock.today().year, required=False),
        )
    elif model is Attachment:
        values.update(
            kind=_choice(data.get("kind"), AttachmentKind, "kind", "附着物种类"),
            spec=_text(data.get("spec"), "spec", "规格/说明", 100),
            quantity=_decimal(data.get("quantity"), "quantity", "数量", max_value=Decimal("1e10")),
            unit=_choice(data.get("unit"), Unit, "unit", "单位"),
        )
    else:
        values.update(
            kind=_text(data.get("kind"), "kind", "作物", 40, required=True),
            quantity=_decimal(data.get("quantity"), "quantity", "数量", max_value=Decimal("1e10")),
            unit=_choice(data.get("unit"), Unit, "unit", "单位"),
        )
    return values


def _audit_item(actor: User, action: str, item: SurveyItem, path: str, before: Any = None, reason: str = "") -> None:
    audit.record(
        actor=actor, action=action, obj=item, before=before,
        after=audit.snapshot(item, ITEM_FIELDS[type(item)]) if not action.endswith(".delete") else None,
        reason=reason, jurisdiction_path=path,
    )


def parcel_create(
    *,
    actor: User,
    project: Project,
    village: Jurisdiction,
    land_class: str,
    area: Decimal | str | int,
    code: str = "",
    household: Household | None = None,
    ownership: str = Ownership.CONTRACT,
    geometry: Any = None,
    note: str = "",
) -> Parcel:
    """Record a parcel (地块): ownership, land class, area and shape (putian-2014 (二))."""
    require(actor, "household.edit")
    project = _check_project(actor, project)
    village, _ = _check_village(actor, project, village)
    household = _instance(household, Household, "household", "承包户")
    if household is not None:
        household = _check_household_access(actor, household)
        if household.project_id != project.pk:
            raise InvalidInput("承包户不属于本项目。", field="household")
    values = _item_values(Parcel, household, locals())
    now = clock.now()
    with transaction.atomic():
        code = _item_code(Parcel, project, code, household)
        if Parcel.objects.filter(project=project, code=code).exists():
            raise InvalidInput(f"地块编号 {code} 在本项目中已存在。", field="code")
        parcel = Parcel(project=project, village=village, household=household, code=code,
                        created_at=now, updated_at=now)
        _assign(parcel, values)
        _apply_cutoff(parcel, project)
        _save_unique(parcel, "地块编号")
        _audit_item(actor, "parcel.create", parcel, village.path)
    return parcel


def parcel_update(
    *,
    actor: User,
    parcel: Parcel,
    village: Jurisdiction,
    land_class: str,
    area: Decimal | str | int,
    household: Household | None = None,
    ownership: str = Ownership.CONTRACT,
    geometry: Any = None,
    note: str = "",
    reason: str = "",
) -> Parcel:
    require(actor, "household.edit")
    parcel = Parcel.objects.select_related("village", "project").get(pk=parcel.pk)
    if not _in_scope(actor, parcel.village.path):
        raise InvalidInput("该地块不在您的辖区。", field="parcel")
    project = parcel.project
    village, _ = _check_village(actor, project, village)
    household = _instance(household, Household, "household", "承包户")
    if household is not None:
        household = _check_household_access(actor, household)
        if household.project_id != project.pk:
            raise InvalidInput("承包户不属于本项目。", field="household")
    values = _item_values(Parcel, household, locals())
    values.update(village=village, household=household)
    return _update_item(actor, parcel, values, village.path, _text(reason, "reason", "修改原因", 500))


def _save_unique(item: SurveyItem, label: str) -> None:
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise InvalidInput(f"{label} {item.code} 在本项目中已存在。", field="code") from None


def _assign(item: SurveyItem, values: dict[str, Any]) -> None:
    """Set the checked values; a parcel's shape through Parcel.set_geometry, so its bounding box
    (the map's viewport index) follows it."""
    for name, value in values.items():
        if name == "geometry" and isinstance(item, Parcel):
            item.set_geometry(value)
        else:
            setattr(item, name, value)


def _update_item(actor: User, item: SurveyItem, values: dict[str, Any], path: str, reason: str) -> Any:
    model = type(item)
    with transaction.atomic():
        item = model.objects.select_for_update().select_related("project").get(pk=item.pk)
        before = audit.snapshot(item, ITEM_FIELDS[model])
        _assign(item, values)
        item.updated_at = clock.now()
        _apply_cutoff(item, item.project)
        item.save()
        after = audit.snapshot(item, ITEM_FIELDS[model])
        if after != before:
            audit.record(
                actor=actor, action=f"{model._meta.model_name}.update", obj=item, before=before, after=after,
                reason=reason, jurisdiction_path=path,
            )
    return item


def _create_item(actor: User, model: type[SurveyItem], household: Household, code: str, data: Mapping[str, Any]) -> Any:
    household = _check_household_access(actor, household)
    values = _item_values(model, household, data)
    now = clock.now()
    label = str(model._meta.verbose_name)
    with transaction.atomic():
        household = _locked_household(household)
        code = _item_code(model, household.project, code, household)
        if model.objects.filter(project_id=household.project_id, code=code).exists():
            raise InvalidInput(f"{label}编号 {code} 在本项目中已存在。", field="code")
        item = model(project=household.project, household=household, code=code, created_at=now, updated_at=now,
                     **values)
        _apply_cutoff(item, household.project)
        _save_unique(item, f"{label}编号")
        _audit_item(actor, f"{model._meta.model_name}.create", item, household.village.path)
    return item


def building_create(
    *,
    actor: User,
    household: Household,
    structure: str,
    floor_area: Decimal | str | int,
    floors: int = 1,
    use: str = BuildingUse.RESIDENTIAL,
    legality: str = Legality.PERMITTED,
    build_year: int | None = None,
    parcel: Parcel | None = None,
    code: str = "",
    note: str = "",
) -> Building:
    """Record a building (房屋) with its legality (banan-2015 (三): 存量两违 / 新增两违)."""
    require(actor, "household.edit")
    return _create_item(actor, Building, household, code, locals())


def attachment_create(
    *,
    actor: User,
    household: Household,
    kind: str,
    quantity: Decimal | str | int,
    unit: str,
    spec: str = "",
    parcel: Parcel | None = None,
    code: str = "",
    note: str = "",
) -> Attachment:
    """Record an attachment (地上附着物: wells, graves, fences, sheds, trees…)."""
    require(actor, "household.edit")
    return _create_item(actor, Attachment, household, code, locals())


def crop_create(
    *,
    actor: User,
    household: Household,
    kind: str,
    quantity: Decimal | str | int,
    unit: str,
    parcel: Parcel | None = None,
    code: str = "",
    note: str = "",
) -> Crop:
    """Record a standing crop (青苗)."""
    require(actor, "household.edit")
    return _create_item(actor, Crop, household, code, locals())


def item_update(*, actor: User, item: Building | Attachment | Crop, reason: str = "", **data: Any) -> Any:
    """Edit a building, attachment or crop; after the cutoff an enlargement is flagged."""
    household = _check_household_access(actor, item.household)
    values = _item_values(type(item), household, data)
    return _update_item(actor, item, values, household.village.path, _text(reason, "reason", "修改原因", 500))


def item_delete(*, actor: User, item: SurveyItem, reason: str = "") -> None:
    require(actor, "household.edit")
    model = type(item)
    item = model.objects.select_related("project").get(pk=item.pk)
    label = str(item)
    if isinstance(item, Parcel):
        path = Jurisdiction.objects.get(pk=item.village_id).path
        if not _in_scope(actor, path):
            raise InvalidInput("该地块不在您的辖区。", field="parcel")
    else:
        owner = _check_household_access(actor, item.household)
        path, label = owner.village.path, f"{owner.code} {item}"
    reason = _text(reason, "reason", "删除原因", 500)
    with transaction.atomic():
        item = model.objects.select_for_update().get(pk=item.pk)
        before = audit.snapshot(item, ITEM_FIELDS[model])
        audit.record(
            actor=actor, action=f"{model._meta.model_name}.delete", obj=item, before=before, reason=reason,
            jurisdiction_path=path, object_label=label,
        )
        try:
            with transaction.atomic():
                item.delete()
        except models.ProtectedError:
            raise InvalidInput("该记录仍被其他记录引用，不能删除。", field="item") from None
