"""Social-security enrolment (putian-2014 (十五)(十六)): per village the list of eligible
persons (resettled persons of working or pension age) with the contribution split between
government, collective and person; reviewed, then published, then exported for the
social-security bureau. The funds' review before the approval request (the gate fact
``social_security_funds_reviewed``) is the funds app's ``SocialSecurityReview``."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhengqian.compensation.actions.common import amount, day
from zhengqian.core import audit, clock
from zhengqian.core.models import Jurisdiction, User
from zhengqian.core.permissions import require
from zhengqian.domain import resettlement as rules
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.projects.models import Project

from .actions import check_project, in_scope
from .models import Enrolment, EnrolmentList, EnrolmentStatus, PersonDecision

LIST_FIELDS = [
    "contribution",
    "share_government",
    "share_collective",
    "share_person",
    "status",
    "reviewed_on",
    "published_on",
]
CLAUSE = "putian-2014 (十六)"


def enrolment_list_create(
    *,
    actor: User,
    project: Project,
    village: Jurisdiction,
    contribution: Any,
    share_government: Any,
    share_collective: Any,
    share_person: Any,
) -> EnrolmentList:
    """List the village's resettled persons of working or pension age (minors are not enrolled)
    with each one's split of ``contribution``."""
    require(actor, "resettlement.manage")
    check_project(actor, project)
    if not isinstance(village, Jurisdiction) or not in_scope(actor, village.path):
        raise InvalidInput("村/社区不在您的辖区。", field="village")
    total = amount(contribution, "contribution", "每人缴费标准", places=2)
    shares = rules.Shares(
        government=amount(share_government, "share_government", "政府承担比例", places=2) or Decimal(0),
        collective=amount(share_collective, "share_collective", "集体承担比例", places=2) or Decimal(0),
        person=amount(share_person, "share_person", "个人承担比例", places=2) or Decimal(0),
    )
    assert total is not None
    split = rules.contribution_split(total, shares)
    decisions = list(
        PersonDecision.objects.filter(project=project, household__village=village, counts=True)
        .exclude(age_band__in=["", rules.AgeBand.MINOR.value])
        .select_related("member")
        .order_by("household_id", "id")
    )
    if not decisions:
        raise GateClosed("该村没有达到参保年龄的安置人口（须先核定安置人口）", clause=CLAUSE)
    if EnrolmentList.objects.filter(project=project, village=village).exists():
        raise InvalidInput("该村已有社会保障对象名单。", field="village")
    with transaction.atomic():
        listing = EnrolmentList.objects.create(
            project=project,
            village=village,
            contribution=total,
            share_government=shares.government,
            share_collective=shares.collective,
            share_person=shares.person,
            jurisdiction_path=village.path,
            created_by=actor,
            created_at=clock.now(),
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    enrolment_list=listing,
                    member=row.member,
                    age_band=row.age_band,
                    government=split.government,
                    collective=split.collective,
                    person=split.person,
                )
                for row in decisions
            ]
        )
        audit.record(
            actor=actor,
            action="resettlement.enrolment.create",
            obj=listing,
            after={**audit.snapshot(listing, LIST_FIELDS), "persons": len(decisions)},
            jurisdiction_path=village.path,
        )
    return listing


def enrolment_list_review(*, actor: User, enrolment_list: EnrolmentList, reviewed_on: Any) -> EnrolmentList:
    """Review by the county's departments (putian-2014 (十六) 农业、国土资源部门应及时审核)."""
    require(actor, "resettlement.review")
    if not in_scope(actor, enrolment_list.jurisdiction_path):
        raise InvalidInput("该名单不在您的辖区。", field="enrolment_list")
    when = day(reviewed_on, "reviewed_on", "审核日期")
    with transaction.atomic():
        listing = EnrolmentList.objects.select_for_update().get(pk=enrolment_list.pk)
        if listing.status != EnrolmentStatus.DRAFT:
            raise InvalidInput("该名单已审核。", field="enrolment_list")
        before = audit.snapshot(listing, LIST_FIELDS)
        listing.status, listing.reviewed_by, listing.reviewed_on = EnrolmentStatus.REVIEWED, actor, when
        listing.save()
        audit.record(
            actor=actor,
            action="resettlement.enrolment.review",
            obj=listing,
            before=before,
            after=audit.snapshot(listing, LIST_FIELDS),
            jurisdiction_path=listing.jurisdiction_path,
        )
    return listing


def enrolment_list_publish(*, actor: User, enrolment_list: EnrolmentList, published_on: Any) -> EnrolmentList:
    require(actor, "resettlement.manage")
    if not in_scope(actor, enrolment_list.jurisdiction_path):
        raise InvalidInput("该名单不在您的辖区。", field="enrolment_list")
    when = day(published_on, "published_on", "公布日期")
    with transaction.atomic():
        listing = EnrolmentList.objects.select_for_update().get(pk=enrolment_list.pk)
        if listing.status != EnrolmentStatus.REVIEWED:
            raise GateClosed("名单须经审核后才能公布", clause=CLAUSE)
        before = audit.snapshot(listing, LIST_FIELDS)
        listing.status, listing.published_on = EnrolmentStatus.PUBLISHED, when
        listing.save()
        audit.record(
            actor=actor,
            action="resettlement.enrolment.publish",
            obj=listing,
            before=before,
            after=audit.snapshot(listing, LIST_FIELDS),
            jurisdiction_path=listing.jurisdiction_path,
        )
    return listing


EXPORT_HEADERS = [
    "序号",
    "户编号",
    "姓名",
    "证件号码",
    "性别",
    "出生日期",
    "年龄段",
    "政府承担（元）",
    "集体承担（元）",
    "个人承担（元）",
    "合计（元）",
]


def enrolment_export(listing: EnrolmentList, *, full_ids: bool = False) -> bytes:
    """The batch for the social-security bureau (.xlsx, xlsxwriter); full ID numbers only for a
    role that may see them (the caller audits that)."""
    import xlsxwriter

    from zhengqian.core import crypto

    labels = {band.value: label for band, label in rules.AGE_BAND_LABELS.items()}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("参保名单")
    sheet.write_row(0, 0, EXPORT_HEADERS)
    entries = listing.entries.select_related("member__household").order_by("member__household__code", "member_id")
    for index, entry in enumerate(entries, start=1):
        member = entry.member
        id_text = member.id_number_masked
        if full_ids and member.id_number_encrypted:
            id_text = crypto.decrypt(member.id_number_encrypted)
        sheet.write_row(
            index,
            0,
            [
                index,
                member.household.code,
                member.name,
                id_text,
                member.get_sex_display(),
                member.birth_date.isoformat() if member.birth_date else "",
                labels.get(entry.age_band, entry.age_band),
                str(entry.government),
                str(entry.collective),
                str(entry.person),
                str(entry.government + entry.collective + entry.person),
            ],
        )
    book.close()
    return buffer.getvalue()
