"""Re-pricing after a new version is approved: every unsigned household gets a new current
valuation with a diff; signed agreements stay as they are and are listed as needing a
supplementary agreement; unconfirmed households are skipped."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhengqian.core.models import AuditEvent

from .. import actions
from ..models import Agreement, AgreementStatus, JobStatus, RepricingJob, Valuation
from .factories import approved_standard, priced_household, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_with_three(today, office_user, leader, project_a, township_a):
    approved_standard(office_user, leader, project_a)
    unsigned = priced_household(office_user, project_a, township_a, "C-001")
    signed = priced_household(office_user, project_a, township_a, "C-002", head="李秀英")
    pending = priced_household(office_user, project_a, township_a, "C-003", head="张志强", confirm=False)
    for household in (unsigned, signed):
        actions.valuation_run(actor=office_user, household=household)
    agreement = actions.agreement_generate(actor=office_user, household=signed)
    sign(office_user, agreement)
    draft = actions.agreement_generate(actor=office_user, household=unsigned)
    return unsigned, signed, pending, agreement, draft


def test_new_version_reprices_with_diff(project_with_three, office_user, leader, project_a):
    unsigned, signed, pending, agreement, draft = project_with_three
    new = approved_standard(office_user, leader, project_a, reason="房屋单价上调",
                            changes={"house_brick_concrete_residential": "1300"})
    job = RepricingJob.objects.get(standard=new)
    assert job.status == JobStatus.DONE and job.total == 3 and job.done == 3
    assert (job.changed, job.needs_supplement, job.skipped, job.failed) == (2, 1, 1, 0)
    changes = {change.household_id: change for change in job.changes.all()}
    assert set(changes) == {unsigned.pk, signed.pk}
    change = changes[unsigned.pk]
    assert change.old_total == Decimal("413200.00") and change.new_total == Decimal("425250.00")
    assert change.delta == Decimal("12050.00")  # 120.50 m² × 100
    [line] = change.changed_lines
    assert line["kind"] == "changed" and line["old"] == "144600.00" and line["new"] == "156650.00"
    assert not change.needs_supplement and changes[signed.pk].needs_supplement
    # the unsigned draft follows the new valuation; its number does not change
    draft_after = Agreement.objects.get(pk=draft.pk)
    assert draft_after.amount == Decimal("425250.00") and draft_after.number == draft.number
    # the signed agreement is untouched
    signed_after = Agreement.objects.get(pk=agreement.pk)
    assert signed_after.amount == Decimal("413200.00") and signed_after.status == AgreementStatus.SIGNED
    assert Valuation.objects.get(household=signed, is_current=True).standard == new
    assert not Valuation.objects.filter(household=pending).exists()
    assert AuditEvent.objects.filter(action="valuation.reprice", object_id=str(job.pk)).exists()


def test_unchanged_households_get_a_new_valuation_but_no_diff_row(project_with_three, office_user, leader,
                                                                  project_a):
    unsigned, *_ = project_with_three
    new = approved_standard(office_user, leader, project_a, reason="调整未涉及本户的项目",
                            changes={"attachment_fence": "50"})
    job = RepricingJob.objects.get(standard=new)
    assert job.changed == 0 and not job.changes.exists()
    current = Valuation.objects.get(household=unsigned, is_current=True)
    assert current.standard == new and current.sequence == 2 and current.job == job


def test_supplementary_agreement_for_the_difference(project_with_three, office_user, leader, project_a):
    agreement = project_with_three[3]
    approved_standard(office_user, leader, project_a, reason="上调",
                      changes={"house_brick_concrete_residential": "1300"})
    supplement = actions.agreement_supplement(actor=office_user, agreement=agreement)
    assert supplement.kind == "supplementary" and supplement.parent == agreement
    assert supplement.amount == Decimal("12050.00") and supplement.amount_household == Decimal("12050.00")
    assert supplement.serial == agreement.serial + 2  # the unsigned draft took the number in between
    sign(office_user, supplement)
    with pytest.raises(Exception, match="无需补充协议"):
        actions.agreement_supplement(actor=office_user, agreement=agreement)


def test_job_can_be_started_again_for_survey_corrections(project_with_three, office_user, project_a):
    from ..actions.common import current_standard

    standard = current_standard(project_a)
    job = actions.repricing_start(actor=office_user, standard=standard)
    actions.repricing_launch(job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.changed == 0 and job.done == 3


@pytest.mark.postgres
def test_copy_path_stores_the_same_rows(project_with_three, office_user, leader, project_a, monkeypatch):
    """On PostgreSQL large batches go in with COPY (ids taken from the sequence first); force it
    for a small project and check rows, ids and the diff."""
    from .. import bulk

    monkeypatch.setattr(bulk, "COPY_FROM", 1)
    unsigned = project_with_three[0]
    new = approved_standard(office_user, leader, project_a, reason="房屋单价上调",
                            changes={"house_brick_concrete_residential": "1300"})
    job = RepricingJob.objects.get(standard=new)
    assert job.status == JobStatus.DONE and (job.changed, job.needs_supplement) == (2, 1)
    current = Valuation.objects.get(household=unsigned, is_current=True)
    assert current.standard == new and current.total == Decimal("425250.00") and current.lines.count() == 9
    assert current.lines.get(item="house_brick_concrete_residential").amount == Decimal("156650.00")
    change = job.changes.get(household=unsigned)
    assert change.new_valuation == current and change.changed_lines[0]["new"] == "156650.00"
    single = actions.valuation_run(actor=office_user, household=unsigned)
    assert single.sequence == current.sequence + 1 and single.lines.count() == 9
