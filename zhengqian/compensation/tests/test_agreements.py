"""Agreements: numbered per project per year, signed once with a scanned copy kept by SHA-256,
immutable afterwards (action and database), the payment clock started by signing; numbering
has no gaps or duplicates under concurrency (PostgreSQL)."""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from zhengqian.core import clock
from zhengqian.core.models import AuditEvent, EvidenceFile
from zhengqian.domain.errors import GateClosed, InvalidInput

from .. import actions
from ..models import Agreement, AgreementCounter, AgreementStatus
from .factories import approved_standard, priced_household, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(today, office_user, leader, project_a, township_a):
    approved_standard(office_user, leader, project_a)
    household = priced_household(office_user, project_a, township_a)
    actions.valuation_run(actor=office_user, household=household)
    return household


def test_generate_numbers_and_snapshots_payees(priced, office_user):
    agreement = actions.agreement_generate(actor=office_user, household=priced, resettlement_choice="cash")
    assert agreement.number == "〔2026〕第0001号" and agreement.year == 2026 and agreement.serial == 1
    assert agreement.amount == Decimal("413200.00") and agreement.amount_collective == Decimal("135000.00")
    assert agreement.amount_in_words == "肆拾壹万叁仟贰佰元整"
    assert agreement.bank_account_holder == "王建国" and agreement.bank_account_no.startswith("6221")
    again = actions.agreement_generate(actor=office_user, household=priced)
    assert again.pk == agreement.pk and again.number == agreement.number  # a draft is refreshed, not renumbered
    assert AgreementCounter.objects.get().last == 1


def test_sign_records_evidence_and_payment_clock(priced, office_user):
    agreement = actions.agreement_generate(actor=office_user, household=priced)
    signed = sign(office_user, agreement, on="2026-03-02")
    assert signed.status == AgreementStatus.SIGNED and signed.signed_on == date(2026, 3, 2)
    content = b"%PDF-1.4 signed " + agreement.number.encode()
    assert signed.signed_copy.sha256 == hashlib.sha256(content).hexdigest()
    # 2026-03-02 + 3 months = 2026-06-02, a Tuesday (yongzhou-linkage 五(一)4)
    assert signed.payment_due == date(2026, 6, 2) and not signed.payment_due_provisional
    assert signed.payment_clause == "yongzhou-linkage 五(一)4"
    assert AuditEvent.objects.filter(action="agreement.sign", object_id=str(agreement.pk)).exists()


def test_signing_twice_and_editing_are_refused(priced, office_user):
    agreement = sign(office_user, actions.agreement_generate(actor=office_user, household=priced))
    events = AuditEvent.objects.count()
    with pytest.raises(GateClosed) as twice:
        sign(office_user, agreement, on="2026-03-02")
    assert twice.value.clause == "民法典 第五百四十三条" and "补充协议" in twice.value.message
    with pytest.raises(GateClosed):
        actions.agreement_update(actor=office_user, agreement=agreement, resettlement_choice="housing")
    with pytest.raises(GateClosed):
        actions.agreement_generate(actor=office_user, household=priced)
    assert AuditEvent.objects.count() == events
    assert Agreement.objects.get(pk=agreement.pk).resettlement_choice == "undecided"


def test_database_refuses_to_change_a_signed_agreement(priced, office_user):
    agreement = sign(office_user, actions.agreement_generate(actor=office_user, household=priced))
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(amount=Decimal("1"))
    assert Agreement.objects.get(pk=agreement.pk).amount == Decimal("413200.00")


def test_database_check_refuses_signed_without_copy(priced, office_user):
    agreement = actions.agreement_generate(actor=office_user, household=priced)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(status="signed", signed_on=date(2026, 3, 2))


def test_sign_needs_scan_and_current_valuation(priced, office_user):
    agreement = actions.agreement_generate(actor=office_user, household=priced)
    with pytest.raises(InvalidInput) as no_scan:
        actions.agreement_sign(actor=office_user, agreement=agreement, signed_on="2026-03-02", signatories="王建国",
                               scan=b"", scan_name="x.pdf")
    assert no_scan.value.field == "scan"
    actions.valuation_run(actor=office_user, household=priced, transition_months=2)  # the draft follows
    agreement.refresh_from_db()
    assert agreement.amount == Decimal("410000.00")
    sign(office_user, agreement)
    assert not EvidenceFile.objects.filter(original_name="x.pdf").exists()


def test_sign_date_in_future_is_refused(priced, office_user):
    agreement = actions.agreement_generate(actor=office_user, household=priced)
    with pytest.raises(InvalidInput):
        sign(office_user, agreement, on="2026-03-03")
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT


def test_numbers_restart_each_year(priced, office_user, project_a, township_a):
    first = actions.agreement_generate(actor=office_user, household=priced)
    other = priced_household(office_user, project_a, township_a, "C-009", head="李秀英")
    actions.valuation_run(actor=office_user, household=other)
    with clock.frozen("2027-01-04T10:00:00"):
        second = actions.agreement_generate(actor=office_user, household=other)
    assert (first.number, second.number) == ("〔2026〕第0001号", "〔2027〕第0001号")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_numbering_under_concurrency(office_user, make_user, district, project_a, township_a):
    """Twelve households generated at once from six threads: numbers 1..12, none twice."""
    with clock.frozen("2026-03-02T10:00:00"):
        leader = make_user("leader_pg", "leadership_office", district)
        approved_standard(office_user, leader, project_a)
        households = []
        for index in range(12):
            household = priced_household(office_user, project_a, township_a, f"K-{index:03d}", head="王建国")
            actions.valuation_run(actor=office_user, household=household)
            households.append(household)
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def work(part: list) -> None:
        try:
            barrier.wait()
            for household in part:
                actions.agreement_generate(actor=office_user, household=household)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(households[i::6],)) for i in range(6)]
    with clock.frozen("2026-03-02T10:00:00"):  # one frozen clock for every thread
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    serials = sorted(Agreement.objects.filter(project=project_a).values_list("serial", flat=True))
    assert serials == list(range(1, 13))
    assert AgreementCounter.objects.get(project=project_a, year=2026).last == 12
