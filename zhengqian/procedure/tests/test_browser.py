"""Browser flow in Debian chromium: the office clerk drafts the notification, publishes it
with the photo of the posting, is refused the announcement before approval (the gate names
its clause), and after approval drafts and publishes the announcement."""

from __future__ import annotations

import pytest

from zhengqian.core import clock
from zhengqian.households.tests.factories import make_household

from .helpers import PNG, fact, force_done

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_from_notification_to_announcement(
    official_calendar, browser_page, live_server, office_user, leader, finance, project_a, township_a, tmp_path
):
    make_household(office_user, project_a, township_a, code="E2E-1", contract_certificate_no="C-E2E")
    force_done(project_a, ["pre_announcement", "status_survey", "stability_assessment"], "2026-03-02")
    photo = tmp_path / "张贴现场.png"
    photo.write_bytes(PNG + b"posting")
    proof = tmp_path / "送达回证.pdf"
    proof.write_bytes(b"%PDF-1.4 proof")
    boundary = tmp_path / "征地范围图.pdf"
    boundary.write_bytes(b"%PDF-1.4 map")
    page = browser_page
    base = f"{live_server.url}/procedure/projects/{project_a.pk}/"
    with clock.frozen("2026-03-05T10:00:00"):
        page.goto(base)
        page.fill("#id_username", "office")
        page.fill("#id_password", "Passw0rd!2026")
        page.click("button[type=submit]")
        page.wait_for_url(base)

        page.click("[data-draft=notification]")
        page.wait_for_selector("#id_issued_on")
        assert page.input_value("#id_kind") == "notification"
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=已制作征地告知书")
        page.click("#publish-link")
        page.fill("#id_posting_place", "桂花村村委会公告栏")
        page.set_input_files("#id_photo", str(photo))
        page.select_option("#id_other_kind", "service_proof")
        page.set_input_files("#id_other_file", str(proof))
        page.click("main form button[type=submit]")
        page.wait_for_url(base)
        assert page.get_attribute("tr[data-step=notification]", "data-state") == "done"

        # 莆田 (四): the announcement cannot even be drafted before approval.
        page.goto(f"{live_server.url}/procedure/projects/{project_a.pk}/notices/new/?kind=expropriation_announcement")
        page.click("main form button[type=submit]")
        alert = page.locator("main .alert-danger").inner_text()
        assert "不能发布征收土地公告：征地尚未批准（putian-2014 (四)）" in alert

    force_done(
        project_a,
        ["compensation_plan", "compensation_registration", "agreement", "approval_request", "approval"],
        "2026-04-01",
    )
    fact(finance, project_a, "funds_in_place", on="2026-04-01")
    with clock.frozen("2026-04-03T10:00:00"):
        page.goto(base)
        assert "2026-04-16" in page.locator("tr[data-step=expropriation_announcement]").inner_text()
        page.click("[data-draft=expropriation_announcement]")
        page.fill("#id_registration_deadline", "2026-04-20")
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=已制作征收土地公告")
        page.click("#publish-link")
        page.fill("#id_posting_place", "桂花村各村民小组")
        page.set_input_files("#id_photo", str(photo))
        page.select_option("#id_other_kind", "map")
        page.set_input_files("#id_other_file", str(boundary))
        page.click("main form button[type=submit]")
        page.wait_for_url(base)
        assert page.get_attribute("tr[data-step=expropriation_announcement]", "data-state") == "done"
        assert page.get_attribute("tr[data-step=registration_review]", "data-state") == "not_started"
