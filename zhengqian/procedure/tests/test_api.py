"""The procedure API: state, actions (refusals as 400 JSON with the clause), the board."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengqian.core import clock
from zhengqian.households.tests.factories import make_household

from .helpers import PNG, force_done

pytestmark = pytest.mark.django_db


def files(*kinds):
    return [
        SimpleUploadedFile(
            f"{kind}-{n}.png" if kind == "photo" else f"{kind}-{n}.pdf",
            PNG + f"{kind}{n}".encode(),
            content_type="image/png" if kind == "photo" else "application/pdf",
        )
        for n, kind in enumerate(kinds)
    ]


def test_state_and_completion(client, official_calendar, project_a, office_user):
    client.force_login(office_user)
    with clock.frozen("2026-03-02"):
        state = client.get(f"/api/v1/procedure/projects/{project_a.pk}").json()
        steps = {step["code"]: step for step in state["steps"]}
        assert steps["pre_announcement"]["state"] == "not_started"
        assert steps["pre_announcement"]["evidence_required"] == ["document", "photo"]
        assert steps["expropriation_announcement"]["clause"] == "putian-2014 (四)"
        url = f"/api/v1/procedure/projects/{project_a.pk}/steps/pre_announcement/complete"
        refused = client.post(url, {"done_on": "2026-03-02", "kinds": "document", "files": files("document")})
        assert refused.status_code == 400
        assert refused.json()["clause"] == "实施条例 第二十六条" and refused.json()["field"] == "evidence"
        done = client.post(
            url, {"done_on": "2026-03-02", "kinds": "document,photo", "files": files("document", "photo")}
        )
        assert done.status_code == 200, done.content
        steps = {step["code"]: step for step in done.json()["steps"]}
        assert steps["pre_announcement"]["state"] == "done" and len(steps["pre_announcement"]["evidence"]) == 2
        gate = client.post(
            f"/api/v1/procedure/projects/{project_a.pk}/steps/approval/complete",
            {"done_on": "2026-03-02", "kinds": "document", "files": files("document")},
        )
        assert gate.status_code == 400 and gate.json()["clause"] == "实施条例 第三十二条"


def test_household_state_board_and_assembly(client, official_calendar, project_a, office_user, clerk_a, township_a):
    household = make_household(office_user, project_a, township_a, code="API-1", contract_certificate_no="C-API")
    force_done(project_a, ["pre_announcement", "status_survey", "notification", "approval"], "2026-03-02")
    client.force_login(clerk_a)
    with clock.frozen("2026-03-20"):
        state = client.get(f"/api/v1/procedure/households/{household.pk}").json()
        assert {step["code"] for step in state["steps"]} >= {"notified", "registered", "paid"}
        assert state["chain_started"] is False
        board = client.get("/api/v1/procedure/board", {"overdue": "true"}).json()
        assert board["overdue_count"] == 1 and board["items"][0]["code"] == "expropriation_announcement"
        assert board["items"][0]["overdue"] is True and board["items"][0]["days_left"] == -4
        chain = client.post(
            f"/api/v1/procedure/households/{household.pk}/chain", {"reason": "x"}, content_type="application/json"
        )
        assert chain.status_code == 403  # the chain is the office's
        from zhengqian.procedure import actions

        assembly = actions.assembly_open(actor=clerk_a, project=project_a, held_on="2026-03-20", place="村委会")
        answer = client.post(
            f"/api/v1/procedure/assemblies/{assembly.pk}/attendance",
            {"household_id": household.pk, "attendance": "present"},
            content_type="application/json",
        )
        assert answer.status_code == 200 and answer.json()["quorum_met"] is True and answer.json()["required"] == 1
