"""Households (户) and their members (家庭成员): register, particulars, real-name bank account,
members with encrypted ID numbers (putian-2014 (五)(七), banan-2015 (二))."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from zhengqian.core import audit, clock, crypto
from zhengqian.core.models import Jurisdiction, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.models import Project

from ..idnumbers import check_id
from ..models import (
    Household,
    HouseholdMember,
    HouseholdStatus,
    HukouType,
    IdType,
    Relation,
    Sex,
)
from .common import (
    _ACCOUNT,
    _PHONE,
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    _check_household_access,
    _check_project,
    _check_village,
    _choice,
    _date,
    _in_scope,
    _instance,
    _locked_household,
    _text,
)

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
