"""The standard's workflow: drafted by the office, reviewed and approved by the leadership group
(banan-2015 (二)); one approved version per project (yongzhou-linkage 五(二)), also in the
database; approved versions are frozen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.domain.errors import GateClosed, InvalidInput

from .. import actions
from ..models import CompensationStandard, JobStatus, RepricingJob, StandardStatus
from .factories import approved_standard

pytestmark = pytest.mark.django_db


def test_draft_review_approve(today, office_user, leader, project_a):
    standard = actions.standard_create(actor=office_user, project=project_a, reason="首版")
    assert standard.status == StandardStatus.DRAFT and standard.version == 1
    actions.rate_set(actor=office_user, standard=standard, category="relocation", item="relocation",
                     name="搬迁费", unit="household", amount_value="2000", payee="household", clause="banan-2015 (五)")
    with pytest.raises(PermissionDenied):
        actions.standard_approve(actor=office_user, standard=standard, approval_reference="x")
    with pytest.raises(GateClosed) as not_submitted:
        actions.standard_approve(actor=leader, standard=standard, approval_reference="纪要")
    assert not_submitted.value.clause == "banan-2015 (二)"
    actions.standard_submit(actor=office_user, standard=standard)
    returned = actions.standard_return(actor=leader, standard=standard, note="搬迁费偏低")
    assert returned.status == StandardStatus.DRAFT and returned.review_note == "搬迁费偏低"
    actions.standard_submit(actor=office_user, standard=standard)
    approved = actions.standard_approve(actor=leader, standard=standard, approval_reference="纪要〔2026〕1号")
    assert approved.status == StandardStatus.APPROVED and approved.approved_by == leader
    assert RepricingJob.objects.get(standard=approved).status in (JobStatus.DONE, JobStatus.PENDING)
    actions_seen = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"standard.create", "standard.submit", "standard.return", "standard.approve"} <= actions_seen


def test_approved_version_cannot_be_edited(today, office_user, leader, project_a):
    standard = approved_standard(office_user, leader, project_a)
    rate = standard.rates.get(item="relocation")
    with pytest.raises(GateClosed) as refused:
        actions.rate_set(actor=office_user, standard=standard, category="relocation", item="relocation",
                         name="搬迁费", unit="household", amount_value="99999", payee="household",
                         clause="banan-2015 (五)", rate=rate)
    assert refused.value.clause == "banan-2015 (二)"
    rate.refresh_from_db()
    assert rate.amount == Decimal("2000")


def test_new_version_needs_reason_and_supersedes_on_approval(today, office_user, leader, project_a):
    first = approved_standard(office_user, leader, project_a)
    with pytest.raises(InvalidInput) as refused:
        actions.standard_create(actor=office_user, project=project_a)
    assert refused.value.field == "reason"
    second = actions.standard_create(actor=office_user, project=project_a, reason="市政府调整补偿标准")
    assert second.version == 2 and second.rates.count() == first.rates.count()  # copied to start from
    with pytest.raises(GateClosed):  # one open version at a time
        actions.standard_create(actor=office_user, project=project_a, reason="再调")
    first.refresh_from_db()
    assert first.status == StandardStatus.APPROVED  # the draft prices nothing yet
    actions.standard_submit(actor=office_user, standard=second)
    actions.standard_approve(actor=leader, standard=second, approval_reference="纪要〔2026〕2号")
    first.refresh_from_db()
    assert first.status == StandardStatus.SUPERSEDED and first.superseded_at == clock.now()
    assert CompensationStandard.objects.filter(project=project_a, status=StandardStatus.APPROVED).get() == second


def test_database_allows_one_approved_version_per_project(today, office_user, leader, project_a):
    first = approved_standard(office_user, leader, project_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompensationStandard.objects.create(
            project=project_a, version=2, status=StandardStatus.APPROVED, reason="绕过审定", created_by=office_user,
            created_at=clock.now(), updated_at=clock.now(), approved_at=clock.now(),
        )
    assert first.rates.exists()


def test_submit_requires_rates_and_clerks_cannot_draft(today, office_user, clerk_a, project_a):
    standard = actions.standard_create(actor=office_user, project=project_a)
    with pytest.raises(InvalidInput):
        actions.standard_submit(actor=office_user, standard=standard)
    with pytest.raises(PermissionDenied):
        actions.standard_create(actor=clerk_a, project=project_a, reason="x")


def test_reward_windows_may_not_overlap(today, office_user, project_a):
    standard = actions.standard_create(actor=office_user, project=project_a)
    actions.reward_window_add(actor=office_user, standard=standard, start="2026-02-01", end="2026-02-28",
                              amount_per_household="5000")
    with pytest.raises(InvalidInput) as refused:
        actions.reward_window_add(actor=office_user, standard=standard, start="2026-02-20", end="2026-03-31",
                                  percent="2")
    assert "重叠" in refused.value.message
    assert standard.reward_windows.count() == 1
