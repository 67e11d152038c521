"""State changes of the household register and status survey. Keyword-only, explicit actor,
one transaction, audited (docs/architecture.md). Every refusal is an InvalidInput naming the
field, or a GateClosed naming the clause; a refused action saves nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max

from zhengqian.core import audit, clock, crypto
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import Jurisdiction, JurisdictionLevel, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.projects.models import Project

from . import worktime
from .geometry import area_mismatch, parse_geometry
from .idnumbers import check_id
from .landclass import LAND_CLASSES
from .models import (
    CLAUSE_NEW_UNLAWFUL,
    CLAUSE_RUSHED,
    CLAUSE_SURVEY,
    Attachment,
    AttachmentKind,
    Building,
    BuildingUse,
    ConfirmationBasis,
    Crop,
    CutoffFlag,
    EvidenceLink,
    Household,
    HouseholdMember,
    HouseholdStatus,
    HukouType,
    IdType,
    Legality,
    ObjectionOutcome,
    Ownership,
    Parcel,
    RegisterFreeze,
    Relation,
    Sex,
    Structure,
    SurveyItem,
    SurveyObjection,
    SurveyRecord,
    SurveyRecordState,
    SurveyState,
    Unit,
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


# --- households ---------------------------------------------------------------------------


def _household_values(actor: User, project: Project, data: Mapping[str, Any]) -> dict[str, Any]:
    village, group = _check_village(actor, project, data.get("village"), data.get("group"))
    phone = _text(data.get("phone"), "phone", "联系电话", 20)
    if phone and not _PHONE.match(phone):
        raise InvalidInput("联系电话只能包含数字、空格和 + - ( )。", field="phone")
    return {
        "head_name": _text(data.get("head_name"), "head_name", "户主姓名", 40, required=True),
        "village": village,
        "group": group,
        "address": _text(data.get("address"), "address", "住址", 200),
        "phone": phone,
        "contract_certificate_no": _text(
            data.get("contract_certificate_no"), "contract_certificate_no", "承包证号", 60
        ),
        "homestead_certificate_no": _text(
            data.get("homestead_certificate_no"), "homestead_certificate_no", "宅基地证号", 60
        ),
        "note": _text(data.get("note"), "note", "备注", 2000),
    }


def household_create(
    *,
    actor: User,
    project: Project,
    code: str,
    head_name: str,
    village: Jurisdiction,
    group: Jurisdiction | None = None,
    address: str = "",
    phone: str = "",
    contract_certificate_no: str = "",
    homestead_certificate_no: str = "",
    note: str = "",
) -> Household:
    """Register a household (户) in a project (putian-2014 (五), banan-2015 (二)).

    The bank account is set with `household_set_bank_account` once its holder is a member."""
    require(actor, "household.edit")
    project = _check_project(actor, project)
    code = _text(code, "code", "户编号", 40, required=True)
    values = _household_values(
        actor, project,
        {"head_name": head_name, "village": village, "group": group, "address": address, "phone": phone,
         "contract_certificate_no": contract_certificate_no, "homestead_certificate_no": homestead_certificate_no,
         "note": note},
    )
    now = clock.now()
    with transaction.atomic():
        if Household.objects.filter(project=project, code=code).exists():
            raise InvalidInput(f"户编号 {code} 在本项目中已存在。", field="code")
        household = Household(project=project, code=code, created_by=actor, created_at=now, updated_at=now, **values)
        try:
            with transaction.atomic():
                household.save()
        except IntegrityError:
            raise InvalidInput(f"户编号 {code} 在本项目中已存在。", field="code") from None
        audit.record(
            actor=actor, action="household.create", obj=household,
            after=audit.snapshot(household, HOUSEHOLD_FIELDS), jurisdiction_path=household.village.path,
        )
    return household


def household_update(
    *,
    actor: User,
    household: Household,
    head_name: str,
    village: Jurisdiction,
    group: Jurisdiction | None = None,
    address: str = "",
    phone: str = "",
    contract_certificate_no: str = "",
    homestead_certificate_no: str = "",
    status: str = HouseholdStatus.REGISTERED,
    note: str = "",
    reason: str = "",
) -> Household:
    """Edit a household's particulars; the code is fixed once registered."""
    household = _check_household_access(actor, household)
    values = _household_values(
        actor, household.project,
        {"head_name": head_name, "village": village, "group": group, "address": address, "phone": phone,
         "contract_certificate_no": contract_certificate_no, "homestead_certificate_no": homestead_certificate_no,
         "note": note},
    )
    values["status"] = _choice(status, HouseholdStatus, "status", "状态")
    reason = _text(reason, "reason", "修改原因", 500)
    with transaction.atomic():
        household = _locked_household(household)
        before = audit.snapshot(household, HOUSEHOLD_FIELDS)
        for name, value in values.items():
            setattr(household, name, value)
        household.updated_at = clock.now()
        household.save()
        after = audit.snapshot(household, HOUSEHOLD_FIELDS)
        if after != before:
            audit.record(
                actor=actor, action="household.update", obj=household, before=before, after=after,
                reason=reason, jurisdiction_path=household.village.path,
            )
    return household


