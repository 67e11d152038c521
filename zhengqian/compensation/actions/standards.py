"""The compensation standard (补偿标准): drafted by the expropriation office, reviewed and
approved by the leadership group (banan-2015 (二) "必须报经区征地拆迁工作领导小组和区政府审定"),
one approved version per project (yongzhou-linkage 五(二) "同一项目不能出现不同标准")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from zhengqian.core import audit, clock
from zhengqian.core.models import User
from zhengqian.core.permissions import require
from zhengqian.domain import compensation as domain
from zhengqian.domain.errors import DomainError, GateClosed, InvalidInput
from zhengqian.households.landclass import LAND_CLASSES
from zhengqian.households.models import AttachmentKind, BuildingUse, Structure
from zhengqian.projects.models import Project

from ..inputs import domain_standard
from ..models import (
    CLAUSE_APPROVAL,
    CLAUSE_ONE_STANDARD,
    CLAUSE_REWARD,
    CompensationStandard,
    JobStatus,
    RepricingJob,
    StandardRate,
    StandardRewardWindow,
    StandardStatus,
)
from .common import amount, check_project, choice, current_standard, integer, text

STANDARD_FIELDS = ["status", "reason", "transition_months_default", "review_note", "approval_reference"]
RATE_FIELDS = ["category", "item", "name", "unit", "amount", "payee", "clause"]
WINDOW_FIELDS = ["start", "end", "amount_per_household", "percent", "clause"]

#: Item codes each category may use (zhengqian/domain/compensation.py's table).
_SINGLE_ITEMS = {"resettlement_subsidy", "relocation", "transition", "social_security"}
_PREFIXES = {"land_compensation": "land_", "standing_crop": "crop_", "attachment": "attachment_", "house": "house_"}
_HOUSE_SPECIAL = {"house_existing_unlawful"}


def _locked(standard: CompensationStandard) -> CompensationStandard:
    locked = CompensationStandard.objects.select_for_update(of=("self",)).select_related("project__district")
    return locked.get(pk=standard.pk)


def _path(standard: CompensationStandard) -> str:
    return standard.project.district.path


def _require_draft(standard: CompensationStandard) -> None:
    if standard.status != StandardStatus.DRAFT:
        raise GateClosed(
            f"补偿标准{standard.label}当前为“{standard.get_status_display()}”，不能修改；"
            "调整须另拟新版本并报领导小组审定",
            clause=CLAUSE_APPROVAL,
        )


def standard_create(
    *,
    actor: User,
    project: Project,
    reason: str = "",
    transition_months_default: int | str | None = None,
    copy_current: bool = True,
) -> CompensationStandard:
    """Draft a new version. A later version needs a reason and copies the rates of the
    approved one to start from; it prices nothing until approved."""
    require(actor, "standard.edit")
    project = check_project(actor, project)
    reason = text(reason, "reason", "调整原因", 2000)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        versions = CompensationStandard.objects.filter(project=project)
        open_version = versions.filter(status__in=[StandardStatus.DRAFT, StandardStatus.IN_REVIEW]).first()
        if open_version is not None:
            raise GateClosed(
                f"本项目已有未审定的补偿标准{open_version.label}，请先完成或退回该版本", clause=CLAUSE_ONE_STANDARD
            )
        version = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
        if version > 1 and not reason:
            raise InvalidInput("调整补偿标准须写明原因（新版本须经领导小组审定）。", field="reason")
        base = current_standard(project) if copy_current else None
        months = integer(transition_months_default, "transition_months_default", "默认过渡期", 0, 120,
                         required=False)
        if months is None:
            months = base.transition_months_default if base else 0
        now = clock.now()
        standard = CompensationStandard.objects.create(
            project=project, version=version, reason=reason, transition_months_default=months,
            created_by=actor, created_at=now, updated_at=now,
        )
        if base is not None:
            StandardRate.objects.bulk_create(
                StandardRate(standard=standard, **{name: getattr(rate, name) for name in RATE_FIELDS})
                for rate in base.rates.all()
            )
            StandardRewardWindow.objects.bulk_create(
                StandardRewardWindow(standard=standard, **{name: getattr(window, name) for name in WINDOW_FIELDS})
                for window in base.reward_windows.all()
            )
        audit.record(
            actor=actor, action="standard.create", obj=standard, after=audit.snapshot(standard, STANDARD_FIELDS),
            reason=reason, jurisdiction_path=project.district.path,
            object_label=f"{project.code} 补偿标准{standard.label}",
        )
    return standard


def _check_item(category: str, item: str) -> None:
    """The item code must be the one the pricing core looks up for that category."""
    if category in _SINGLE_ITEMS:
        if item != category:
            raise InvalidInput(f"“{domain.CATEGORIES[category]}”的项目代码应为 {category}。", field="item")
        return
    prefix = _PREFIXES[category]
    if not item.startswith(prefix) or item == prefix:
        raise InvalidInput(
            f"“{domain.CATEGORIES[category]}”的项目代码应以 {prefix} 开头（如 {prefix}…）。", field="item"
        )
    rest = item[len(prefix):]
    if category == "land_compensation" and rest not in LAND_CLASSES:
        raise InvalidInput(f"地类代码 {rest} 不存在（应为 GB/T 21010-2017 二级类，如 0101）。", field="item")
    if category == "attachment" and rest not in AttachmentKind.values:
        raise InvalidInput(f"附着物种类 {rest} 不存在（可用：{'、'.join(AttachmentKind.values)}）。", field="item")
    if category == "house" and item not in _HOUSE_SPECIAL:
        structure, _, use = rest.rpartition("_")
        if structure not in Structure.values or use not in BuildingUse.values:
            raise InvalidInput(
                f"房屋项目代码应为 house_<结构>_<用途>（结构：{'、'.join(Structure.values)}；"
                f"用途：{'、'.join(BuildingUse.values)}），或 house_existing_unlawful。",
                field="item",
            )


def rate_set(
    *,
    actor: User,
    standard: CompensationStandard,
    category: str,
    item: str,
    name: str,
    unit: str,
    amount_value: Any,
    payee: str,
    clause: str,
    rate: StandardRate | None = None,
) -> StandardRate:
    """Add a rate to a draft, or change one (``rate``). The unit must fit the category
    (domain ``Rate``: land per 亩 or m², houses per m², persons per 人…); rates are never negative."""
    require(actor, "standard.edit")
    check_project(actor, standard.project)
    try:
        values = {
            "category": choice(category, _Categories, "category", "补偿类别"),
            "item": text(item, "item", "项目代码", 80, required=True),
            "name": text(name, "name", "项目名称", 80, required=True),
            "unit": text(unit, "unit", "计量单位", 12, required=True),
            "amount": amount(amount_value, "amount", "单价"),
            "payee": text(payee, "payee", "支付对象", 20, required=True),
            "clause": text(clause, "clause", "依据条款", 80, required=True),
        }
        _check_item(values["category"], values["item"])
        try:
            domain.Rate(**values)
        except InvalidInput as error:
            raise InvalidInput(error.message, field=_rate_field(error.message)) from None
    except InvalidInput as error:  # the standard's content is what the leadership group approves
        raise InvalidInput(error.message, field=error.field, clause=CLAUSE_APPROVAL) from None
    with transaction.atomic():
        standard = _locked(standard)
        _require_draft(standard)
        if rate is not None:
            rate = StandardRate.objects.select_for_update().get(pk=rate.pk, standard=standard)
            before = audit.snapshot(rate, RATE_FIELDS)
            for field, value in values.items():
                setattr(rate, field, value)
        else:
            before = None
            rate = StandardRate(standard=standard, **values)
        if StandardRate.objects.filter(standard=standard, item=values["item"]).exclude(pk=rate.pk).exists():
            raise InvalidInput(f"项目代码 {values['item']} 已在本版本中。", field="item")
        try:
            with transaction.atomic():
                rate.save()
        except IntegrityError:
            raise InvalidInput(f"项目代码 {values['item']} 已在本版本中。", field="item") from None
        standard.updated_at = clock.now()
        standard.save(update_fields=["updated_at"])
        audit.record(
            actor=actor, action="standard.rate_set", obj=standard, before=before,
            after=audit.snapshot(rate, RATE_FIELDS), jurisdiction_path=_path(standard),
            object_label=f"{standard.project.code} 补偿标准{standard.label} {rate.item}",
        )
    return rate


def _rate_field(message: str) -> str:
    if "计量单位" in message or "不能按" in message:
        return "unit"
    if "负数" in message or "有限" in message:
        return "amount"
    if "支付对象" in message:
        return "payee"
    if "类别" in message:
        return "category"
    return "item"


class _Categories:
    values = [code for code in domain.CATEGORIES if code != "reward"]


def rate_remove(*, actor: User, rate: StandardRate) -> None:
    require(actor, "standard.edit")
    check_project(actor, rate.standard.project)
    with transaction.atomic():
        standard = _locked(rate.standard)
        _require_draft(standard)
        rate = StandardRate.objects.get(pk=rate.pk, standard=standard)
        before = audit.snapshot(rate, RATE_FIELDS)
        rate.delete()
        audit.record(
            actor=actor, action="standard.rate_remove", obj=standard, before=before, jurisdiction_path=_path(standard),
            object_label=f"{standard.project.code} 补偿标准{standard.label} {before['item']}",
        )


def reward_window_add(
    *,
    actor: User,
    standard: CompensationStandard,
    start: date | str,
    end: date | str,
    amount_per_household: Any = None,
    percent: Any = None,
    clause: str = CLAUSE_REWARD,
) -> StandardRewardWindow:
    """An early-handover reward window (putian-2014 (十一) "鼓励被征地农民尽快交地")."""
    from .common import day

    require(actor, "standard.edit")
    check_project(actor, standard.project)
    values = {
        "start": day(start, "start", "起始日", not_future=False),
        "end": day(end, "end", "截止日", not_future=False),
        "amount_per_household": amount(amount_per_household, "amount_per_household", "每户奖励", places=2,
                                       allow_none=True),
        "percent": amount(percent, "percent", "奖励比例", places=2, allow_none=True),
        "clause": text(clause, "clause", "依据条款", 80, required=True),
    }
    with transaction.atomic():
        standard = _locked(standard)
        _require_draft(standard)
        window = StandardRewardWindow(standard=standard, **values)
        existing = [domain_window(w) for w in standard.reward_windows.all()]
        try:
            domain.Standard(code="check", version="0", rates=(), reward_windows=(*existing, domain_window(window)))
        except InvalidInput as error:
            raise InvalidInput(error.message, field="start" if "重叠" in error.message else "end") from None
        window.save()
        audit.record(
            actor=actor, action="standard.reward_add", obj=standard, after=audit.snapshot(window, WINDOW_FIELDS),
            jurisdiction_path=_path(standard),
            object_label=f"{standard.project.code} 补偿标准{standard.label} 交地奖励",
        )
    return window


def domain_window(window: StandardRewardWindow) -> domain.RewardWindow:
    return domain.RewardWindow(
        start=window.start, end=window.end, clause=window.clause,
        amount_per_household=window.amount_per_household, percent=window.percent,
    )


def reward_window_remove(*, actor: User, window: StandardRewardWindow) -> None:
    require(actor, "standard.edit")
    check_project(actor, window.standard.project)
    with transaction.atomic():
        standard = _locked(window.standard)
        _require_draft(standard)
        before = audit.snapshot(window, WINDOW_FIELDS)
        StandardRewardWindow.objects.filter(pk=window.pk, standard=standard).delete()
        audit.record(actor=actor, action="standard.reward_remove", obj=standard, before=before,
                     jurisdiction_path=_path(standard))


def standard_submit(*, actor: User, standard: CompensationStandard) -> CompensationStandard:
    """Send a draft to the leadership group for review; the whole table must be valid."""
    require(actor, "standard.edit")
    check_project(actor, standard.project)
    with transaction.atomic():
        standard = _locked(standard)
        _require_draft(standard)
        if not standard.rates.exists():
            raise InvalidInput("补偿标准没有任何单价，不能提交审定。", field="rates")
        try:
            domain_standard(standard)
        except DomainError as error:
            raise InvalidInput(f"补偿标准有误：{error.message}", field="rates") from None
        before = audit.snapshot(standard, STANDARD_FIELDS)
        standard.status = StandardStatus.IN_REVIEW
        standard.submitted_at = standard.updated_at = clock.now()
        standard.save()
        audit.record(actor=actor, action="standard.submit", obj=standard, before=before,
                     after=audit.snapshot(standard, STANDARD_FIELDS), jurisdiction_path=_path(standard))
    return standard


def standard_return(*, actor: User, standard: CompensationStandard, note: str) -> CompensationStandard:
    """The leadership group sends a version back to the office with its opinion."""
    require(actor, "standard.approve")
    check_project(actor, standard.project)
    note = text(note, "note", "审核意见", 2000, required=True)
    with transaction.atomic():
        standard = _locked(standard)
        if standard.status != StandardStatus.IN_REVIEW:
            raise GateClosed(f"补偿标准{standard.label}未提交审定，不能退回", clause=CLAUSE_APPROVAL)
        before = audit.snapshot(standard, STANDARD_FIELDS)
        standard.status, standard.review_note, standard.updated_at = StandardStatus.DRAFT, note, clock.now()
        standard.save()
        audit.record(actor=actor, action="standard.return", obj=standard, before=before,
                     after=audit.snapshot(standard, STANDARD_FIELDS), reason=note, jurisdiction_path=_path(standard))
    return standard


def standard_approve(
    *, actor: User, standard: CompensationStandard, approval_reference: str, note: str = ""
) -> CompensationStandard:
    """The leadership group approves a version under review (banan-2015 (二)). The approved
    version before it is superseded (one standard per project, yongzhou-linkage 五(二)), and a
    re-pricing job is queued for every household; signed agreements are never changed by it."""
    require(actor, "standard.approve")
    check_project(actor, standard.project)
    reference = text(approval_reference, "approval_reference", "审定文号/会议纪要", 120, required=True)
    note = text(note, "note", "审核意见", 2000)
    with transaction.atomic():
        standard = _locked(standard)
        if standard.status != StandardStatus.IN_REVIEW:
            raise GateClosed(
                f"补偿标准{standard.label}当前为“{standard.get_status_display()}”，须先提交审定才能批准",
                clause=CLAUSE_APPROVAL,
            )
        previous = (
            CompensationStandard.objects.select_for_update()
            .filter(project_id=standard.project_id, status=StandardStatus.APPROVED).first()
        )
        now = clock.now()
        if previous is not None:
            previous_before = audit.snapshot(previous, STANDARD_FIELDS)
            previous.status, previous.superseded_at, previous.updated_at = StandardStatus.SUPERSEDED, now, now
            previous.save()
            audit.record(actor=actor, action="standard.supersede", obj=previous, before=previous_before,
                         after=audit.snapshot(previous, STANDARD_FIELDS), reason=f"由{standard.label}替代",
                         jurisdiction_path=_path(standard))
        before = audit.snapshot(standard, STANDARD_FIELDS)
        standard.status = StandardStatus.APPROVED
        standard.approval_reference, standard.review_note = reference, note or standard.review_note
        standard.approved_by, standard.approved_at, standard.updated_at = actor, now, now
        try:
            with transaction.atomic():
                standard.save()
        except IntegrityError:
            raise GateClosed("本项目已有现行的补偿标准，同一项目不能出现不同标准", clause=CLAUSE_ONE_STANDARD) from None
        job = RepricingJob.objects.create(
            project=standard.project, standard=standard, previous_standard=previous, status=JobStatus.PENDING,
            created_by=actor, created_at=now,
        )
        audit.record(actor=actor, action="standard.approve", obj=standard, before=before,
                     after={**audit.snapshot(standard, STANDARD_FIELDS), "repricing_job": job.pk},
                     reason=standard.reason, jurisdiction_path=_path(standard))
    from .valuations import repricing_launch

    repricing_launch(job)
    return standard
