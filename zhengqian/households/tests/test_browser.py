"""Browser flow in Debian chromium: register a household, add a member with a bad ID (message),
fix it, record the survey and the household's signature, see the board."""

from __future__ import annotations

import pytest

from zhengqian.core import clock

from .factories import resident_id, village_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_registers_surveys_and_sees_the_board(
    official_calendar, browser_page, live_server, clerk_a, project_a, township_a
):
    page = browser_page
    with clock.frozen("2026-09-30T10:00:00"):
        page.goto(f"{live_server.url}/households/")
        page.fill("#id_username", "clerk_a")
        page.fill("#id_password", "Passw0rd!2026")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/households/")

        page.keyboard.press("n")
        page.wait_for_url("**/households/new/")
        page.select_option("#id_project", str(project_a.pk))
        page.fill("#id_code", "E2E-001")
        page.fill("#id_head_name", "浏览器户主")
        page.select_option("#id_village", str(village_of(township_a).pk))
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=已登记 E2E-001 户")

        page.click("[data-add=member]")
        page.fill("#id_name", "浏览器户主")
        page.select_option("#id_relation", "head")
        page.fill("#id_id_number", "110105194912310021")
        page.click("main form button[type=submit]")
        assert "校验位不正确" in page.locator("[data-field-error=id_number]").inner_text()

        number = resident_id()
        page.fill("#id_id_number", number)
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=已添加家庭成员")
        masked = page.locator("[data-masked-id]").first.inner_text()
        assert masked == number[:3] + "*" * 11 + number[-4:]
        page.get_by_text("显示完整").click()
        page.wait_for_selector(f"[data-full-id]:has-text('{number}')")

        page.click("[data-add=survey]")
        page.fill("#id_surveyed_on", "2026-09-29")
        page.fill("#id_surveyors", "调查组")
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=待户签字确认")

        page.fill("#id_sign-signed_by_name", "浏览器户主")
        page.fill("#id_sign-signed_on", "2026-09-30")
        page.click("#sign-form button[type=submit]")
        page.wait_for_selector("text=已记录签字")
        assert page.locator("[data-window-due]").inner_text() == "2026-10-13"
        assert page.locator("#history").get_by_text("member.view_full_id").count() == 1

        page.goto(f"{live_server.url}/households/board/")
        row = page.locator("[data-board-row='E2E-001']")
        assert "异议期中" in row.inner_text() and "2026-10-13" in row.inner_text()
        assert row.locator("[data-days-left]").inner_text() == "5"