def household_set_bank_account(
    *, actor: User, household: Household, bank_name: str, bank_account_no: str, holder: HouseholdMember | None,
    reason: str = "",
) -> Household:
    """Set the real-name account payments go to (putian-2014 (七)); its holder must be a member."""
    household = _check_household_access(actor, household)
    bank_name = _text(bank_name, "bank_name", "开户银行", 80)
    account = re.sub(r"[\s\-]", "", _text(bank_account_no, "bank_account_no", "实名账号", 40))
    holder = _instance(holder, HouseholdMember, "bank_account_holder", "账户户名")
    if account:
        if not _ACCOUNT.match(account):
            raise InvalidInput("实名账号应为 8—30 位数字。", field="bank_account_no")
        if not bank_name:
            raise InvalidInput("请填写开户银行。", field="bank_name")
        if holder is None:
            raise InvalidInput("请选择账户户名（须为本户家庭成员）。", field="bank_account_holder")
    elif holder is not None or bank_name:
        raise InvalidInput("请填写实名账号。", field="bank_account_no")
    with transaction.atomic():
        household = _locked_household(household)
        if holder is not None and not HouseholdMember.objects.filter(pk=holder.pk, household=household).exists():
            raise InvalidInput(f"账户户名“{holder.name}”不是本户家庭成员（实名账户须为本户成员）。",
                               field="bank_account_holder", clause="putian-2014 (七)")
        before = audit.snapshot(household, HOUSEHOLD_FIELDS)
        household.bank_name, household.bank_account_no, household.bank_account_holder = bank_name, account, holder
        household.updated_at = clock.now()
        household.save(update_fields=["bank_name", "bank_account_no", "bank_account_holder", "updated_at"])
        audit.record(
            actor=actor, action="household.bank_account", obj=household, before=before,
            after=audit.snapshot(household, HOUSEHOLD_FIELDS), reason=_text(reason, "reason", "修改原因", 500),
            jurisdiction_path=household.village.path,
        )
    return household


# --- members ------------------------------------------------------------------------------


def _member_values(data: Mapping[str, Any]) -> dict[str, Any]:
    id_type = _choice(data.get("id_type") or IdType.RESIDENT_ID, IdType, "id_type", "证件类型")
    checked = check_id(id_type, data.get("id_number") or "")
    sex = data.get("sex") or ""
    if sex:
        sex = _choice(sex, Sex, "sex", "性别")
    birth = _date(data.get("birth_date"), "birth_date", "出生日期", required=False)
    if checked.sex:
        if sex and sex != checked.sex:
            raise InvalidInput("性别与身份证号码不符。", field="sex")
        sex = checked.sex
    if checked.birth_date:
        if birth and birth != checked.birth_date:
            raise InvalidInput(f"出生日期与身份证号码不符（号码中为 {checked.birth_date}）。", field="birth_date")
        birth = checked.birth_date
    return {
        "name": _text(data.get("name"), "name", "姓名", 40, required=True),
        "id_type": id_type,
        "id_number": checked.number,
        "sex": sex,
        "birth_date": birth,
        "relation": _choice(data.get("relation") or Relation.OTHER, Relation, "relation", "与户主关系"),
        "hukou_type": _choice(data.get("hukou_type") or HukouType.AGRICULTURAL, HukouType, "hukou_type", "户口性质"),
        "is_resettlement_person": _bool(data.get("is_resettlement_person", True), "is_resettlement_person", "安置人口"),
        "note": _text(data.get("note"), "note", "备注", 200),
    }


