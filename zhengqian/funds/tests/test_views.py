"""Staff pages of the funds: they render, they call the actions, lists do not grow queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.ledger import AccountKind
from zhengqian.funds import bank, payments
from zhengqian.funds.models import Account, Appropriation, Payment

from . import factories
from .test_bank import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_batch(funded, office_user, finance_user, agreement, project_a):
    for payment in factories.plan(office_user, agreement):
        payments.payment_approve(actor=finance_user, payment=payment)
    account = Account.objects.get(project=project_a, kind=AccountKind.township_special)
    batch = bank.batch_create(actor=finance_user, account=account)
    bank.return_import(actor=finance_user, batch=batch, content=answer(batch, {2: "户名不符"}))
    return batch


def test_every_page_renders(client, finance_user, paid_batch, project_a, township_a):
    client.force_login(finance_user)
    collective = Account.objects.get(kind=AccountKind.collective)
    payment = Payment.objects.first()
    urls = [
        reverse("funds:overview"), reverse("funds:clocks"), reverse("funds:project", args=[project_a.pk]),
        reverse("funds:ledger", args=[project_a.pk]) + "?on=2026-01-01", reverse("funds:payments", args=[project_a.pk]),
        reverse("funds:batches", args=[project_a.pk]), reverse("funds:batch_detail", args=[paid_batch.pk]),
        reverse("funds:reconciliation", args=[project_a.pk]), reverse("funds:statement", args=[project_a.pk]),
        reverse("funds:township_statement", args=[township_a.pk]), reverse("funds:collective", args=[collective.pk]),
        reverse("funds:payment_detail", args=[payment.pk]), reverse("funds:budget", args=[project_a.pk]),
        reverse("funds:deposit_create", args=[project_a.pk]), reverse("funds:transfer_create", args=[project_a.pk]),
        reverse("funds:appropriation_create", args=[project_a.pk]), reverse("funds:review_create", args=[project_a.pk]),
        reverse("funds:collective_create", args=[project_a.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert reverse("funds:reconciliation", args=[project_a.pk]) in client.get(urls[2]).content.decode()
    csv = client.get(reverse("funds:batch_download", args=[paid_batch.pk, "csv"]))
    assert csv["Content-Disposition"].endswith('.csv"') and "合计,4," in csv.content.decode("utf-8-sig")
    assert client.get(reverse("funds:batch_download", args=[paid_batch.pk, "pdf"])).status_code == 404


def test_township_clerk_sees_only_its_part(client, clerk_a, clerk_b, paid_batch, project_a):
    client.force_login(clerk_a)
    assert client.get(reverse("funds:reconciliation", args=[project_a.pk])).status_code == 403
    payments_page = client.get(reverse("funds:payments", args=[project_a.pk]))
    assert payments_page.status_code == 200
    # the tab of a report the clerk may not open is not offered
    assert reverse("funds:reconciliation", args=[project_a.pk]) not in payments_page.content.decode()
    assert client.get(reverse("funds:batch_detail", args=[paid_batch.pk])).status_code == 200
    # the file carries full account numbers: only the bank-exchange role downloads it
    assert client.get(reverse("funds:batch_download", args=[paid_batch.pk, "csv"])).status_code == 403
    client.force_login(clerk_b)
    assert client.get(reverse("funds:project", args=[project_a.pk])).status_code == 404


def test_deposit_and_appropriation_through_the_pages(client, office_user, finance_user, project_a, township_a):
    factories.open_accounts(office_user, project_a)
    client.force_login(finance_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("funds:deposit_create", args=[project_a.pk]), {
        "category": "land_compensation", "amount": "1000.00", "received_on": "2026-01-05", "bank_reference": "HD1",
        "receipt": SimpleUploadedFile("回单.pdf", b"%PDF receipt", "application/pdf")})
    assert response.status_code == 302
    client.force_login(office_user)
    response = client.post(reverse("funds:appropriation_create", args=[project_a.pk]), {
        "township": township_a.pk, "category": "land_compensation", "amount": "2000.00", "purpose": "x"})
    assert response.status_code == 302
    client.force_login(finance_user)
    appropriation = Appropriation.objects.get()
    client.post(reverse("funds:appropriation_decide", args=[appropriation.pk]), {"decision": "approve"})
    appropriation.refresh_from_db()
    assert appropriation.state == "requested"  # refused: only 1000 available
    page = client.get(reverse("funds:project", args=[project_a.pk]))
    assert "可用余额" in page.content.decode()


def test_bulk_approve_page(client, funded, office_user, finance_user, agreement, project_a):
    planned = factories.plan(office_user, agreement)
    client.force_login(finance_user)
    response = client.post(reverse("funds:payments_approve", args=[project_a.pk]),
                           {"payment": [p.pk for p in planned]})
    assert response.status_code == 302
    assert set(Payment.objects.values_list("state", flat=True)) == {PaymentState.approved}


@pytest.mark.parametrize("name", ["funds:payments", "funds:ledger", "funds:project"])
def test_list_pages_do_not_grow_queries(client, funded, office_user, finance_user, project_a, township_a, name):
    client.force_login(finance_user)
    url = reverse(name, args=[project_a.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    household = factories.household_with_account(office_user, project_a, township_a, code="Q-1")
    factories.plan(office_user, factories.signed_agreement(office_user, household))
    before = count()
    for number in range(2, 6):
        household = factories.household_with_account(office_user, project_a, township_a, code=f"Q-{number}",
                                                      head=f"户主{number}")
        factories.plan(office_user, factories.signed_agreement(office_user, household))
    assert count() <= before + 2
