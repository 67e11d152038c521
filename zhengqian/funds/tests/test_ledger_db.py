"""The journal in the database: double entry, append-only, balances at any date, reversals,
and the special-account rule (one per project)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.ledger import AccountKind, Category, EntryKind
from zhengqian.funds import actions, journal, selectors
from zhengqian.funds.models import Account, Deposit, JournalEntry, Posting

from . import factories

pytestmark = pytest.mark.django_db
LAND = Category.land_compensation


def test_accounts_open_once_per_project(office_user, project_a, township_a):
    opened = actions.accounts_open(actor=office_user, project=project_a, bank_name="农商行", account_no="62280001")
    assert sorted(a.kind for a in opened) == ["owner_funding", "project_special", "social_security",
                                              "township_special"]
    assert actions.accounts_open(actor=office_user, project=project_a) == []
    special = Account.objects.get(project=project_a, kind=AccountKind.project_special)
    assert special.account_no == "62280001"
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(code="dup", kind=AccountKind.project_special, project=project_a, name="第二个专户",
                               jurisdiction_path=special.jurisdiction_path, created_at=clock.now())


def test_clerk_cannot_open_accounts(clerk_a, project_a):
    from zhengqian.core.permissions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        actions.accounts_open(actor=clerk_a, project=project_a)


def test_deposit_needs_special_account_and_receipt(finance_user, office_user, project_a):
    with pytest.raises(GateClosed, match="尚未开立"):
        factories.deposit(finance_user, project_a, "100.00")
    factories.open_accounts(office_user, project_a)
    with pytest.raises(InvalidInput, match="银行回单") as refused:
        actions.deposit_record(actor=finance_user, project=project_a, category="land_compensation", amount="100",
                               received_on=clock.today(), bank_reference="R1", receipt=None)
    assert refused.value.field == "evidence"
    assert not JournalEntry.objects.exists()


def test_deposit_posts_a_balanced_entry(finance_user, office_user, project_a):
    accounts = factories.open_accounts(office_user, project_a)
    deposit = factories.deposit(finance_user, project_a, "1234.56", ref="R1")
    postings = sorted(Posting.objects.filter(entry=deposit.entry).values_list("account__kind", "amount"))
    assert postings == [("owner_funding", Decimal("-1234.56")), ("project_special", Decimal("1234.56"))]
    assert journal.amounts([accounts["project_special"].pk]) == {(accounts["project_special"].pk, LAND):
                                                                 Decimal("1234.56")}
    assert AuditEvent.objects.filter(action="funds.deposit").count() == 1
    with pytest.raises(InvalidInput, match="已登记"):
        factories.deposit(finance_user, project_a, "1.00", ref="R1")


@pytest.mark.parametrize("amount", ["0", "-5", "1.001", "abc", 1.5])
def test_bad_amounts_are_refused(finance_user, office_user, project_a, amount):
    factories.open_accounts(office_user, project_a)
    with pytest.raises(InvalidInput) as refused:
        actions.deposit_record(actor=finance_user, project=project_a, category="land_compensation", amount=amount,
                               received_on=clock.today(), bank_reference="R9", receipt=b"x")
    assert refused.value.field == "amount"
    assert not Deposit.objects.exists()


def test_balances_at_any_date(finance_user, office_user, project_a):
    accounts = factories.open_accounts(office_user, project_a)
    special = accounts["project_special"]
    with clock.frozen("2026-03-02"):
        factories.deposit(finance_user, project_a, "100.00")
    with clock.frozen("2026-03-05"):
        factories.deposit(finance_user, project_a, "50.00", category="houses")
    from datetime import date

    assert journal.amounts([special.pk], on=date(2026, 3, 1)) == {}
    assert journal.amounts([special.pk], on=date(2026, 3, 4)) == {(special.pk, LAND): Decimal("100.00")}
    rows = {r.account.kind: r for r in selectors.balances_for(user=office_user, project=project_a)}
    assert rows["project_special"].total == Decimal("150.00")
    assert rows["owner_funding"].total == Decimal("-150.00")
    with clock.frozen("2026-03-04"), pytest.raises(InvalidInput, match="早于"):
        factories.deposit(finance_user, project_a, "1.00")


def test_reversal_corrects_without_editing(finance_user, office_user, project_a):
    factories.open_accounts(office_user, project_a)
    deposit = factories.deposit(finance_user, project_a, "100.00")
    reversal = actions.entry_reverse(actor=finance_user, entry=deposit.entry, reason="回单金额录错")
    assert reversal.kind == EntryKind.reversal and reversal.reverses_id == deposit.entry_id
    assert sum(Posting.objects.values_list("amount", flat=True)) == 0
    special = Account.objects.get(project=project_a, kind=AccountKind.project_special)
    assert journal.amounts([special.pk])[(special.pk, LAND)] == 0
    with pytest.raises(InvalidInput, match="只能冲销一次"):
        actions.entry_reverse(actor=finance_user, entry=deposit.entry, reason="再来")
    with pytest.raises(InvalidInput, match="本身是冲销"):
        actions.entry_reverse(actor=finance_user, entry=reversal, reason="再来")


def test_reversal_cannot_overdraw(funded, finance_user, project_a):
    deposit = Deposit.objects.filter(project=project_a).first()
    with pytest.raises(InvalidInput, match="可用余额"):
        actions.entry_reverse(actor=finance_user, entry=deposit.entry, reason="已拨付后冲销")


def test_unbalanced_entry_is_refused_before_commit(finance_user, office_user, project_a):
    accounts = factories.open_accounts(office_user, project_a)
    with pytest.raises(InvalidInput, match="借贷不平衡"), transaction.atomic():
        entry = JournalEntry.objects.create(project=project_a, kind="deposit", on=clock.today(),
                                            created_by=finance_user, created_at=clock.now())
        Posting.objects.create(entry=entry, account=accounts["project_special"], category=LAND, amount=Decimal(5))
        Posting.objects.create(entry=entry, account=accounts["owner_funding"], category=LAND, amount=Decimal(-4))
        journal.check_balanced(entry)
    assert not JournalEntry.objects.exists()


def test_domain_rules_guard_the_database(finance_user, office_user, project_a):
    accounts = factories.open_accounts(office_user, project_a)
    with pytest.raises(InvalidInput, match="借贷不平衡"), transaction.atomic():
        journal.post(actor=finance_user, project=project_a, kind=EntryKind.deposit,
                     lines=[(accounts["owner_funding"], LAND, Decimal("-5")),
                            (accounts["project_special"], LAND, Decimal("4"))])
    with pytest.raises(InvalidInput, match="不能"), transaction.atomic():  # deposit straight to a township
        journal.post(actor=finance_user, project=project_a, kind=EntryKind.deposit,
                     lines=[(accounts["owner_funding"], LAND, Decimal("-5")),
                            (next(a for k, a in accounts.items() if k.startswith("township")), LAND, Decimal("5"))])
    assert not JournalEntry.objects.exists()


# --- PostgreSQL: the database itself refuses -------------------------------------------------


@pytest.mark.postgres
def test_postgres_rejects_unbalanced_entry_at_commit(finance_user, office_user, project_a):
    accounts = factories.open_accounts(office_user, project_a)
    with pytest.raises(IntegrityError, match="unbalanced"), transaction.atomic():
        entry = JournalEntry.objects.create(project=project_a, kind="deposit", on=clock.today(),
                                            created_by=finance_user, created_at=clock.now())
        Posting.objects.create(entry=entry, account=accounts["project_special"], category=LAND, amount=Decimal(5))
        Posting.objects.create(entry=entry, account=accounts["owner_funding"], category=LAND, amount=Decimal(-4))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT does to deferred triggers
    with pytest.raises(IntegrityError, match="unbalanced"), transaction.atomic():
        JournalEntry.objects.create(project=project_a, kind="deposit", on=clock.today(),
                                    created_by=finance_user, created_at=clock.now())
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not JournalEntry.objects.exists()


@pytest.mark.postgres
def test_postgres_accepts_balanced_entry_at_commit(finance_user, office_user, project_a):
    factories.open_accounts(office_user, project_a)
    with transaction.atomic():
        factories.deposit(finance_user, project_a, "10.00")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert JournalEntry.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["funds_journalentry", "funds_posting"])
@pytest.mark.parametrize("sql", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_postgres_journal_is_append_only(finance_user, office_user, project_a, table, sql):
    from django.db import DatabaseError

    factories.open_accounts(office_user, project_a)
    factories.deposit(finance_user, project_a, "10.00")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=table))
    assert Posting.objects.count() == 2