def _bool(value: Any, field: str, label: str) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidInput(f"{label}须为是或否。", field=field)


def _place_member(member: HouseholdMember, values: dict[str, Any]) -> None:
    number = values.pop("id_number")
    digest = crypto.lookup_hash(number)
    clash = (
        HouseholdMember.objects.filter(project_id=member.project_id, id_number_hash=digest)
        .exclude(pk=member.pk)
        .select_related("household")
        .first()
    )
    if clash is not None:
        raise InvalidInput(
            f"该证件号码已登记在本项目的 {clash.household.code} 户（{crypto.mask_name(clash.name)}），"
            "同一人不能在同一项目的两户中。",
            field="id_number",
        )
    if values["relation"] == Relation.HEAD:
        other_head = (
            HouseholdMember.objects.filter(household_id=member.household_id, relation=Relation.HEAD)
            .exclude(pk=member.pk)
            .first()
        )
        if other_head is not None:
            raise InvalidInput(f"本户已有户主“{other_head.name}”。", field="relation")
    if member.id_number_hash != digest:
        member.id_number_encrypted = crypto.encrypt(number)
        member.id_number_hash = digest
        member.id_number_masked = crypto.mask_id_number(number)
    for name, value in values.items():
        setattr(member, name, value)


def member_add(
    *,
    actor: User,
    household: Household,
    name: str,
    id_number: str,
    id_type: str = IdType.RESIDENT_ID,
    relation: str = Relation.OTHER,
    hukou_type: str = HukouType.AGRICULTURAL,
    is_resettlement_person: bool = True,
    sex: str = "",
    birth_date: date | str | None = None,
    note: str = "",
) -> HouseholdMember:
    """Add a member; a person may be in only one household of a project (banan-2015 (二))."""
    household = _check_household_access(actor, household)
    values = _member_values(locals())
    now = clock.now()
    with transaction.atomic():
        household = _locked_household(household)
        member = HouseholdMember(household=household, project_id=household.project_id, created_at=now, updated_at=now)
        _place_member(member, values)
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:
            raise InvalidInput("该证件号码已登记在本项目的其他户中。", field="id_number") from None
        audit.record(
            actor=actor, action="member.add", obj=member, after=audit.snapshot(member, MEMBER_FIELDS),
            jurisdiction_path=household.village.path, object_label=f"{household.code} {crypto.mask_name(member.name)}",
        )
    return member


def member_update(
    *,
    actor: User,
    member: HouseholdMember,
    name: str,
    id_number: str,
    id_type: str = IdType.RESIDENT_ID,
    relation: str = Relation.OTHER,
    hukou_type: str = HukouType.AGRICULTURAL,
    is_resettlement_person: bool = True,
    sex: str = "",
    birth_date: date | str | None = None,
    note: str = "",
    reason: str = "",
) -> HouseholdMember:
    household = _check_household_access(actor, member.household)
    values = _member_values(locals())
    reason = _text(reason, "reason", "修改原因", 500)
    with transaction.atomic():
        _locked_household(household)
        member = HouseholdMember.objects.select_for_update().get(pk=member.pk)
        before = audit.snapshot(member, MEMBER_FIELDS)
        _place_member(member, values)
        member.updated_at = clock.now()
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:
            raise InvalidInput("该证件号码已登记在本项目的其他户中。", field="id_number") from None
        after = audit.snapshot(member, MEMBER_FIELDS)
        if after != before:
            audit.record(
                actor=actor, action="member.update", obj=member, before=before, after=after, reason=reason,
                jurisdiction_path=household.village.path,
                object_label=f"{household.code} {crypto.mask_name(member.name)}",
            )
    return member


