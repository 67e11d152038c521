"""Salvage (banan-2015 (六)): disposed by the owner-type rule, proceeds posted to the funds
ledger (owner's account, or the special account for a lump-sum project after filing), once
per building."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhengqian.coordination.actions import Upload
from zhengqian.coordination.actions_salvage import salvage_record
from zhengqian.coordination.models import Salvage
from zhengqian.domain.errors import InvalidInput
from zhengqian.funds.models import Posting
from zhengqian.funds.tests.factories import open_accounts
from zhengqian.households.actions import building_create

pytestmark = pytest.mark.django_db

RECEIPT = Upload(b"%PDF-1.4 receipt", "残值收款凭证.pdf", "application/pdf")


@pytest.fixture
def building(office_user, household_a):
    return building_create(actor=office_user, household=household_a, structure="brick_concrete", floor_area="120")


@pytest.fixture
def accounts(office_user, project_a):
    return open_accounts(office_user, project_a)


def _record(actor, building, **extra):
    data = {
        "owner_type": "state",
        "valued_amount": "5000",
        "proceeds": "5200.50",
        "disposed_on": date(2026, 3, 1),
        "buyer": "再生资源公司",
        "evidence": RECEIPT,
    }
    data.update(extra)
    return salvage_record(actor=actor, building=building, **data)


def test_state_owner_receives_the_proceeds(office_user, building, accounts, frozen_clock):
    salvage = _record(office_user, building)
    assert salvage.method == "按国有资产处置办法处置"
    postings = {p.account.kind: p.amount for p in Posting.objects.filter(entry=salvage.entry).select_related("account")}
    assert postings == {"bank_clearing": Decimal("-5200.50"), "owner_funding": Decimal("5200.50")}
    assert salvage.entry.kind == "salvage"
    with pytest.raises(InvalidInput) as error:
        _record(office_user, building)
    assert error.value.field == "building"
    assert Salvage.objects.count() == 1


def test_lump_sum_goes_to_the_special_account_after_filing(office_user, building, accounts, frozen_clock):
    with pytest.raises(InvalidInput) as error:
        _record(office_user, building, owner_type="lump_sum")
    assert error.value.field == "filing_reference"
    salvage = _record(office_user, building, owner_type="lump_sum", filing_reference="国资备〔2026〕3号")
    kinds = set(Posting.objects.filter(entry=salvage.entry, amount__gt=0).values_list("account__kind", flat=True))
    assert kinds == {"project_special"}


def test_bad_input_changes_nothing(office_user, clerk_a, building, accounts, frozen_clock):
    with pytest.raises(InvalidInput) as error:
        _record(office_user, building, proceeds="abc")
    assert error.value.field == "proceeds"
    with pytest.raises(InvalidInput):
        _record(office_user, building, owner_type="foreign")
    from zhengqian.core.permissions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        _record(clerk_a, building)
    assert not Salvage.objects.exists() and not Posting.objects.filter(entry__kind="salvage").exists()


def test_salvage_page_and_api(client, office_user, clerk_b, building, accounts, project_a, household_a, frozen_clock):
    import base64
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(office_user)
    url = reverse("coordination:salvage")
    data = {
        "project": project_a.pk,
        "household": household_a.code,
        "building": building.code,
        "owner_type": "private",
        "valued_amount": "100",
        "proceeds": "120",
        "disposed_on": "2026-03-01",
        "buyer": "回收站",
    }
    bad = client.post(url, {**data, "building": "NOPE", "evidence": SimpleUploadedFile("a.pdf", b"%PDF a")})
    assert 'data-field-error="building"' in bad.content.decode()
    ok = client.post(url, {**data, "evidence": SimpleUploadedFile("a.pdf", b"%PDF a")})
    assert ok.status_code == 302
    assert "按私营公司规定办理" in client.get(url).content.decode()
    again = client.post(
        "/api/v1/coordination/salvage",
        data=json.dumps(
            {
                "project_id": project_a.pk,
                "household_code": household_a.code,
                "building_code": building.code,
                "owner_type": "state",
                "valued_amount": "1",
                "proceeds": "1",
                "disposed_on": "2026-03-01",
                "buyer": "x",
                "evidence_name": "b.pdf",
                "evidence_base64": base64.b64encode(b"%PDF b").decode(),
            }
        ),
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["field"] == "building"
    assert len(client.get("/api/v1/coordination/salvage").json()) == 1
    client.force_login(clerk_b)
    assert "回收站" not in client.get(url).content.decode()


def test_support_start_finds_the_household(client, clerk_a, project_a, household_a):
    from django.urls import reverse

    client.force_login(clerk_a)
    response = client.get(
        reverse("coordination:support_start"), {"project": project_a.pk, "household": household_a.code}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coordination:support_create", kwargs={"household_id": household_a.pk})
    missing = client.get(reverse("coordination:support_start"), {"project": project_a.pk, "household": "NOPE"})
    assert 'data-field-error="household"' in missing.content.decode()
