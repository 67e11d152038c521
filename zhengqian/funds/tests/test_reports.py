"""Statements, the collective half-year publication, and the facts handed to the procedure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhengqian.core import clock
from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.ledger import AccountKind, Category
from zhengqian.funds import actions, bank, payments, reports
from zhengqian.funds.models import Account
from zhengqian.procedure.models import ProjectFact

from . import factories
from .test_bank import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(funded, office_user, finance_user, agreement, project_a):
    for payment in factories.plan(office_user, agreement):
        payments.payment_approve(actor=finance_user, payment=payment)
    account = Account.objects.get(project=project_a, kind=AccountKind.township_special)
    batch = bank.batch_create(actor=finance_user, account=account)
    bank.return_import(actor=finance_user, batch=batch, content=answer(batch))
    return batch


def test_project_statement_by_category(paid, project_a):
    rows = {row.category: row for row in reports.project_statement(project_a)}
    land = rows[Category.land_compensation]
    assert land.deposited == land.in_place == Decimal("500000.00")
    assert land.collectives == Decimal("30000.00") and land.township == Decimal("470000.00")
    assert rows[Category.houses].households == Decimal("50000.00")
    assert rows[Category.social_security].shortfall == Decimal("8000.00")  # valued, not yet deposited


def test_township_statement(paid, finance_user, township_a):
    rows = {row.category: row for row in reports.township_statement(user=finance_user, township=township_a)}
    houses = rows[Category.houses]
    assert (houses.appropriated, houses.paid, houses.balance) == (Decimal("500000.00"), Decimal("50000.00"),
                                                                  Decimal("450000.00"))
    assert houses.earmarked == 0


def test_collective_statement_and_publication(paid, office_user):
    account = Account.objects.get(kind=AccountKind.collective)
    statement = reports.collective_statement(account, clock.today())
    assert statement.received == Decimal("30000.00") and statement.opening == 0
    later = date(statement.end.year + (statement.end.month == 12), 1 if statement.end.month == 12 else 7, 15)
    assert reports.collective_statement(account, later).opening == Decimal("30000.00")
    with pytest.raises(InvalidInput, match="期间结束"):
        actions.collective_publish(actor=office_user, account=account, period_start=statement.start,
                                   published_on=clock.today(), place="村公开栏", photo=b"photo")
    with clock.frozen(later):
        publication = actions.collective_publish(actor=office_user, account=account, period_start=statement.start,
                                                 published_on=later, place="村公开栏", photo=b"photo")
        assert publication.period_end == statement.end
        with pytest.raises(InvalidInput, match="已登记公布"):
            actions.collective_publish(actor=office_user, account=account, period_start=statement.start,
                                       published_on=later, place="村公开栏", photo=b"photo2")


def test_facts_are_handed_to_the_procedure(office_user, finance_user, project_a):
    factories.open_accounts(office_user, project_a)
    assert dict(ProjectFact.objects.values_list("code", "source")) == {"special_account_opened": "funds"}
    factories.set_budget(office_user, project_a, land_compensation="100.00")
    assert ProjectFact.objects.get(code="funds_in_place").value is False
    factories.deposit(finance_user, project_a, "100.00")
    assert ProjectFact.objects.get(code="funds_in_place").value is True
    assert not ProjectFact.objects.filter(code="paid_in_full").exists()  # no payments yet: not the ledger's word


def test_paid_in_full_reaches_the_procedure(paid, project_a):
    fact = ProjectFact.objects.get(project=project_a, code="paid_in_full")
    assert fact.value is True and fact.source == "funds"