def member_remove(*, actor: User, member: HouseholdMember, reason: str = "") -> None:
    household = _check_household_access(actor, member.household)
    reason = _text(reason, "reason", "删除原因", 500)
    with transaction.atomic():
        household = _locked_household(household)
        if household.bank_account_holder_id == member.pk:
            raise InvalidInput("该成员是本户实名账户的户名，请先更换账户户名。", field="member")
        member = HouseholdMember.objects.select_for_update().get(pk=member.pk)
        before = audit.snapshot(member, MEMBER_FIELDS)
        label = f"{household.code} {crypto.mask_name(member.name)}"
        audit.record(
            actor=actor, action="member.remove", obj=member, before=before, reason=reason,
            jurisdiction_path=household.village.path, object_label=label,
        )
        member.delete()


def member_reveal_id(*, actor: User, member: HouseholdMember, reason: str = "") -> str:
    """The full ID number, for a role that needs it; every full view is an audit event (design §5)."""
    require(actor, "person.view_full_id")
    household = Household.objects.select_related("village").get(pk=member.household_id)
    if not _in_scope(actor, household.village.path):
        raise InvalidInput("该户不在您的辖区。", field="member")
    number = crypto.decrypt(member.id_number_encrypted)
    with transaction.atomic():
        audit.record(
            actor=actor, action="member.view_full_id", obj=member,
            after={"id_type": member.id_type, "id_number_masked": member.id_number_masked},
            reason=_text(reason, "reason", "查看原因", 500), jurisdiction_path=household.village.path,
            object_label=f"{household.code} {crypto.mask_name(member.name)}",
        )
    return number


def member_full_id_number(member: HouseholdMember) -> str:
    """Decrypt without an audit event: only for exports that are themselves audited."""
    return crypto.decrypt(member.id_number_encrypted)


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
                        created_at=now, updated_at=now, **values)
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


def _update_item(actor: User, item: SurveyItem, values: dict[str, Any], path: str, reason: str) -> Any:
    model = type(item)
    with transaction.atomic():
        item = model.objects.select_for_update().select_related("project").get(pk=item.pk)
        before = audit.snapshot(item, ITEM_FIELDS[model])
        for name, value in values.items():
            setattr(item, name, value)
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


# --- survey confirmation (putian-2014 (二)) ------------------------------------------------


def _summary(household: Household) -> dict[str, Any]:
    """What the household signs: its members, parcels and items as they are now."""
    return audit.jsonable(
        {
            "members": list(
                household.members.order_by("id").values(
                    "name", "relation", "id_number_masked", "is_resettlement_person"
                )
            ),
            "parcels": list(household.parcels.order_by("code").values("code", "land_class", "ownership", "area")),
            "buildings": list(
                household.buildings.order_by("code").values("code", "structure", "floors", "floor_area", "legality")
            ),
            "attachments": list(household.attachments.order_by("code").values("code", "kind", "quantity", "unit")),
            "crops": list(household.crops.order_by("code").values("code", "kind", "quantity", "unit")),
        }
    )


def _sync_household_state(household: Household, survey: SurveyRecord | None) -> None:
    state = SurveyState.NOT_SURVEYED if survey is None else SurveyState(survey.state)
    Household.objects.filter(pk=household.pk).update(survey_state=state, updated_at=clock.now())
    household.survey_state = state


