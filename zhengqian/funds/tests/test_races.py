"""Concurrency and crashes on PostgreSQL (SQLite serialises writers, so these need the real
thing): appropriations never overdraw, one approval wins, one key answers once, a killed
import leaves nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import close_old_connections, connection
from django.test import Client

from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.errors import DomainError
from zhengqian.domain.ledger import AccountKind, Category
from zhengqian.funds import actions, bank, journal, payments
from zhengqian.funds.models import Account, Appropriation, AppropriationState, BankReturn, JournalEntry, Payment

from . import factories
from .test_bank import answer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_concurrent_appropriations_never_overdraw(office_user, finance_user, project_a, township_a):
    factories.open_accounts(office_user, project_a)
    factories.deposit(finance_user, project_a, "1000.00")
    requests = [actions.appropriation_request(actor=office_user, project=project_a, township=township_a,
                                              category="land_compensation", amount="100.00") for _ in range(20)]
    results = race(20, lambda i: actions.appropriation_approve(actor=finance_user, appropriation=requests[i]))
    assert sum(isinstance(r, Appropriation) for r in results) == 10
    assert all(isinstance(r, (Appropriation, DomainError)) for r in results), results
    assert Appropriation.objects.filter(state=AppropriationState.APPROVED).count() == 10
    special = Account.objects.get(project=project_a, kind=AccountKind.project_special)
    assert journal.amounts([special.pk]) == {(special.pk, Category.land_compensation): Decimal("0.00")}


def test_fifty_concurrent_approvals_of_one_payment(funded, office_user, finance_user, agreement):
    payment = factories.plan(office_user, agreement)[0]
    results = race(50, lambda i: payments.payment_approve(actor=finance_user, payment=payment))
    assert sum(isinstance(r, Payment) for r in results) == 1
    assert all(isinstance(r, (Payment, DomainError)) for r in results), results
    payment.refresh_from_db()
    assert payment.state == PaymentState.approved
    from zhengqian.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="payment.approve", object_id=str(payment.pk)).count() == 1


def test_concurrent_approvals_of_many_payments_never_overdraw(office_user, finance_user, project_a, township_a):
    factories.open_accounts(office_user, project_a)
    factories.collective_account(office_user, project_a, township_a)
    factories.deposit(finance_user, project_a, "100000.00", category="houses")
    factories.appropriate(office_user, finance_user, project_a, township_a, "100000.00", category="houses")
    planned = []
    for number in range(12):
        household = factories.household_with_account(office_user, project_a, township_a, code=f"R-{number}",
                                                     head=f"户主{number}")
        agreement = factories.signed_agreement(office_user, household, [("house", "owner", "10000.00")])
        planned += factories.plan(office_user, agreement)
    results = race(12, lambda i: payments.payment_approve(actor=finance_user, payment=planned[i]))
    assert sum(isinstance(r, Payment) for r in results) == 10
    assert Payment.objects.filter(state=PaymentState.approved).count() == 10


def test_same_idempotency_key_answers_once(funded, office_user, finance_user, agreement):
    payment = factories.plan(office_user, agreement)[0]

    def call(_: int) -> tuple[int, str]:
        client = Client()
        client.force_login(finance_user)
        response = client.post(f"/api/v1/funds/payments/{payment.pk}/approve", data="{}",
                               content_type="application/json", HTTP_IDEMPOTENCY_KEY="race-key")
        return response.status_code, response.content.decode()

    results = race(10, call)
    assert {status for status, _ in results} == {200}, results
    assert len({json.loads(body)["approved_at"] for _, body in results}) == 1


def test_kill_during_return_import_leaves_nothing(sent_batch, finance_user, tmp_path: Path):
    batch = sent_batch
    content = answer(batch)
    file = tmp_path / "return.csv"
    file.write_bytes(content)
    database = settings.DATABASES["default"]
    # Named, so that only the killed process's session is cleared below (other sessions of this
    # test database, e.g. a live server's, must survive).
    url = (f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
           "?application_name=zq_killed_return_import")
    script = f"""
import os, signal, django
django.setup()
from zhengqian.core.models import User
from zhengqian.funds import bank, payments
from zhengqian.funds.models import BankBatch
real, calls = payments.confirm_paid, []
def confirm_then_die(actor, payment):
    calls.append(payment)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(actor, payment)
payments.confirm_paid = confirm_then_die
bank.return_import(actor=User.objects.get(pk={finance_user.pk}), batch=BankBatch.objects.get(pk={batch.pk}),
                   content=open({str(file)!r}, "rb").read())
"""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, capture_output=True,
                          timeout=120, check=False)
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    with connection.cursor() as cursor:  # the server may not have noticed the dead client yet
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND application_name = 'zq_killed_return_import'")
    assert not BankReturn.objects.exists()
    assert not JournalEntry.objects.filter(kind="payment").exists()
    assert set(Payment.objects.values_list("state", flat=True)) == {PaymentState.sent}
    received = bank.return_import(actor=finance_user, batch=batch, content=content)
    assert received.paid_count == 4
    assert JournalEntry.objects.filter(kind="payment").count() == 4


@pytest.fixture
def sent_batch(funded, office_user, finance_user, agreement, project_a):
    for payment in factories.plan(office_user, agreement):
        payments.payment_approve(actor=finance_user, payment=payment)
    account = Account.objects.get(project=project_a, kind=AccountKind.township_special)
    return bank.batch_create(actor=finance_user, account=account)
