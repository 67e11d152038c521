"""The funds API: same rules as the pages; Idempotency-Key on money-moving calls."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengqian.domain.bank_files import PaymentState
from zhengqian.domain.ledger import AccountKind
from zhengqian.funds.models import Account, BankBatch, IdempotencyRecord, Payment

from . import factories
from .test_bank import answer

pytestmark = pytest.mark.django_db
API = "/api/v1/funds"


def post(client, url, body=None, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def test_budget_accounts_deposit_and_gate(client, office_user, finance_user, project_a, township_a):
    client.force_login(office_user)
    assert client.post(f"{API}/projects/{project_a.pk}/accounts", data="{}",
                       content_type="application/json").status_code == 201
    response = client.put(f"{API}/projects/{project_a.pk}/budget", data=json.dumps(
        {"estimates": {"land_compensation": "1000.00"}, "approval_document": "府〔2026〕1号",
         "approved_on": "2026-01-02"}), content_type="application/json")
    assert response.status_code == 200 and response.json()["met"] is False
    client.force_login(finance_user)
    form = {"category": "land_compensation", "amount": "1000.00", "received_on": "2026-01-05",
            "bank_reference": "HD-1"}
    response = client.post(f"{API}/projects/{project_a.pk}/deposits",
                           {**form, "receipt": SimpleUploadedFile("回单.pdf", b"%PDF", "application/pdf")})
    assert response.status_code == 201, response.content
    gate = client.get(f"{API}/projects/{project_a.pk}/gate").json()
    assert gate["met"] is True and gate["facts"]["funds_in_place"] is True
    balances = client.get(f"{API}/projects/{project_a.pk}/accounts").json()
    special = next(b for b in balances if b["account"]["kind"] == "project_special")
    assert special["total"] == "1000.00"
    request = post(client, f"{API}/projects/{project_a.pk}/appropriations",
                   {"township_id": township_a.pk, "category": "land_compensation", "amount": "1000.01"})
    assert request.status_code == 201
    client.force_login(office_user)
    refused = post(client, f"{API}/appropriations/{request.json()['id']}/approve")
    assert refused.status_code == 403
    client.force_login(finance_user.__class__.objects.create_user(
        username="finance2", password="Passw0rd!2026x", role="finance_officer", jurisdiction=project_a.district))
    refused = post(client, f"{API}/appropriations/{request.json()['id']}/approve")
    assert refused.status_code == 400 and refused.json()["clause"] == "banan-2015 (五)"


def test_payment_approval_is_idempotent(client, funded, office_user, finance_user, agreement, project_a):
    client.force_login(office_user)
    planned = post(client, f"{API}/projects/{project_a.pk}/payments", {"agreement_id": agreement.pk}, key="plan-1")
    assert planned.status_code == 201 and len(planned.json()) == 4
    again = post(client, f"{API}/projects/{project_a.pk}/payments", {"agreement_id": agreement.pk}, key="plan-1")
    assert again.json() == planned.json() and again["Idempotent-Replay"] == "true"
    payment_id = planned.json()[0]["id"]
    client.force_login(finance_user)
    first = post(client, f"{API}/payments/{payment_id}/approve", key="approve-1")
    assert first.status_code == 200 and first.json()["state"] == "approved"
    replay = post(client, f"{API}/payments/{payment_id}/approve", key="approve-1")
    assert replay.status_code == 200 and replay.json() == first.json()
    other = planned.json()[1]["id"]
    conflict = post(client, f"{API}/payments/{other}/approve", key="approve-1")
    assert conflict.status_code == 409
    assert Payment.objects.get(pk=other).state == PaymentState.planned
    repeated = post(client, f"{API}/payments/{payment_id}/approve", key="approve-2")
    assert repeated.status_code == 400 and "不能重复审批" in repeated.json()["detail"]
    assert IdempotencyRecord.objects.filter(key="approve-2").count() == 0


def test_batch_and_return_through_the_api(client, funded, office_user, finance_user, agreement, project_a):
    for payment in factories.plan(office_user, agreement):
        from zhengqian.funds import payments

        payments.payment_approve(actor=finance_user, payment=payment)
    account = Account.objects.get(project=project_a, kind=AccountKind.township_special)
    client.force_login(finance_user)
    created = post(client, f"{API}/projects/{project_a.pk}/batches", {"account_id": account.pk}, key="batch-1")
    assert created.status_code == 201 and created.json()["line_count"] == 4
    assert post(client, f"{API}/projects/{project_a.pk}/batches", {"account_id": account.pk},
                key="batch-1").json() == created.json()
    assert BankBatch.objects.count() == 1
    batch = BankBatch.objects.get()
    xlsx = client.get(f"{API}/batches/{batch.pk}/file?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    content = answer(batch, {3: "账号不存在"})
    imported = client.post(f"{API}/batches/{batch.pk}/returns",
                           {"file": SimpleUploadedFile("回盘.csv", content, "text/csv")})
    assert imported.status_code == 201 and imported.json()["failed_count"] == 1
    twice = client.post(f"{API}/batches/{batch.pk}/returns",
                        {"file": SimpleUploadedFile("回盘.csv", content, "text/csv")})
    assert twice.status_code == 400
    report = client.get(f"{API}/projects/{project_a.pk}/reconciliation").json()
    assert report["differences"] == [] and report["paid"] == imported.json()["paid_total"]
    statement = client.get(f"{API}/projects/{project_a.pk}/statement").json()
    assert {row["category"] for row in statement} >= {"land_compensation", "houses"}
    clocks = client.get(f"{API}/payment-clocks").json()
    assert clocks[0]["state"] == "open" and clocks[0]["outstanding"] != "0.00"


def test_cross_project_transfer_through_the_api(client, office_user, finance_user, project_a, project_b):
    factories.open_accounts(office_user, project_a)
    factories.open_accounts(office_user, project_b)
    factories.deposit(finance_user, project_a, "100.00")
    source = Account.objects.get(project=project_a, kind=AccountKind.project_special)
    target = Account.objects.get(project=project_b, kind=AccountKind.project_special)
    client.force_login(office_user)
    url = f"{API}/accounts/{source.pk}/transfers"
    body = {"target_id": target.pk, "category": "land_compensation", "amount": "50.00", "reason": "调度"}
    refused = client.post(url, body)
    assert refused.status_code == 400 and refused.json()["clause"] == "banan-2015 (五)"
    approved = client.post(url, {**body, "approver_name": "区长",
                                 "approval": SimpleUploadedFile("批示.pdf", b"%PDF ok", "application/pdf")})
    assert approved.status_code == 201


def test_collective_publication_through_the_api(client, paid_household, office_user):
    account = Account.objects.get(kind=AccountKind.collective)
    client.force_login(office_user)
    url = f"{API}/accounts/{account.pk}/publications"
    too_early = client.post(url, {"period_start": "2026-01-01", "published_on": "2026-01-10", "place": "村公开栏",
                                  "photo": SimpleUploadedFile("公布.jpg", b"jpeg", "image/jpeg")})
    assert too_early.status_code == 400
    statement = client.get(f"{API}/accounts/{account.pk}/collective-statement").json()
    assert statement["received"] == "30000.00" and statement["published"] is False


@pytest.fixture
def paid_household(funded, office_user, finance_user, agreement, project_a):
    from zhengqian.funds import bank, payments

    for payment in factories.plan(office_user, agreement):
        payments.payment_approve(actor=finance_user, payment=payment)
    batch = bank.batch_create(actor=finance_user,
                              account=Account.objects.get(project=project_a, kind=AccountKind.township_special))
    bank.return_import(actor=finance_user, batch=batch, content=answer(batch))
    return batch