def _new_survey(actor: User, household: Household, surveyed_on: date, surveyors: str) -> SurveyRecord:
    latest = household.surveys.aggregate(v=Max("version"))["v"] or 0
    now = clock.now()
    return SurveyRecord.objects.create(
        household=household, project_id=household.project_id, version=latest + 1, surveyed_on=surveyed_on,
        surveyors=surveyors, summary=_summary(household), state=SurveyRecordState.AWAITING_SIGNATURE,
        clause=CLAUSE_SURVEY, created_by=actor, created_at=now, updated_at=now,
    )


def _current_survey(household: Household) -> SurveyRecord | None:
    return household.surveys.exclude(state=SurveyRecordState.SUPERSEDED).order_by("-version").first()


def survey_record(*, actor: User, household: Household, surveyed_on: date | str, surveyors: str = "") -> SurveyRecord:
    """Record the survey result for the household to sign (putian-2014 (二)); a new survey
    supersedes the previous version. An objection pending review is resolved first."""
    household = _check_household_access(actor, household)
    surveyed = _date(surveyed_on, "surveyed_on", "调查日期")
    surveyors = _text(surveyors, "surveyors", "调查人员", 200)
    with transaction.atomic():
        household = _locked_household(household)
        current = _current_survey(household)
        if current is not None and current.state == SurveyRecordState.OBJECTED:
            raise GateClosed("该户有待复核的异议，请先作出复核结论。", clause=CLAUSE_SURVEY)
        if current is not None and surveyed < current.surveyed_on:
            raise InvalidInput(f"调查日期不能早于上一版（{current.surveyed_on}）。", field="surveyed_on")
        if current is not None:
            _supersede(actor, current, household)
        survey = _new_survey(actor, household, surveyed, surveyors)
        _sync_household_state(household, survey)
        audit.record(
            actor=actor, action="survey.record", obj=survey, after=audit.snapshot(survey, SURVEY_FIELDS),
            jurisdiction_path=household.village.path,
        )
    return survey


def _supersede(actor: User, survey: SurveyRecord, household: Household) -> None:
    before = audit.snapshot(survey, SURVEY_FIELDS)
    survey.state, survey.updated_at = SurveyRecordState.SUPERSEDED, clock.now()
    survey.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=actor, action="survey.supersede", obj=survey, before=before,
        after=audit.snapshot(survey, SURVEY_FIELDS), jurisdiction_path=household.village.path,
    )


def _locked_survey(actor: User, survey: SurveyRecord) -> tuple[SurveyRecord, Household]:
    household = _check_household_access(actor, survey.household)
    household = _locked_household(household)
    return SurveyRecord.objects.select_for_update().get(pk=survey.pk), household


def _open_window(survey: SurveyRecord, start: date) -> None:
    window = worktime.objection_window(start)
    survey.window_start, survey.window_due, survey.window_provisional = start, window.due, window.provisional
    survey.state = SurveyRecordState.WINDOW_OPEN


def survey_sign(*, actor: User, survey: SurveyRecord, signed_on: date | str, signed_by_name: str) -> SurveyRecord:
    """The household signs the survey result; the 5-working-day objection window starts."""
    signed = _date(signed_on, "signed_on", "签字日期")
    signer = _text(signed_by_name, "signed_by_name", "签字人", 40, required=True)
    with transaction.atomic():
        survey, household = _locked_survey(actor, survey)
        if survey.state != SurveyRecordState.AWAITING_SIGNATURE:
            raise GateClosed(f"该调查记录当前为“{survey.get_state_display()}”，不能签字。", clause=CLAUSE_SURVEY)
        if signed < survey.surveyed_on:
            raise InvalidInput(f"签字日期不能早于调查日期（{survey.surveyed_on}）。", field="signed_on")
        if not household.members.filter(name=signer).exists():
            raise InvalidInput(f"签字人“{signer}”不是本户家庭成员。", field="signed_by_name")
        before = audit.snapshot(survey, SURVEY_FIELDS)
        survey.signed_on, survey.signed_by_name, survey.refused, survey.served_on = signed, signer, False, None
        _open_window(survey, signed)
        survey.updated_at = clock.now()
        survey.save()
        _sync_household_state(household, survey)
        audit.record(
            actor=actor, action="survey.sign", obj=survey, before=before, after=audit.snapshot(survey, SURVEY_FIELDS),
            jurisdiction_path=household.village.path,
        )
    return survey


