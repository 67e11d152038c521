"""Payments from signed agreements: plan, payee, approval, cancelled or superseded agreements
(putian-2014 (七)(十); banan-2015 (五))."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from zhengqian.compensation.models import AgreementStatus
from zhengqian.core import clock
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.ledger import AccountKind
from zhengqian.funds import payments, selectors
from zhengqian.funds.models import Account, Payment

from . import factories

pytestmark = pytest.mark.django_db


def _by_line(created):
    return {(p.payee_kind, p.category): p for p in created}


def test_plan_one_payment_per_payee_and_category(funded, office_user, agreement):
    created = factories.plan(office_user, agreement)
    lines = {key: p.amount for key, p in _by_line(created).items()}
    assert lines == {
        ("collective", "land_compensation"): Decimal("30000.00"),
        ("household", "resettlement_subsidy"): Decimal("20000.00"),
        ("household", "houses"): Decimal("50000.00"),
        ("household", "crops_and_attachments"): Decimal("1500.50"),
    }  # social security goes to the fund by transfer, not to the household
    household_payment = _by_line(created)[("household", "houses")]
    assert household_payment.payee_account.kind == AccountKind.household
    assert household_payment.payee_account.name == "张三"
    assert household_payment.number.startswith("ZF")
    assert factories.plan(office_user, agreement) == []  # idempotent


def test_plan_refuses_unsigned_agreement(funded, office_user, household):
    draft = factories.signed_agreement(office_user, household, status=AgreementStatus.DRAFT)
    with pytest.raises(GateClosed, match="尚未签订"):
        factories.plan(office_user, draft)


def test_plan_needs_the_collective_account(office_user, finance_user, project_a, township_a, household):
    factories.open_accounts(office_user, project_a)
    agreement = factories.signed_agreement(office_user, household)
    with pytest.raises(GateClosed, match="集体账户"):
        factories.plan(office_user, agreement)
    assert not Payment.objects.exists()


def test_approve_earmarks_money_and_only_once(funded, office_user, finance_user, agreement):
    payment = _by_line(factories.plan(office_user, agreement))[("household", "houses")]
    payments.payment_approve(actor=finance_user, payment=payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.approved and payment.approved_by == finance_user
    with pytest.raises(InvalidInput, match="不能重复审批"):
        payments.payment_approve(actor=finance_user, payment=payment)
    with pytest.raises(PermissionDeniedError):
        payments.payment_approve(actor=office_user, payment=Payment.objects.filter(state="planned").first())


def test_approval_refused_beyond_available_township_balance(office_user, finance_user, project_a, township_a,
                                                            household):
    factories.open_accounts(office_user, project_a)
    factories.collective_account(office_user, project_a, township_a)
    factories.deposit(finance_user, project_a, "60000.00", category="houses")
    factories.appropriate(office_user, finance_user, project_a, township_a, "60000.00", category="houses")
    first = factories.signed_agreement(office_user, household, [("house", "owner", "50000.00")])
    payments.payment_approve(actor=finance_user, payment=factories.plan(office_user, first)[0])
    other = factories.household_with_account(office_user, project_a, township_a, code="H-002", head="李四")
    second = factories.signed_agreement(office_user, other, [("house", "owner", "20000.00")])
    payment = factories.plan(office_user, second)[0]
    with pytest.raises(InvalidInput, match="已为已审批付款预留"):
        payments.payment_approve(actor=finance_user, payment=payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.planned


def test_wrong_payee_is_refused(funded, office_user, finance_user, agreement, project_a, township_a):
    payment = _by_line(factories.plan(office_user, agreement))[("household", "houses")]
    stranger = factories.household_with_account(office_user, project_a, township_a, code="H-009", head="王五")
    foreign = payments.household_account(stranger, bank_name="农商行", account_no=stranger.bank_account_no,
                                         holder_name="王五")
    with pytest.raises(InvalidInput, match="不是本户家庭成员") as refused:
        payments.payment_set_payee(actor=office_user, payment=payment, account=foreign)
    assert refused.value.clause == "putian-2014 (七)"
    collective = Account.objects.get(project=project_a, kind=AccountKind.collective)
    with pytest.raises(InvalidInput):
        payments.payment_set_payee(actor=office_user, payment=payment, account=collective)
    with pytest.raises(InvalidInput, match="不是本户家庭成员"):
        payments.household_account(agreement.household, bank_name="农商行", account_no="6222999900001111",
                                   holder_name="外人")


def test_superseded_agreement_is_not_paid(funded, office_user, finance_user, agreement):
    old = _by_line(factories.plan(office_user, agreement))
    payments.payment_approve(actor=finance_user, payment=old[("household", "houses")])
    supplement = factories.signed_agreement(
        office_user, agreement.household, [("house", "owner", "52000.00"), ("land_compensation", "collective",
                                                                            "30000.00")], parent=agreement)
    with pytest.raises(GateClosed, match="已被"):
        payments.payment_approve(actor=finance_user, payment=old[("household", "resettlement_subsidy")])
    created = _by_line(factories.plan(office_user, supplement))
    assert {p.state for p in Payment.objects.filter(agreement=agreement)} == {PaymentState.cancelled}
    assert created[("household", "houses")].amount == Decimal("52000.00")


def test_payment_clock(client, funded, office_user, agreement, project_a):
    clocks = selectors.payment_clocks(office_user, project=project_a)
    assert len(clocks) == 1 and clocks[0].state == "open" and clocks[0].outstanding == Decimal("101500.50")
    with clock.frozen(agreement.payment_due.isoformat() + "T10:00:00"):
        assert selectors.payment_clocks(office_user)[0].state == "due_soon"
    late = agreement.payment_due.toordinal() + 1
    from datetime import date

    with clock.frozen(date.fromordinal(late)):
        assert selectors.payment_clocks(office_user, state="overdue")[0].agreement == agreement
        # the overdue board of the procedure app shows the same clock (issue 8: clocks on the board)
        from zhengqian.procedure.selectors import other_clocks

        payment_clock = other_clocks(office_user)[0]
        assert (payment_clock.overdue, payment_clock.due_soon) == (1, 0)
        client.force_login(office_user)
        board = client.get(reverse("procedure:board")).content.decode()
        assert 'data-clock-overdue="1"' in board and reverse("funds:clocks") in board
    assert selectors.paid_in_full(project_a) is False
