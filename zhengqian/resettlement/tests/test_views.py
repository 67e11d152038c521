"""Pages and API of resettlement: they answer, refuse bad input in Chinese, never a 500."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .. import actions_allocation
from ..models import Allocation, HouseholdOption, Unit
from .factories import estate, family, housing_choice, scheme

TODAY = date(2026, 3, 2)


@pytest.fixture
def world(frozen_clock, office_user, project_a, township_a):
    scheme(office_user, project_a)
    pool = estate(office_user, township_a, areas=("88.00", "95.00"))
    household = family(office_user, project_a, township_a, "V-1")
    housing_choice(office_user, household, TODAY)
    day = actions_allocation.selection_day_create(
        actor=office_user, project=project_a, estate=pool, on=TODAY, rule="lottery", seed="s"
    )
    return {"estate": pool, "household": household, "day": day, "project": project_a}


def test_pages_answer(client, clerk_a, world):
    client.force_login(clerk_a)
    for url in (
        reverse("resettlement:index"),
        reverse("resettlement:project", args=[world["project"].pk]),
        reverse("resettlement:household", args=[world["household"].pk]),
        reverse("resettlement:estate_list"),
        reverse("resettlement:estate", args=[world["estate"].pk]),
        reverse("resettlement:day", args=[world["day"].pk]),
        reverse("resettlement:draw_record", args=[world["day"].pk]),
        reverse("resettlement:certificates"),
        reverse("resettlement:enrolment_lists", args=[world["project"].pk]),
        reverse("resettlement:import_template"),
    ):
        assert client.get(url).status_code == 200, url


def test_project_page_query_count(client, clerk_a, world, office_user, township_a):
    for n in range(5):
        family(office_user, world["project"], township_a, f"Q-{n}")
    client.force_login(clerk_a)
    url = reverse("resettlement:project", args=[world["project"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5, 15):
        family(office_user, world["project"], township_a, f"Q-{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_selection_screen_allocates(client, clerk_a, world):
    client.force_login(clerk_a)
    ticket = world["day"].tickets.get()
    unit = Unit.objects.get(estate=world["estate"], area="95.00")
    page = client.get(reverse("resettlement:day", args=[world["day"].pk])).content.decode()
    assert "V-1" in page and "90.00" in page and unit.label in page
    response = client.post(
        reverse("resettlement:allocate", args=[world["day"].pk]), {"ticket": ticket.pk, "unit": unit.pk}, follow=True
    )
    assert "选定" in response.content.decode()
    allocation = Allocation.objects.get(household=world["household"])
    assert client.get(reverse("resettlement:confirmation", args=[allocation.pk])).status_code == 200
    # the same unit again: refused with a message, nothing changed
    response = client.post(
        reverse("resettlement:allocate", args=[world["day"].pk]), {"ticket": ticket.pk, "unit": "abc"}, follow=True
    )
    assert response.status_code == 200 and "不存在" in response.content.decode()


def test_bad_option_input_gives_a_message(client, clerk_a, world, office_user, township_a):
    household = family(office_user, world["project"], township_a, "V-2", house=False)
    client.force_login(clerk_a)
    response = client.post(
        reverse("resettlement:option_choose", args=[household.pk]),
        {"form": "housing", "chosen_on": "2026-03-02", "signed_by_name": household.head_name, "priority_group": 9},
        follow=True,
    )
    assert "不能选择该安置方式" in response.content.decode()
    response = client.post(
        reverse("resettlement:option_choose", args=[household.pk]), {"form": "nonsense", "chosen_on": "x"}, follow=True
    )
    assert response.status_code == 200 and "安置方式" in response.content.decode()
    assert not HouseholdOption.objects.filter(household=household).exists()


def test_api_flow(client, clerk_a, world):
    client.force_login(clerk_a)
    ticket = world["day"].tickets.get()
    unit = Unit.objects.get(estate=world["estate"], area="88.00")
    detail = client.get(f"/api/v1/resettlement/selection-days/{world['day'].pk}").json()
    assert detail["draw_record"]["seed"] == "s" and detail["tickets"][0]["household_code"] == "V-1"
    answer = client.post(
        f"/api/v1/resettlement/selection-days/{world['day'].pk}/allocations",
        json.dumps({"ticket_id": ticket.pk, "unit_id": unit.pk}),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["entitled_area"] == "90.00" and body["certificate_due"] == "2026-06-02"
    refused = client.post(
        f"/api/v1/resettlement/allocations/{body['id']}/certificate",
        json.dumps({"certificate_no": "", "certificate_on": "2026-03-02"}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["field"] == "certificate_no"
    household = client.get(f"/api/v1/resettlement/households/{world['household'].pk}").json()
    assert household["resettlement_in_place"] and household["option"]["form"] == "housing"
    clocks = client.get("/api/v1/resettlement/certificate-clocks").json()
    assert clocks[0]["state"] == "open"


def test_api_option_refused_with_clause(client, clerk_a, world, office_user, township_a):
    household = family(office_user, world["project"], township_a, "V-3", house=False)
    client.force_login(clerk_a)
    answer = client.post(
        f"/api/v1/resettlement/households/{household.pk}/option",
        json.dumps({"form": "reserved_land", "chosen_on": "2026-03-02", "signed_by_name": household.head_name}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["clause"] == "putian-2014 (十三)"


def test_unit_import_page_lists_rows(client, clerk_a, world):
    from .test_actions import _workbook

    client.force_login(clerk_a)
    content = _workbook([["9", "901", "x", "80", "", "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("resettlement:unit_import", args=[world["estate"].pk]),
        {"file": SimpleUploadedFile("u.xlsx", content)},
        follow=True,
    )
    assert "第2行 楼层" in response.content.decode()