def survey_refuse(*, actor: User, survey: SurveyRecord, served_on: date | str, reason: str = "") -> SurveyRecord:
    """The household refuses to sign; the result is served in writing and the window runs
    from service. With no objection by its end it is deemed confirmed (putian-2014 (二))."""
    served = _date(served_on, "served_on", "送达日期")
    reason = _text(reason, "reason", "情况说明", 500)
    with transaction.atomic():
        survey, household = _locked_survey(actor, survey)
        if survey.state != SurveyRecordState.AWAITING_SIGNATURE:
            raise GateClosed(f"该调查记录当前为“{survey.get_state_display()}”，不能登记拒签。", clause=CLAUSE_SURVEY)
        if served < survey.surveyed_on:
            raise InvalidInput(f"送达日期不能早于调查日期（{survey.surveyed_on}）。", field="served_on")
        before = audit.snapshot(survey, SURVEY_FIELDS)
        survey.refused, survey.served_on = True, served
        _open_window(survey, served)
        survey.updated_at = clock.now()
        survey.save()
        _sync_household_state(household, survey)
        audit.record(
            actor=actor, action="survey.refuse", obj=survey, before=before,
            after=audit.snapshot(survey, SURVEY_FIELDS), reason=reason, jurisdiction_path=household.village.path,
        )
    return survey


def objection_file(
    *, actor: User, survey: SurveyRecord, filed_on: date | str, filed_by_name: str, content: str
) -> SurveyObjection:
    """A written objection within 5 working days of signature or service (putian-2014 (二))."""
    filed = _date(filed_on, "filed_on", "提出日期")
    filer = _text(filed_by_name, "filed_by_name", "提出人", 40, required=True)
    content = _text(content, "content", "异议内容", 5000, required=True)
    with transaction.atomic():
        survey, household = _locked_survey(actor, survey)
        if survey.state not in (SurveyRecordState.AWAITING_SIGNATURE, SurveyRecordState.WINDOW_OPEN,
                                SurveyRecordState.OBJECTED):
            raise GateClosed(f"该调查记录当前为“{survey.get_state_display()}”，不能再提出异议。", clause=CLAUSE_SURVEY)
        if filed < survey.surveyed_on:
            raise InvalidInput(f"提出日期不能早于调查日期（{survey.surveyed_on}）。", field="filed_on")
        if survey.window_due is not None and filed > survey.window_due and not survey.window_provisional:
            raise GateClosed(
                f"异议期已于 {survey.window_due} 届满，逾期异议不予受理。", clause=CLAUSE_SURVEY
            )
        before = audit.snapshot(survey, SURVEY_FIELDS)
        objection = SurveyObjection.objects.create(
            survey=survey, filed_on=filed, filed_by_name=filer, content=content, created_by=actor,
            created_at=clock.now(),
        )
        survey.state, survey.updated_at = SurveyRecordState.OBJECTED, clock.now()
        survey.save(update_fields=["state", "updated_at"])
        _sync_household_state(household, survey)
        audit.record(
            actor=actor, action="survey.objection", obj=objection, before=before,
            after=audit.snapshot(objection, OBJECTION_FIELDS), jurisdiction_path=household.village.path,
        )
    return objection


