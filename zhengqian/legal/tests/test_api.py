"""/api/v1/calendar, /deadlines, /policies, /projects/{id}/schedule."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, clerk_a):
    client.force_login(clerk_a)
    return client


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_calendar_year(api):
    body = api.get("/api/v1/calendar/2026").json()
    assert body["loaded"] is True and "国办发明电〔2025〕7号" in body["source_notice"]
    days = {d["day"]: (d["kind"], d["name"]) for d in body["days"]}
    assert days["2026-02-16"] == ("holiday", "春节")
    assert days["2026-02-14"] == ("workday", "春节")
    assert len(days) == 39


def test_calendar_year_not_loaded_is_not_guessed(api):
    body = api.get("/api/v1/calendar/2027").json()
    assert body == {"year": 2027, "loaded": False, "source_notice": "", "loaded_at": None, "days": []}
    out_of_range = api.get("/api/v1/calendar/1800")
    assert out_of_range.status_code == 400 and out_of_range.json()["field"] == "year"


def test_calendar_needs_login(client, db):
    assert client.get("/api/v1/calendar/2026").status_code == 401


@pytest.mark.parametrize(
    ("body", "due", "provisional"),
    [
        ({"start": "2026-02-10", "unit": "working_days", "count": 5}, "2026-02-24", False),
        ({"start": "2026-02-10", "unit": "working-days", "count": 5}, "2026-02-24", False),
        ({"start": "2026-01-31", "unit": "months", "count": 1}, "2026-02-28", False),
        ({"start": "2026-12-25", "unit": "days", "count": 10}, "2027-01-04", True),
    ],
)
def test_deadline(api, body, due, provisional):
    response = post(api, "/api/v1/deadlines", body)
    assert response.status_code == 200
    data = response.json()
    assert (data["due"], data["provisional"]) == (due, provisional)
    assert data["unloaded_years"] == ([2027] if provisional else [])


def test_deadline_bad_input_names_the_field(api):
    negative = post(api, "/api/v1/deadlines", {"start": "2026-02-10", "unit": "days", "count": -3})
    assert negative.status_code == 400
    assert negative.json()["field"] == "count" and "负数" in negative.json()["message"]
    unit = post(api, "/api/v1/deadlines", {"start": "2026-02-10", "unit": "weeks", "count": 3})
    assert unit.status_code == 400 and unit.json()["field"] == "unit"
    impossible = post(api, "/api/v1/deadlines", {"start": "2026-02-30", "unit": "days", "count": 3})
    assert impossible.status_code == 422 and impossible.json()["errors"][0]["field"] == "start"


def test_policies(api):
    codes = [p["code"] for p in api.get("/api/v1/policies").json()]
    assert codes == ["banan-2015", "national-2019", "putian-2014", "yongzhou-linkage"]
    body = api.get("/api/v1/policies/putian-2014").json()
    assert body["extends"] == "national-2019"
    announcement = next(d for d in body["deadlines"] if d["code"] == "expropriation_announcement")
    assert announcement["rule"] == "10个工作日" and announcement["unit"] == "working_days"
    assert announcement["citation"]["label"] == "putian-2014 (四)"
    assert announcement["citation"]["quote"]
    assert {"steps", "gates", "thresholds", "rules"} <= body.keys()
    assert all(s["citation"]["clause"] for s in body["steps"])
    missing = api.get("/api/v1/policies/nowhere-2099")
    assert missing.status_code == 404 and "nowhere-2099" in missing.json()["detail"]


def test_project_schedule(api, project_a):
    url = f"/api/v1/projects/{project_a.pk}/schedule"
    body = api.get(f"{url}?approval=2026-12-20&notification=2026-03-02").json()
    assert body["policy_pack"] == "putian-2014"
    assert body["known"] == {"approval": "2026-12-20", "notification": "2026-03-02"}
    items = {i["deadline_code"]: i for i in body["items"]}
    assert items["hearing_request"]["due"] == "2026-03-09" and not items["hearing_request"]["provisional"]
    assert items["expropriation_announcement"]["due"] == "2027-01-01"
    assert items["expropriation_announcement"]["provisional"] is True
    assert items["expropriation_announcement"]["citation"]["label"] == "putian-2014 (四)"
    assert body["unloaded_years"] == [2027]
    assert [i["due"] for i in body["items"]] == sorted(i["due"] for i in body["items"])
    assert api.get(url).json()["items"] == []


def test_project_schedule_bad_input(api, project_a):
    url = f"/api/v1/projects/{project_a.pk}/schedule"
    unknown = api.get(f"{url}?nosuchstep=2026-01-01")
    assert unknown.status_code == 400 and unknown.json()["field"] == "nosuchstep"
    impossible = api.get(f"{url}?approval=2026-02-30")
    assert impossible.status_code == 400 and impossible.json()["field"] == "approval"


def test_project_schedule_is_scoped(client, clerk_b, project_a):
    client.force_login(clerk_b)
    assert client.get(f"/api/v1/projects/{project_a.pk}/schedule?approval=2026-12-20").status_code == 404
