"""Staff pages and documents: every page renders, PDFs are PDFs with the agreement's text, the
.docx carries the number and amount in words, the public list is masked, list pages keep a
fixed number of queries, and refusals show the clause."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhengqian.households.tests.factories import village_of

from .. import actions
from ..models import AgreementStatus
from .factories import approved_standard, priced_household, sign

pytestmark = pytest.mark.django_db


def _households(office, project, township, start: int, count: int) -> list:
    made = []
    for index in range(start, start + count):
        given = ["建国", "秀英", "志强", "桂兰", "德明"][index % 5]
        household = priced_household(office, project, township, f"C-{index:03d}", head=f"王{given}")
        actions.valuation_run(actor=office, household=household)
        actions.agreement_generate(actor=office, household=household)
        made.append(household)
    return made


@pytest.fixture
def world(today, office_user, leader, project_a, township_a):
    standard = approved_standard(office_user, leader, project_a)
    households = _households(office_user, project_a, township_a, 1, 3)
    publicity = actions.publicity_create(actor=office_user, project=project_a, village=village_of(township_a))
    return {"standard": standard, "households": households, "publicity": publicity}


def test_pages_render(client, office_user, leader, world, project_a):
    client.force_login(office_user)
    household = world["households"][0]
    valuation = household.valuations.get(is_current=True)
    agreement = household.agreements.get()
    job = world["standard"].jobs.get()
    pages = [
        reverse("compensation:index"), reverse("compensation:project", args=[project_a.pk]),
        reverse("compensation:standard_detail", args=[world["standard"].pk]),
        reverse("compensation:valuation_list", args=[project_a.pk]),
        reverse("compensation:household", args=[household.pk]),
        reverse("compensation:valuation_detail", args=[valuation.pk]),
        reverse("compensation:publicity_list", args=[project_a.pk]),
        reverse("compensation:publicity_detail", args=[world["publicity"].pk]),
        reverse("compensation:signing_queue", args=[project_a.pk]),
        reverse("compensation:agreement_detail", args=[agreement.pk]),
        reverse("compensation:agreement_sign", args=[agreement.pk]),
        reverse("compensation:job_detail", args=[job.pk]), reverse("compensation:job_progress", args=[job.pk]),
        reverse("compensation:standard_create", args=[project_a.pk]),
    ]
    draft = actions.standard_create(actor=office_user, project=project_a, reason="调整")
    rate = draft.rates.first()
    pages += [
        reverse("compensation:standard_detail", args=[draft.pk]), reverse("compensation:rate_create", args=[draft.pk]),
        reverse("compensation:rate_edit", args=[rate.pk]), reverse("compensation:reward_create", args=[draft.pk]),
        reverse("compensation:objection_create", args=[world["publicity"].pk]),
        reverse("compensation:publicity_public", args=[world["publicity"].pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(leader)
    for name in ("standard_approve", "standard_return"):
        assert client.get(reverse(f"compensation:{name}", args=[draft.pk])).status_code == 200
    client.force_login(office_user)
    body = client.get(reverse("compensation:household", args=[household.pk])).content.decode()
    assert "3.0000 亩 × 45,000.00 元/亩" in body and "putian-2014 (十二)" in body and "肆拾壹万叁仟贰佰元整" in body


def test_agreement_pdf_and_docx(client, office_user, world):
    client.force_login(office_user)
    agreement = world["households"][0].agreements.get()
    response = client.get(reverse("compensation:agreement_pdf", args=[agreement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    valuation = agreement.valuation
    statement = client.get(reverse("compensation:valuation_pdf", args=[valuation.pk]))
    assert statement["Content-Type"] == "application/pdf" and statement.content.startswith(b"%PDF")
    docx = client.get(reverse("compensation:agreement_docx", args=[agreement.pk]))
    assert docx.status_code == 200
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "〔2026〕第0001号" in text and "肆拾壹万叁仟贰佰元整" in text and "王" in text
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "135,000.00" in cells and "3.0000 亩 × 45,000.00 元/亩" in cells


def test_public_list_is_masked(client, office_user, world):
    client.force_login(office_user)
    publicity = world["publicity"]
    page = client.get(reverse("compensation:publicity_public", args=[publicity.pk])).content.decode()
    names = [h.head_name for h in world["households"]]
    assert not any(name in page for name in names)
    assert all(f"{name[0]}**" in page for name in names)
    assert not re.search(r"\d{17}[\dX]", page)  # no full ID number
    pdf = client.get(reverse("compensation:publicity_pdf", args=[publicity.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    api = client.get(f"/api/v1/compensation/publicity/{publicity.pk}").json()
    assert all("*" in entry["head_name_masked"] for entry in api["entries"]) and "head_name" not in api["entries"][0]


@pytest.mark.parametrize("route", ["valuation_list", "signing_queue", "publicity_list"])
def test_list_pages_have_a_fixed_number_of_queries(client, office_user, world, project_a, township_a, route):
    client.force_login(office_user)
    url = reverse(f"compensation:{route}", args=[project_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _households(office_user, project_a, township_a, 10, 4)
    actions.publicity_create(actor=office_user, project=project_a, village=village_of(township_a))
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries]


def test_index_query_count(client, office_user, world, project_b):
    client.force_login(office_user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("compensation:index")).status_code == 200
    assert len(queries) <= 12


def test_signing_twice_in_the_ui_shows_the_clause(client, office_user, world):
    client.force_login(office_user)
    agreement = sign(office_user, world["households"][0].agreements.get())
    url = reverse("compensation:agreement_sign", args=[agreement.pk])
    scan = io.BytesIO(b"%PDF-1.4 again")
    scan.name = "again.pdf"
    response = client.post(url, {"signed_on": "2026-03-02", "signatories": "王建国", "scan": scan})
    assert response.status_code == 200
    assert "民法典 第五百四十三条" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED


def test_api_flow(client, office_user, leader, project_b, township_b, today):
    """Standard → rates → submit → approve → price → agreement → sign, through /api/v1."""
    client.force_login(office_user)
    base = "/api/v1/compensation"
    created = client.post(f"{base}/projects/{project_b.pk}/standards", json.dumps({"transition_months_default": 6}),
                          content_type="application/json")
    assert created.status_code == 201, created.content
    standard_id = created.json()["id"]
    from .factories import RATES

    for category, item, name, unit, amount, payee, clause in RATES:
        rate = {"category": category, "item": item, "name": name, "unit": unit, "amount": amount, "payee": payee,
                "clause": clause}
        assert client.post(f"{base}/standards/{standard_id}/rates", json.dumps(rate),
                           content_type="application/json").status_code == 201
    bad = client.post(f"{base}/standards/{standard_id}/rates", json.dumps({**rate, "item": "x", "amount": "-5"}),
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "amount"
    assert client.post(f"{base}/standards/{standard_id}/submit").json()["status"] == "in_review"
    client.force_login(leader)
    approved = client.post(f"{base}/standards/{standard_id}/approve", json.dumps({"approval_reference": "纪要"}),
                           content_type="application/json")
    assert approved.json()["status"] == "approved"
    client.force_login(office_user)
    household = priced_household(office_user, project_b, township_b, "B-001")
    priced = client.post(f"{base}/households/{household.pk}/valuations", json.dumps({}),
                         content_type="application/json")
    assert priced.status_code == 201 and priced.json()["total"] == "413200.00"
    assert len(priced.json()["lines"]) == 9
    agreement = client.post(f"{base}/households/{household.pk}/agreements", json.dumps({}),
                            content_type="application/json").json()
    assert agreement["number"] == "〔2026〕第0001号" and agreement["status"] == "draft"
    scan = io.BytesIO(b"%PDF-1.4 api")
    scan.name = "scan.pdf"
    signed = client.post(f"{base}/agreements/{agreement['id']}/sign",
                         {"signed_on": "2026-03-02", "signatories": "王建国", "file": scan})
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "signed" and signed.json()["payment_due"] == "2026-06-02"
    again = client.post(f"{base}/agreements/{agreement['id']}/sign",
                        {"signed_on": "2026-03-02", "signatories": "王建国", "file": io.BytesIO(b"x")})
    assert again.status_code == 400 and again.json()["clause"] == "民法典 第五百四十三条"
    listing = client.get(f"{base}/projects/{project_b.pk}/agreements").json()
    assert listing["count"] == 1


def test_office_template_can_replace_the_built_in_docx(client, office_user, world, settings, tmp_path):
    from django.core.management import call_command
    from docx import Document

    path = tmp_path / "agreement.docx"
    call_command("agreement_template", str(path))
    document = Document(str(path))
    document.add_paragraph("本村补充条款：{{ household_code }}")
    document.save(str(path))
    settings.COMPENSATION_AGREEMENT_DOCX = str(path)
    client.force_login(office_user)
    agreement = world["households"][0].agreements.get()
    rendered = Document(io.BytesIO(client.get(reverse("compensation:agreement_docx", args=[agreement.pk])).content))
    assert "本村补充条款：C-001" in "\n".join(p.text for p in rendered.paragraphs)