def objection_resolve(
    *, actor: User, objection: SurveyObjection, outcome: str, resolved_on: date | str, resolution: str,
    surveyors: str = "",
) -> SurveyObjection:
    """Review an objection. Wrong or missing → re-survey, a new version for the household to
    sign; correct → the review result is served and the survey stands as confirmed
    ("复核结果无误…视为确认到位", putian-2014 (二))."""
    outcome = _choice(outcome, ObjectionOutcome, "outcome", "复核结果")
    if outcome == ObjectionOutcome.PENDING:
        raise InvalidInput("请选择复核结果。", field="outcome")
    resolved = _date(resolved_on, "resolved_on", "复核日期")
    resolution = _text(resolution, "resolution", "复核意见", 5000, required=True)
    with transaction.atomic():
        survey, household = _locked_survey(actor, objection.survey)
        objection = SurveyObjection.objects.select_for_update().get(pk=objection.pk)
        if objection.outcome != ObjectionOutcome.PENDING:
            raise GateClosed("该异议已作出复核结论。", clause=CLAUSE_SURVEY)
        if resolved < objection.filed_on:
            raise InvalidInput(f"复核日期不能早于异议提出日期（{objection.filed_on}）。", field="resolved_on")
        before = audit.snapshot(objection, OBJECTION_FIELDS)
        objection.outcome, objection.resolved_on, objection.resolution = outcome, resolved, resolution
        objection.save(update_fields=["outcome", "resolved_on", "resolution"])
        audit.record(
            actor=actor, action="survey.objection_resolve", obj=objection, before=before,
            after=audit.snapshot(objection, OBJECTION_FIELDS), jurisdiction_path=household.village.path,
        )
        if survey.objections.filter(outcome=ObjectionOutcome.PENDING).exists():
            return objection
        if outcome == ObjectionOutcome.RESURVEY or survey.objections.filter(outcome=ObjectionOutcome.RESURVEY).exists():
            _supersede(actor, survey, household)
            new = _new_survey(actor, household, resolved, surveyors or survey.surveyors)
            _sync_household_state(household, new)
            audit.record(
                actor=actor, action="survey.record", obj=new, after=audit.snapshot(new, SURVEY_FIELDS),
                reason="异议复核：重新调查", jurisdiction_path=household.village.path,
            )
        else:
            before_survey = audit.snapshot(survey, SURVEY_FIELDS)
            survey.state, survey.confirmed_on = SurveyRecordState.CONFIRMED, resolved
            survey.confirmation_basis, survey.clause = ConfirmationBasis.REVIEWED, CLAUSE_SURVEY
            survey.updated_at = clock.now()
            survey.save()
            _sync_household_state(household, survey)
            audit.record(
                actor=actor, action="survey.confirm", obj=survey, before=before_survey,
                after=audit.snapshot(survey, SURVEY_FIELDS), reason="复核无误，视为确认到位",
                jurisdiction_path=household.village.path,
            )
    return objection


def survey_close_windows(*, actor: User | None = None, today: date | None = None) -> list[SurveyRecord]:
    """Close every objection window that has ended with no objection (idempotent).

    Signed → confirmed; refused to sign and no objection → deemed confirmed (putian-2014 (二):
    "无异议又拒绝签字确认的，视为确认到位"). A window whose end is provisional (its calendar
    year not loaded) is recomputed first and never closed while it stays provisional.
    """
    if actor is not None:
        require(actor, "survey.close")
    today = today or clock.today()
    calendar = worktime.work_calendar()
    closed: list[SurveyRecord] = []
    candidates = SurveyRecord.objects.filter(state=SurveyRecordState.WINDOW_OPEN).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            survey = SurveyRecord.objects.select_for_update().select_related("household__village").get(pk=pk)
            if survey.state != SurveyRecordState.WINDOW_OPEN or survey.window_start is None:
                continue
            path = survey.household.village.path
            if actor is not None and not _in_scope(actor, path):
                continue
            window = worktime.objection_window(survey.window_start, calendar)
            before = audit.snapshot(survey, SURVEY_FIELDS)
            changed = (window.due, window.provisional) != (survey.window_due, survey.window_provisional)
            survey.window_due, survey.window_provisional = window.due, window.provisional
            if window.provisional or window.due >= today:
                if changed:
                    survey.save(update_fields=["window_due", "window_provisional"])
                    audit.record(actor=actor, action="survey.window_recompute", obj=survey, before=before,
                                 after=audit.snapshot(survey, SURVEY_FIELDS), jurisdiction_path=path)
                continue
            survey.state = SurveyRecordState.CONFIRMED
            survey.confirmed_on = window.due
            survey.confirmation_basis = ConfirmationBasis.DEEMED if survey.refused else ConfirmationBasis.SIGNED
            survey.clause = CLAUSE_SURVEY
            survey.updated_at = clock.now()
            survey.save()
            _sync_household_state(survey.household, survey)
            audit.record(
                actor=actor, action="survey.confirm", obj=survey, before=before,
                after=audit.snapshot(survey, SURVEY_FIELDS),
                reason=("拒绝签字且异议期内未提出异议，视为确认到位" if survey.refused else "异议期届满无异议"),
                jurisdiction_path=path,
            )
            closed.append(survey)
    return closed


