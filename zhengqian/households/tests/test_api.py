"""The API: same actions and scope as the pages; errors as JSON naming the field."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengqian.core import clock
from zhengqian.core.evidence import evidence_path
from zhengqian.core.models import EvidenceFile
from zhengqian.households.models import EvidenceLink, Household, HouseholdMember

from .factories import SQUARE, full_household, resident_id, village_of


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_register_a_household_with_members_items_and_survey(client, clerk_a, project_a, township_a):
    client.force_login(clerk_a)
    village = village_of(township_a)
    response = _post(client, "/api/v1/households", {"project_id": project_a.pk, "code": "A-1", "head_name": "赵六",
                                                     "village_id": village.pk})
    assert response.status_code == 201, response.json()
    household_id = response.json()["id"]
    bad = _post(client, f"/api/v1/households/{household_id}/members",
                {"name": "赵六", "id_number": "110105194912310021", "relation": "head"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "id_number" and "校验位" in bad.json()["message"]
    assert not HouseholdMember.objects.exists()
    number = resident_id()
    member = _post(client, f"/api/v1/households/{household_id}/members",
                   {"name": "赵六", "id_number": number, "relation": "head"})
    assert member.status_code == 201 and member.json()["id_number_masked"] == number[:3] + "*" * 11 + number[-4:]
    assert member.json()["birth_date"] == "1980-05-17" and "id_number" not in member.json()
    parcel = _post(client, "/api/v1/households/parcels", {"project_id": project_a.pk, "village_id": village.pk,
                                                          "household_id": household_id, "land_class": "0101",
                                                          "area": "10000", "geometry": SQUARE})
    assert parcel.status_code == 201 and parcel.json()["measured_area"] is not None
    building = {"structure": "brick_concrete", "floor_area": "99.5", "parcel_id": parcel.json()["id"]}
    assert _post(client, f"/api/v1/households/{household_id}/buildings", building).status_code == 201
    assert _post(client, f"/api/v1/households/{household_id}/crops",
                 {"kind": "水稻", "quantity": "500", "unit": "m2"}).status_code == 201
    bank = client.put(f"/api/v1/households/{household_id}/bank-account",
                      {"bank_name": "农商行", "bank_account_no": "6221000011112222",
                       "holder_member_id": member.json()["id"]},
                      content_type="application/json")
    assert bank.status_code == 200 and bank.json()["bank_account_holder_id"] == member.json()["id"]
    survey = _post(client, f"/api/v1/households/{household_id}/surveys", {"surveyed_on": clock.today().isoformat()})
    assert survey.status_code == 201 and survey.json()["state"] == "awaiting_signature"
    signed = _post(client, f"/api/v1/households/surveys/{survey.json()['id']}/sign",
                   {"signed_on": clock.today().isoformat(), "signed_by_name": "赵六"})
    assert signed.status_code == 200 and signed.json()["state"] == "window_open" and signed.json()["window_due"]
    detail = client.get(f"/api/v1/households/{household_id}").json()
    assert detail["survey_state"] == "window_open" and len(detail["buildings"]) == 1 and number not in str(detail)
    board = client.get(f"/api/v1/households/projects/{project_a.pk}/board").json()
    assert board["counts"] == {"window_open": 1} and board["items"][0]["working_days_left"] is not None


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"code": "A", "head_name": "x", "village_id": "abc"}, 422, "village_id"),
        ({"code": "A", "head_name": "x"}, 422, "village_id"),
        ({"code": "A", "head_name": "x", "village_id": 999999}, 400, "village_id"),
        ({"code": "A", "head_name": "", "village_id": None}, 422, "village_id"),
    ],
)
def test_wrong_types_and_dangling_references(client, clerk_a, project_a, township_a, body, status, field):
    client.force_login(clerk_a)
    response = _post(client, "/api/v1/households", {"project_id": project_a.pk, **body})
    assert response.status_code == status
    fields = [e["field"] for e in response.json().get("errors", [])] or [response.json().get("field")]
    assert field in fields
    assert not Household.objects.exists()


def test_other_township_gets_404_and_duplicate_code_400(client, clerk_a, clerk_b, project_a, township_a):
    objects = full_household(clerk_a, project_a, township_a)
    client.force_login(clerk_b)
    assert client.get(f"/api/v1/households/{objects['household'].pk}").status_code == 404
    assert client.get("/api/v1/households").json()["count"] == 0
    client.force_login(clerk_a)
    response = _post(client, "/api/v1/households", {"project_id": project_a.pk, "code": "H-001", "head_name": "x",
                                                     "village_id": objects["household"].village_id})
    assert response.status_code == 400 and response.json()["field"] == "code"


def test_evidence_is_stored_once_by_sha256_with_labels(client, clerk_a, project_a, township_a, settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path
    objects = full_household(clerk_a, project_a, township_a)
    client.force_login(clerk_a)
    photo = b"\x89PNG fake photo bytes"
    for kind, obj in (("household", objects["household"]), ("building", objects["building"])):
        response = client.post(
            f"/api/v1/households/evidence/{kind}/{obj.pk}",
            {"file": SimpleUploadedFile("现场.png", photo, content_type="image/png"), "taken_by": "周调查员",
             "taken_at": "2026-01-05T10:30", "place": "一村1组"},
        )
        assert response.status_code == 201, response.content
    stored = EvidenceFile.objects.get()
    assert evidence_path(stored.sha256) == tmp_path / stored.sha256[:2] / stored.sha256
    assert evidence_path(stored.sha256).read_bytes() == photo
    assert EvidenceLink.objects.count() == 2
    missing = client.post(f"/api/v1/households/evidence/household/{objects['household'].pk}",
                          {"file": SimpleUploadedFile("x.png", b"other"), "taken_by": "周",
                           "taken_at": "2026-01-05T10:30"})
    assert missing.status_code == 400 and missing.json()["field"] == "place"
    link = EvidenceLink.objects.filter(content_type__model="building").get()
    page = client.get(f"/households/{objects['household'].pk}/").content.decode()
    assert "周调查员" in page and "一村1组" in page
    download = client.get(f"/households/evidence/{link.pk}/")
    assert b"".join(download.streaming_content) == photo