# --- evidence (putian-2014 (九)) ----------------------------------------------------------


def evidence_attach(
    *,
    actor: User,
    target: models.Model,
    content: bytes,
    original_name: str,
    taken_by: str,
    taken_at: datetime | str,
    place: str,
    content_type: str = "application/octet-stream",
    caption: str = "",
) -> EvidenceLink:
    """Attach a photo or file to a household, member, item or survey, labelled with who took
    it, when and where ("证据信息要标注完整", putian-2014 (九))."""
    household = _target_household(target)
    project = Project.objects.get(pk=target.project_id) if household is None else household.project
    if household is not None:
        household = _check_household_access(actor, household)
        path = household.village.path
    else:
        require(actor, "household.edit")
        path = Jurisdiction.objects.get(pk=target.village_id).path  # type: ignore[attr-defined]
        if not _in_scope(actor, path):
            raise InvalidInput("该地块不在您的辖区。", field="target")
    taken_by = _text(taken_by, "taken_by", "拍摄/记录人", 60, required=True)
    place = _text(place, "place", "地点", 200, required=True)
    caption = _text(caption, "caption", "说明", 500)
    if isinstance(taken_at, str):
        try:
            taken_at = datetime.fromisoformat(taken_at.strip())
        except ValueError:
            raise InvalidInput("拍摄时间格式应为 YYYY-MM-DD HH:MM。", field="taken_at") from None
    if not isinstance(taken_at, datetime):
        raise InvalidInput("请填写拍摄/记录时间。", field="taken_at")
    if taken_at.tzinfo is None:
        taken_at = taken_at.replace(tzinfo=clock.LOCAL_ZONE)
    if taken_at > clock.now():
        raise InvalidInput("拍摄时间不能晚于现在。", field="taken_at")
    with transaction.atomic():
        stored = evidence_store(
            actor=actor, content=content, original_name=original_name, content_type=content_type,
            taken_at=taken_at, place=place, note=caption, jurisdiction_path=path,
        )
        kind = ContentType.objects.get_for_model(type(target))
        if EvidenceLink.objects.filter(file=stored, content_type=kind, object_id=target.pk).exists():
            raise InvalidInput("同一文件已附在该记录上。", field="file")
        link = EvidenceLink.objects.create(
            file=stored, content_type=kind, object_id=target.pk, household=household, project=project,
            jurisdiction_path=path, taken_by=taken_by, taken_at=taken_at, place=place, caption=caption,
            created_by=actor, created_at=clock.now(),
        )
        audit.record(
            actor=actor, action="evidence.attach", obj=link,
            after={"file": stored.sha256, "target": f"{kind.model}:{target.pk}", "taken_by": taken_by,
                   "taken_at": taken_at, "place": place, "caption": caption},
            jurisdiction_path=path, object_label=f"{target} 证据",
        )
    return link


def _target_household(target: models.Model) -> Household | None:
    if isinstance(target, Household):
        return target
    if isinstance(target, Parcel):
        return None
    if isinstance(target, HouseholdMember | Building | Attachment | Crop | SurveyRecord):
        return Household.objects.select_related("project").get(pk=target.household_id)
    raise InvalidInput("不能在该类记录上附加证据。", field="target")
